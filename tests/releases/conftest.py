"""A throw-away vocabulary repository: a git copy of the bundled ontology, tagged ``v1``."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from fixtures.vocab_edits import cli_in, make_vocab_repo


@pytest.fixture()
def vocab_repo(tmp_path) -> Path:
    """A rake-kg project tree in git: the bundled ontology/ and quality shapes, tag ``v1``."""
    return make_vocab_repo(tmp_path)


@pytest.fixture()
def kgservice(monkeypatch) -> Callable[..., Result]:
    """``kgservice(root, "diff", "v1", "ontology")``: the CLI as documented, run in ``root``."""
    return cli_in(monkeypatch)
