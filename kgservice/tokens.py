"""API tokens for the Graph Store Protocol on ``/graphs`` (issue 17): who may change which graph.

A token is made once by ``kgservice token add NAME --role ROLE``, printed once and never stored:
the tokens file (``KG_TOKENS_FILE``, default ``var/tokens.json``) keeps its Argon2id hash
(argon2-cffi, the reference implementation's binding), the name, the role and when it was made.
The file is rewritten whole through a temporary file and ``os.replace`` with mode ``0600``, so a
reader never sees half of it and no other user can read the hashes.

A token reads ``kgt_<key>_<secret>``: ``key`` (public, 8 hex digits) picks the one entry whose hash
is checked, so a request costs one Argon2 verification however many tokens exist; ``secret`` is
32 random bytes (``secrets.token_urlsafe``). Nothing here logs a token or a hash.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from kgservice.config import Settings
from kgservice.errors import ConfigError, KgError

VOCABULARY_EDITOR = "vocabulary-editor"
STATISTICS_LOADER = "statistics-loader"
CLIENT_DATA_READER = "client-data-reader"
#: Every role a token can have.
ROLES = (VOCABULARY_EDITOR, STATISTICS_LOADER, CLIENT_DATA_READER)

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
_TOKEN = re.compile(r"^kgt_([0-9a-f]{8})_([A-Za-z0-9_-]{20,100})$")
_HASHER = PasswordHasher()  # Argon2id with the library's current recommended parameters


@dataclass(frozen=True)
class TokenEntry:
    """One line of the tokens file: never the token itself."""

    name: str
    role: str
    created: str
    key: str
    hash: str


class TokenError(KgError):
    """A token command was given a bad name or role, or names a token that does not exist."""


def tokens_path(settings: Settings) -> Path:
    return settings.tokens_file or settings.var_dir / "tokens.json"


def read_tokens(path: Path) -> list[TokenEntry]:
    """The entries of the tokens file (none when it does not exist yet)."""
    if not path.exists():
        return []
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [TokenEntry(**entry) for entry in data["tokens"]]
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"the tokens file is not readable: {type(exc).__name__}",
            file=str(path),
            rule="tokens-file",
        ) from exc


def write_tokens(path: Path, entries: list[TokenEntry]) -> None:
    """Replace the tokens file atomically; it is created with mode 0600 (owner only)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    body = json.dumps({"tokens": [asdict(e) for e in entries]}, indent=2, ensure_ascii=False)
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(body + "\n")
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def add_token(path: Path, name: str, role: str) -> str:
    """Make a token for ``name`` with ``role``, store its hash, return the token (once)."""
    if not _NAME.match(name):
        raise TokenError(
            f"token name {name!r} must be 1-64 letters, digits, '.', '_', '@' or '-'",
            rule="token-name",
        )
    if role not in ROLES:
        raise TokenError(f"role {role!r}: choose one of {', '.join(ROLES)}", rule="token-role")
    entries = read_tokens(path)
    if any(e.name == name for e in entries):
        raise TokenError(
            f"a token named {name!r} exists; revoke it first or choose another name",
            rule="token-name",
        )
    key = secrets.token_hex(4)
    while any(e.key == key for e in entries):
        key = secrets.token_hex(4)
    token = f"kgt_{key}_{secrets.token_urlsafe(32)}"
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    entries.append(TokenEntry(name, role, created, key, _HASHER.hash(token)))
    write_tokens(path, entries)
    return token


def revoke_token(path: Path, name: str) -> None:
    entries = read_tokens(path)
    kept = [e for e in entries if e.name != name]
    if len(kept) == len(entries):
        names = ", ".join(e.name for e in entries) or "none"
        raise TokenError(f"no token named {name!r}; tokens: {names}", rule="token-name", status=404)
    write_tokens(path, kept)


def verify_token(path: Path, token: str) -> TokenEntry | None:
    """The entry ``token`` belongs to, or ``None`` (malformed, unknown, revoked or wrong)."""
    match = _TOKEN.match(token)
    if match is None:
        return None
    for entry in read_tokens(path):
        if secrets.compare_digest(entry.key, match.group(1)):
            try:
                _HASHER.verify(entry.hash, token)
            except (VerifyMismatchError, VerificationError, InvalidHashError):
                return None
            return entry
    return None
