"""``kgservice token add|list|revoke``: the API tokens of ``/graphs`` (:mod:`kgservice.tokens`).

``add`` prints the new token once, on standard output and nowhere else; ``list`` shows names,
roles and dates, never a token or a hash.
"""

from __future__ import annotations

import click

from kgservice.config import Settings
from kgservice.tokens import ROLES, add_token, read_tokens, revoke_token, tokens_path


@click.group()
def token() -> None:
    """Manage the API tokens for writes on /graphs (stored as Argon2id hashes)."""


@token.command("add")
@click.argument("name")
@click.option("--role", required=True, type=click.Choice(ROLES), help="What the token may do.")
@click.pass_obj
def add(settings: Settings, name: str, role: str) -> None:
    """Make a token for NAME and print it once (it cannot be shown again)."""
    secret = add_token(tokens_path(settings), name, role)
    click.echo(f"token for {name} ({role}); shown once, keep it now:", err=True)
    click.echo(secret)


@token.command("list")
@click.pass_obj
def list_tokens(settings: Settings) -> None:
    """Names, roles and creation dates of the tokens (never the tokens)."""
    entries = read_tokens(tokens_path(settings))
    if not entries:
        click.echo("no tokens", err=True)
    for e in entries:
        click.echo(f"{e.name}\t{e.role}\t{e.created}")


@token.command("revoke")
@click.argument("name")
@click.pass_obj
def revoke(settings: Settings, name: str) -> None:
    """Revoke the token of NAME; requests with it get 401 from now on."""
    revoke_token(tokens_path(settings), name)
    click.echo(f"revoked the token of {name}", err=True)
