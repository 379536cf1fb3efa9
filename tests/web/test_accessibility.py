"""Accessibility and offline rules checked on the palette, the templates and rendered pages."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from kgservice.config import PROJECT_ROOT

WEB = PROJECT_ROOT / "kgservice" / "web"
CSS = WEB / "static" / "site.css"


def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def palette() -> tuple[dict[str, str], list[tuple[str, str]]]:
    text = CSS.read_text(encoding="utf-8")
    colours = dict(re.findall(r"(--[\w-]+):\s*(#[0-9a-fA-F]{3,6})\s*;", text))
    header = text[: text.index(":root")]
    pairs = re.findall(r"(--[\w-]+)/(--[\w-]+)", header)
    return colours, pairs


def test_contrast_formula_matches_wcag_reference_values():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)


def test_every_declared_text_background_pair_meets_wcag_aa():
    colours, pairs = palette()
    assert len(pairs) >= 8
    for fg, bg in pairs:
        ratio = contrast(colours[fg], colours[bg])
        assert ratio >= 4.5, f"{fg} on {bg}: {ratio:.2f}:1"


def test_css_colours_are_only_palette_variables():
    body = CSS.read_text(encoding="utf-8").split("}", 1)[1]  # everything after :root
    assert not re.findall(r"#[0-9a-fA-F]{3,6}\b", body)


_REMOTE_LOADS = re.compile(
    r"""<(?:script|img|iframe|source|video|audio|embed)\b[^>]*\bsrc\s*=\s*["'](?:https?:)?//"""
    r"""|<link\b[^>]*\bhref\s*=\s*["'](?:https?:)?//"""
    r"""|url\(\s*["']?(?:https?:)?//|@import\s+["'](?:https?:)?//"""
    r"""|(?:fetch|import)\(\s*["'](?:https?:)?//""",
    re.I,
)


def test_templates_and_static_files_load_nothing_from_the_network():
    """Pages work offline: no script, style, font or image from another host (links are fine)."""
    files = [p for p in WEB.rglob("*") if p.suffix in {".html", ".css", ".js"}]
    assert files
    assert _REMOTE_LOADS.search('<script src="https://cdn.example/x.js">')
    assert not _REMOTE_LOADS.search('<a href="https://www.w3.org/TR/sparql11-query/">')
    for path in files:
        m = _REMOTE_LOADS.search(path.read_text(encoding="utf-8"))
        assert m is None, f"{path.relative_to(WEB)} loads {m.group(0)}"


class _Audit(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.html_lang: str | None = None
        self.ids: set[str] = set()
        self.label_for: set[str] = set()
        self.controls: list[str] = []
        self.has_main = False
        self.headings: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "label" and "for" in a:
            self.label_for.add(a["for"])
        if tag in {"input", "select", "textarea"} and a.get("type") != "hidden":
            self.controls.append(a.get("id", ""))
        if tag == "main":
            self.has_main = True
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(tag)


PAGES = [
    "/?lang=sv",
    "/vocab/service-task/hierarchy?lang=en",
    "/vocab/service-task/index",
    "/search?q=paihde",
    "/page?uri={base}concept%2Fphenomenon%2Fasunnottomuus&lang=en",
]


@pytest.mark.parametrize("url", PAGES)
def test_pages_have_language_main_landmark_labelled_controls_and_one_h1(web_client, base, url):
    resp = web_client.get(url.replace("{base}", quote(base, safe="")))
    assert resp.status_code == 200
    audit = _Audit()
    audit.feed(resp.get_data(as_text=True))
    expected = re.search(r"lang=(\w+)", url)
    assert audit.html_lang == (expected.group(1) if expected else "fi")
    assert audit.has_main
    assert audit.headings.count("h1") == 1
    for control in audit.controls:
        assert control and control in audit.label_for, f"unlabelled control {control!r}"
    assert "content" in audit.ids  # the skip link's target


def test_ui_strings_exist_in_all_three_languages():
    from kgservice.texts import LANGUAGES, STRINGS

    for key, texts in STRINGS.items():
        assert set(texts) == set(LANGUAGES), key


def test_templates_use_only_defined_ui_strings():
    from kgservice.texts import STRINGS

    used = set()
    for path in (WEB / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"""\bt\(\s*['"]([\w.-]+)['"]\s*\)""", text))
    assert used and used <= set(STRINGS), used - set(STRINGS)


def test_skip_link_and_focus_styles_exist():
    css = CSS.read_text(encoding="utf-8")
    assert ":focus-visible" in css
    base_html = (WEB / "templates" / "base.html").read_text(encoding="utf-8")
    assert 'class="skip-link" href="#content"' in base_html
