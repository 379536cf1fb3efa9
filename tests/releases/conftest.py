"""A throw-away vocabulary repository: a git copy of the bundled ontology, tagged ``v1``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.vocab_edits import cli_in, make_vocab_repo, released_round_trip


@pytest.fixture()
def vocab_repo(tmp_path) -> Path:
    """A rake-kg project tree in git: the bundled ontology/ and quality shapes, tag ``v1``."""
    return make_vocab_repo(tmp_path)


@pytest.fixture()
def kgservice(monkeypatch) -> Callable[..., Result]:
    """``kgservice(root, "diff", "v1", "ontology")``: the CLI as documented, run in ``root``."""
    return cli_in(monkeypatch)


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """:func:`~fixtures.vocab_edits.released_round_trip`: two releases and a store of them."""
    with pytest.MonkeyPatch.context() as mp:
        return released_round_trip(
            tmp_path_factory.mktemp("vocab"), tmp_path_factory.mktemp("var"), mp
        )
