"""README.md and docs/*.md stay a set a newcomer can follow: README is short and sends each
audience to its document, each document leads back, and no relative link points at nothing.

Anchors (``file.md#section``) are checked against the headings of the target, slugged the way
GitHub does (lower case, punctuation dropped, spaces to hyphens).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kgservice.config import PROJECT_ROOT

README = PROJECT_ROOT / "README.md"
DOCS = PROJECT_ROOT / "docs"
MAX_README_LINES = 300
#: One document per audience (issue 12), each linked from README.
AUDIENCE_DOCUMENTS = [
    "docs/analysts.md",
    "docs/terminologists.md",
    "docs/api.md",
    "docs/operators.md",
    "docs/benchmarks.md",
    "docs/development.md",
]

_LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE = re.compile(r"`[^`\n]*`")


def documents() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def links(doc: Path) -> list[str]:
    """Markdown link targets of ``doc``, outside fenced blocks (inline code may be link text)."""
    text = _FENCE.sub("", doc.read_text(encoding="utf-8"))
    return _LINK.findall(text)


def relative_links(doc: Path) -> list[str]:
    return [t for t in links(doc) if not re.match(r"^[a-z][a-z0-9+.-]*:", t)]


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: ``Views benchmark (`bench/views.py`)`` →
    ``views-benchmark-benchviewspy``."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(doc: Path) -> set[str]:
    text = _FENCE.sub("", doc.read_text(encoding="utf-8"))
    return {slug(h) for h in re.findall(r"^#{1,6} +(.+?) *#*$", text, re.MULTILINE)}


def resolve(doc: Path, target: str) -> tuple[Path, str]:
    path, _, anchor = target.partition("#")
    return ((doc.parent / path).resolve() if path else doc), anchor


def test_slug_follows_github():
    assert slug("Views benchmark (`bench/views.py`)") == "views-benchmark-benchviewspy"
    assert slug("`/api/views` and OpenAPI") == "apiviews-and-openapi"
    assert slug("Quality gate (`kgservice check`)") == "quality-gate-kgservice-check"


@pytest.mark.parametrize("doc", documents(), ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_every_relative_link_points_at_an_existing_file_and_heading(doc: Path):
    broken = []
    for target in relative_links(doc):
        path, anchor = resolve(doc, target)
        if not path.exists():
            broken.append(f"{target}: no such file")
        elif anchor and path.suffix == ".md" and anchor not in anchors(path):
            broken.append(f"{target}: no heading #{anchor} in {path.name}")
    assert broken == []


def test_readme_links_each_audience_document():
    targets = {resolve(README, t)[0] for t in relative_links(README)}
    missing = [d for d in AUDIENCE_DOCUMENTS if (PROJECT_ROOT / d).resolve() not in targets]
    assert missing == []


def test_readme_stays_short():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines < MAX_README_LINES, f"README.md has {lines} lines; move details into docs/"


#: The README's screenshots (``scripts/screenshots.py``): 1280 px wide, small files.
IMAGE_WIDTH = 1280
MAX_IMAGE_BYTES = 300_000


def test_every_image_the_readme_shows_exists_is_a_1280_px_png_and_stays_small():
    text = _FENCE.sub("", README.read_text(encoding="utf-8"))
    images = re.findall(r"!\[([^\]]*)\]\(([^)\s]+)\)", text)
    assert {Path(target).name for _alt, target in images} >= {
        "situation-picture.png",
        "phenomenon-view.png",
    }
    for alt, target in images:
        path = (README.parent / target).resolve()
        assert path.is_file(), target
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", target
        assert int.from_bytes(data[16:20], "big") == IMAGE_WIDTH, target  # IHDR width
        assert len(data) < MAX_IMAGE_BYTES, (target, len(data))
        assert len(alt.split()) >= 5, f"{target}: say what the picture shows in its alt text"


@pytest.mark.parametrize(
    "doc", sorted(DOCS.glob("*.md")), ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix()
)
def test_every_document_links_back_to_the_readme(doc: Path):
    assert README.resolve() in {resolve(doc, t)[0] for t in relative_links(doc)}


def test_every_audience_document_exists_and_says_whom_it_is_for():
    for name in AUDIENCE_DOCUMENTS:
        text = (PROJECT_ROOT / name).read_text(encoding="utf-8")
        first_paragraph = text.split("\n\n")[1]
        assert first_paragraph.startswith("For "), f"{name} must start by saying whom it is for"
