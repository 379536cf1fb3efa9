"""A vocabulary repository runs the gate as pre-commit hooks (``.pre-commit-hooks.yaml``) and in
CI (the GitHub Actions and GitLab CI examples of docs/terminologists.md), as documented there.

The hook is run by the real ``pre-commit`` on a throw-away git repository whose
``.pre-commit-config.yaml`` names this checkout by its path and its ``HEAD`` commit. The hook used
is ``kgservice-check-system``, the ``kgservice`` of this environment: the ``python`` hook
(``kgservice-check``) would have pre-commit install rake-kg and its dependencies from the package
index into a new environment, which a test must not need (the two hooks differ only in
``language``; the test below checks that too).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml
from fixtures.vocab_edits import DEPRECATED, edit, git, make_vocab_repo, n

from kgservice.config import PROJECT_ROOT
from kgservice.namespaces import OWL, SKOS

DOCS = PROJECT_ROOT / "docs" / "terminologists.md"
HOOKS = PROJECT_ROOT / ".pre-commit-hooks.yaml"


def hooks() -> dict[str, dict]:
    return {h["id"]: h for h in yaml.safe_load(HOOKS.read_text(encoding="utf-8"))}


def test_both_hooks_run_the_gate_once_when_an_ontology_file_changes():
    found = hooks()
    assert set(found) == {"kgservice-check", "kgservice-check-system"}
    python, system = found["kgservice-check"], found["kgservice-check-system"]
    assert python["language"] == "python" and system["language"] == "system"
    for hook in (python, system):
        assert hook["entry"] == "kgservice check"
        assert hook["pass_filenames"] is False
        assert re.search(hook["files"], "ontology/phenomena.ttl")
        assert not re.search(hook["files"], "README.md")


@pytest.fixture()
def hooked_repo(tmp_path) -> tuple[Path, dict[str, str]]:
    """A vocabulary repository with the hook installed (pre-commit's cache in ``tmp_path``)."""
    repo = make_vocab_repo(tmp_path / "vocab")
    head = git(PROJECT_ROOT, "rev-parse", "HEAD").strip()
    config = {
        "repos": [
            {
                "repo": str(PROJECT_ROOT),
                "rev": head,
                "hooks": [{"id": "kgservice-check-system", "args": ["--no-reasoner"]}],
            }
        ]
    }
    (repo / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["PRE_COMMIT_HOME"] = str(tmp_path / "pre-commit-cache")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    run = [sys.executable, "-m", "pre_commit", "install"]
    subprocess.run(run, cwd=repo, env=env, check=True, capture_output=True)
    git(repo, "add", ".pre-commit-config.yaml")
    return repo, env


def commit(repo: Path, env: dict[str, str], message: str) -> tuple[int, str]:
    """``git commit`` (which runs the hook): exit status and all it printed."""
    done = subprocess.run(
        ["git", "-C", str(repo), "commit", "-m", message],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=600,
    )
    return done.returncode, done.stdout


def test_the_hook_lets_a_valid_edit_in_and_refuses_a_broken_one_naming_the_rule(hooked_repo):
    repo, env = hooked_repo
    groups = repo / "ontology" / "population-groups.ttl"
    note = ox.Literal("Tarkistettu.", language="fi")
    edit(groups, add=[ox.Triple(n(DEPRECATED), n(SKOS + "changeNote"), note)])
    git(repo, "add", "ontology")
    status, output = commit(repo, env, "a valid edit")
    assert status == 0, output
    assert re.search(r"kgservice check \(vocabulary quality gate.*Passed", output)
    boolean = n("http://www.w3.org/2001/XMLSchema#boolean")
    retired = ox.Triple(n(DEPRECATED), n(OWL + "deprecated"), ox.Literal("true", datatype=boolean))
    edit(groups, add=[retired])  # deprecated without dct:isReplacedBy
    git(repo, "add", "ontology")
    status, output = commit(repo, env, "a broken edit")
    assert status != 0
    assert re.search(r"kgservice check \(vocabulary quality gate.*Failed", output)
    assert "[deprecated-needs-replacement]" in output
    assert "ontology/population-groups.ttl" in output
    log = git(repo, "log", "--format=%s")
    assert "a valid edit" in log and "a broken edit" not in log


def documented(title: str) -> dict:
    """The YAML block of docs/terminologists.md whose first line is ``# <title>``."""
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    found = [b for b in blocks if b.startswith(f"# {title}\n")]
    assert len(found) == 1, f"one yaml block starting '# {title}' in {DOCS}"
    return yaml.safe_load(found[0])


def test_the_github_actions_example_runs_the_gate_and_keeps_report_and_changelog():
    workflow = documented(".github/workflows/vocabulary.yml")
    steps = workflow["jobs"]["gate"]["steps"]
    commands = " && ".join(s.get("run", "") for s in steps)
    assert "kgservice check" in commands and "--format junit -o var/check.xml" in commands
    assert "kgservice diff" in commands and "-o var/changes.md" in commands
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()"
    paths = upload["with"]["path"].split()
    assert {"var/check.xml", "var/changes.md", "releases/*/CHANGELOG.md"} <= set(paths)


def test_the_gitlab_ci_example_publishes_the_junit_report_and_the_changelog():
    job = documented(".gitlab-ci.yml")["vocabulary-gate"]
    script = " && ".join(job["script"])
    assert "kgservice check" in script and "--format junit -o var/check.xml" in script
    assert job["artifacts"]["reports"]["junit"] == "var/check.xml"
    assert job["artifacts"]["when"] == "always"
    assert {"var/check.xml", "var/changes.md"} <= set(job["artifacts"]["paths"])


def test_the_documented_pre_commit_config_names_a_hook_that_exists():
    config = documented(".pre-commit-config.yaml of the vocabulary repository")
    ids = {h["id"] for r in config["repos"] for h in r["hooks"]}
    assert ids <= set(hooks())
