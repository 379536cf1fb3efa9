"""`kgservice token add|list|revoke`: tokens printed once, stored as Argon2id hashes."""

from __future__ import annotations

import json
import stat

from argon2 import PasswordHasher
from click.testing import CliRunner

from kgservice.cli import main
from kgservice.tokens import tokens_path, verify_token


def run(settings, *args: str):
    env = {"KG_VAR_DIR": str(settings.var_dir)}
    return CliRunner().invoke(main, ["token", *args], env=env, catch_exceptions=False)


def test_add_prints_a_token_once_that_verifies_against_the_stored_hash(settings_factory):
    settings = settings_factory()
    added = run(settings, "add", "alice", "--role", "vocabulary-editor")
    assert added.exit_code == 0
    token = added.stdout.strip()
    entry = verify_token(tokens_path(settings), token)
    assert entry is not None and (entry.name, entry.role) == ("alice", "vocabulary-editor")
    stored = tokens_path(settings).read_text()
    assert token not in stored
    record = json.loads(stored)["tokens"][0]
    assert record["hash"].startswith("$argon2id$")
    assert PasswordHasher().verify(record["hash"], token)
    listed = run(settings, "list")
    assert token not in listed.output and record["hash"] not in listed.output
    assert listed.stdout.split("\t")[:2] == ["alice", "vocabulary-editor"]


def test_tokens_file_is_readable_by_its_owner_only(settings_factory):
    settings = settings_factory()
    run(settings, "add", "loader", "--role", "statistics-loader")
    mode = stat.S_IMODE(tokens_path(settings).stat().st_mode)
    assert mode == 0o600
    assert [p.name for p in tokens_path(settings).parent.iterdir()] == ["tokens.json"]


def test_a_wrong_or_revoked_token_does_not_verify(settings_factory):
    settings = settings_factory()
    token = run(settings, "add", "bob", "--role", "client-data-reader").stdout.strip()
    other = run(settings, "add", "carol", "--role", "client-data-reader").stdout.strip()
    assert verify_token(tokens_path(settings), token[:-2] + "xx") is None
    assert verify_token(tokens_path(settings), "not a token") is None
    revoked = run(settings, "revoke", "bob")
    assert revoked.exit_code == 0
    assert verify_token(tokens_path(settings), token) is None
    assert verify_token(tokens_path(settings), other) is not None
    assert run(settings, "list").stdout.split("\t")[0] == "carol"


def test_unknown_role_and_duplicate_name_are_refused_with_the_choices(settings_factory):
    settings = settings_factory()
    bad = run(settings, "add", "dave", "--role", "admin")
    assert bad.exit_code != 0 and "vocabulary-editor" in bad.output
    run(settings, "add", "dave", "--role", "statistics-loader")
    again = run(settings, "add", "dave", "--role", "statistics-loader")
    assert again.exit_code == 1 and "revoke it first" in again.output
    missing = run(settings, "revoke", "nobody")
    assert missing.exit_code == 1 and "dave" in missing.output
