"""A throw-away project (ontology/ + shapes/) for running ``kgservice check`` on fixtures."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from kgservice.cli import main
from kgservice.config import PROJECT_ROOT
from kgservice.validation.shacl import QUALITY_SHAPES

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture()
def project(tmp_path) -> Callable[..., Path]:
    """``project("valid", "broader-cycle")`` → a directory whose ontology/ holds those fixtures."""

    def make(*fixtures: str) -> Path:
        (tmp_path / "ontology").mkdir(exist_ok=True)
        (tmp_path / "shapes").mkdir(exist_ok=True)
        for name in QUALITY_SHAPES:
            shutil.copy(PROJECT_ROOT / "shapes" / name, tmp_path / "shapes" / name)
        for fixture in fixtures:
            shutil.copy(FIXTURES / f"{fixture}.ttl", tmp_path / "ontology" / f"{fixture}.ttl")
        return tmp_path

    return make


@pytest.fixture()
def run_check_cli() -> Callable[..., Result]:
    """``run_check_cli(root, "--format", "json")``: ``kgservice check`` on a fixture project."""

    def run(root: Path, *args: str) -> Result:
        env = {
            "KG_ONTOLOGY_DIR": str(root / "ontology"),
            "KG_SHAPES_DIR": str(root / "shapes"),
            "KG_VAR_DIR": str(root / "var"),
        }
        return CliRunner().invoke(main, ["check", *args], env=env)

    return run
