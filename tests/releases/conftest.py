"""A throw-away vocabulary repository: a git copy of the bundled ontology, tagged ``v1``."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from vocab_edits import git

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT
from kgservice.validation.shacl import QUALITY_SHAPES


@pytest.fixture()
def vocab_repo(tmp_path) -> Path:
    """A rake-kg project tree in git: the bundled ontology/ and quality shapes, tag ``v1``."""
    shutil.copytree(PROJECT_ROOT / "ontology", tmp_path / "ontology")
    (tmp_path / "shapes").mkdir()
    for name in QUALITY_SHAPES:
        shutil.copy(PROJECT_ROOT / "shapes" / name, tmp_path / "shapes" / name)
    for marker in ("queries", "mappings"):
        (tmp_path / marker).mkdir()
        (tmp_path / marker / ".keep").write_text("")
    git(tmp_path, "init", "-q")
    git(tmp_path, "config", "user.email", "test@example.invalid")
    git(tmp_path, "config", "user.name", "test")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-q", "-m", "v1")
    git(tmp_path, "tag", "v1")
    return tmp_path


@pytest.fixture()
def kgservice(monkeypatch) -> Callable[..., Result]:
    """``kgservice(root, "diff", "v1", "ontology")``: the CLI as documented, run in ``root``."""

    def run(root: Path, *args: str) -> Result:
        monkeypatch.chdir(root)
        env = {"KG_PROJECT_DIR": str(root), "KG_VAR_DIR": str(root / "var")}
        return CliRunner().invoke(main, list(args), env=env)

    return run
