"""One language per page and per file (issue 13): every view page, and its Excel and CSV file, in
Finnish, Swedish and English holds no word that only the other languages use.

"Another language's word" is read from the service's own texts: a word that appears in the Swedish
or English texts of ``kgservice/texts.py``, the ontology's ``@sv``/``@en`` literals or the regions'
Swedish or English names, and nowhere in their Finnish counterparts, must not appear on a Finnish
page (and so on for each language). Words all languages share (proper names such as Sotkanet, a
municipality's name that is the same in every language) pass; so do numbers and units. Text that
the page marks as another language (``lang="sv"`` on the language switch) is not read. Nor may
a page or file hold developer text: rule class names, query names, true/false, command lines,
and on the pages IRIs. The files' code columns (indicator and area codes) and the sources' own
citation metadata are not the service's words and are not read.

The pages and files come from the full build of the bundled data (``tests/conftest.py``), each
rendered once per language.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from itertools import chain

import openpyxl
import pytest
from pyoxigraph import Literal, RdfFormat, parse

from kgservice.config import Settings
from kgservice.indicators.export import CODE_COLUMNS, QUOTED
from kgservice.indicators.service import IndicatorService
from kgservice.texts import LANGUAGES, STRINGS, TERM_LABELS

WORD = re.compile(r"\b[^\W\d_]{2,}\b")  # whole words: not the letters of "14ww" or a hash
PLACEHOLDER = re.compile(r"\{\w+\}")
#: Names that are the same in every language: file formats and the service's technical name.
SHARED_NAMES = {"csv", "excel", "xlsx", "json", "rest", "api", "sparql", "rake", "kg"}
LEVELS = ("country", "cooperation-area", "wellbeing-county")
#: The county the area views are drawn for (Kainuu).
COUNTY = "20"


def words(text: str) -> set[str]:
    return {w.lower() for w in WORD.findall(PLACEHOLDER.sub(" ", text))}


def ontology_literals(settings: Settings) -> Iterator[tuple[str, str]]:
    """(language, text) of every language-tagged literal of the ontology modules."""
    for path in sorted(settings.ontology_dir.glob("*.ttl")):
        for triple in parse(path=str(path), format=RdfFormat.TURTLE):
            obj = triple.object
            if isinstance(obj, Literal) and obj.language in LANGUAGES:
                yield obj.language, obj.value


@pytest.fixture(scope="module")
def svc(app) -> IndicatorService:
    from kgservice.web.api import indicator_service

    with app.app_context():
        return indicator_service()


@pytest.fixture(scope="module")
def foreign(svc) -> dict[str, set[str]]:
    """Per language, the words only the other languages use."""
    vocab: dict[str, set[str]] = {lang: set() for lang in LANGUAGES}
    for table in (STRINGS, TERM_LABELS):
        for texts in table.values():
            for lang, text in texts.items():
                vocab[lang] |= words(text)
    for lang, text in ontology_literals(svc.settings):
        vocab[lang] |= words(text)
    for ind in svc.registry.indicators.values():  # the catalogue's titles in each language
        for lang, text in ind.labels.items():
            vocab[lang] |= words(text)
    for region in svc.regions.by_iri.values():
        for lang in LANGUAGES:  # the name the service uses in that language, proper names too
            vocab[lang] |= words(region.label(lang))
    # organisations' names (the producers of the Sotkanet catalogue) are names in any language:
    # Sotkanet gives some only in English (Nordic Centre for Welfare and Social Issues)
    names = {
        w for i in svc.registry.indicators.values() for t in i.producers.values() for w in words(t)
    }
    return {
        lang: set().union(*(vocab[o] for o in LANGUAGES if o != lang))
        - vocab[lang]
        - SHARED_NAMES
        - names
        for lang in LANGUAGES
    }


def view_urls(svc: IndicatorService) -> list[str]:
    """Every view: the index, the situation picture of a county and of the country, phenomenon in
    brief of every phenomenon at every level, the phenomenon view of every phenomenon for the
    municipalities of a county."""
    phenomena = [p.rsplit("/", 1)[-1] for p in svc.registry.phenomena()]
    urls = ["/views/", f"/views/situation-picture?area={COUNTY}", "/views/situation-picture"]
    urls += [
        f"/views/phenomenon-in-brief?phenomenon={p}&level={lv}" for p in phenomena for lv in LEVELS
    ]
    urls += [f"/views/phenomenon-view?phenomenon={p}&area={COUNTY}" for p in phenomena]
    return urls


def with_lang(url: str, lang: str, **more: str) -> str:
    extra = "".join(f"&{k}={v}" for k, v in {"lang": lang, **more}.items())
    return url + ("&" if "?" in url else "?") + extra.lstrip("&")


class _VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes and the ``title``, ``alt``, ``aria-label``
    and ``placeholder`` attributes, outside ``script``/``style`` and outside elements marked
    as another language."""

    SPOKEN = ("title", "alt", "aria-label", "placeholder")
    #: HTML's void elements (no end tag); SVG's self-closed ones come as start-end tags
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self, lang: str) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = lang
        self.stack: list[bool] = []  # per open element: is its text hidden from this check?
        self.parts: list[str] = []
        self.html_lang: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        hidden = bool(self.stack and self.stack[-1])
        # translate="no": a name or a publication's title, quoted in its own language
        hidden = hidden or tag in ("script", "style") or a.get("translate") == "no"
        hidden = hidden or a.get("lang", self.lang) != self.lang
        if not hidden:
            self.parts += [v for k, v in a.items() if k in self.SPOKEN and v]
        if tag not in self.VOID:
            self.stack.append(hidden)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        hidden = bool(self.stack and self.stack[-1])
        if not hidden:
            self.parts += [v for k, v in attrs if k in self.SPOKEN and v]

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def assert_one_language(bad: dict[str, dict[str, str]]) -> None:
    """Fails with one line per foreign word: where, which word, in what text."""
    lines = [
        f"{where}: {w!r} in {text!r}" for where, found in bad.items() for w, text in found.items()
    ]
    if lines:
        pytest.fail(f"{len(lines)} words of another language:\n" + "\n".join(lines), pytrace=False)


#: Developer text a reader must not meet: rule class names, query names, booleans, command lines
#: (in backticks or naming the command), and on the pages any IRI.
DEVELOPER = re.compile(
    r"AggregateBy|NotAggregable|indicators/|\b(?:true|false|True|False)\b|`|kgservice"
)
IRI = re.compile(r"https?://")


def offenders(texts: list[str], foreign: set[str], page: bool = False) -> dict[str, str]:
    """Each foreign word (and each piece of developer text) with the text it was found in (the
    first one)."""
    found: dict[str, str] = {}
    for text in texts:
        shown = " ".join(text.split())[:160]
        for w in words(text) & foreign:
            found.setdefault(w, shown)
        for m in DEVELOPER.finditer(text):
            found.setdefault(m.group(0), shown)
        if page and (m := IRI.search(text)):
            found.setdefault(m.group(0), shown)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_view_page_is_in_one_language(client, svc, foreign, lang):
    bad = {}
    for url in view_urls(svc):
        r = client.get(with_lang(url, lang))
        assert r.status_code == 200, url
        parser = _VisibleText(lang)
        parser.feed(r.get_data(as_text=True))
        assert parser.html_lang == lang, url
        assert len(parser.parts) > 20, url  # the page has text to check
        if found := offenders(parser.parts, foreign[lang], page=True):
            bad[with_lang(url, lang)] = found
    assert_one_language(bad)


#: The headers of the columns whose cells are not the service's words: the indicator and area
#: codes (identifiers), and the source block's quotes of each source's own metadata (title,
#: publisher, the citation text its licence asks for), in every language.
#: Columns that cite publications (their titles, in the language they were published in).
CITED = [
    "column.source",
    "column.source_url",
    "column.alternatives",
    "meta.source_document",
    "meta.address",
]

SKIPPED_HEADERS = {
    STRINGS[key][lang]
    for key in [f"column.{c}" for c in CODE_COLUMNS] + list(QUOTED) + CITED
    for lang in LANGUAGES
}


def xlsx_texts(data: bytes) -> list[str]:
    """The workbook's sheet names, properties and every text cell outside the skipped columns
    (a sheet's first row and each row after an empty one are a block's header)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    props = wb.properties
    texts = [*wb.sheetnames, props.title or "", props.subject or "", props.creator or ""]
    texts += [props.keywords or "", props.description or ""]
    for ws in wb.worksheets:
        skip: set[int] = set()
        after_blank = True
        for row in ws.iter_rows(values_only=True):
            if all(c is None for c in row):
                after_blank = True
                continue
            if after_blank:
                skip = {i for i, h in enumerate(row) if h in SKIPPED_HEADERS}
                after_blank = False
            texts += [c for i, c in enumerate(row) if isinstance(c, str) and i not in skip]
    return texts


def csv_texts(data: bytes) -> list[str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    skip = {i for i, h in enumerate(rows[0]) if h in SKIPPED_HEADERS}
    return [c for r in rows for i, c in enumerate(r) if i not in skip]


def file_urls(svc: IndicatorService) -> list[str]:
    return [u.replace("/views/", "/api/views/") for u in view_urls(svc) if u != "/views/"]


#: How each file format's texts are read.
FILE_TEXTS = {"xlsx": xlsx_texts, "csv": csv_texts}


@pytest.mark.parametrize("fmt", FILE_TEXTS)
@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_views_excel_and_csv_file_is_in_one_language(client, svc, foreign, lang, fmt):
    bad = {}
    for url in file_urls(svc):
        r = client.get(with_lang(url, lang, format=fmt))
        assert r.status_code == 200, url
        if found := offenders(FILE_TEXTS[fmt](r.data), foreign[lang]):
            bad[with_lang(url, lang, format=fmt)] = found
    assert_one_language(bad)


def test_the_check_sees_a_word_of_another_language(foreign):
    """The check itself: the Finnish, Swedish and English words of one text are caught on the
    pages of the other two languages, and a word all three share is not."""
    for lang in LANGUAGES:
        for other in LANGUAGES:
            theirs = words(STRINGS["suppression_rule"][other]) & foreign[lang]
            assert bool(theirs) == (other != lang), (lang, other)
    assert not any("sotkanet" in foreign[lang] for lang in LANGUAGES)
    assert list(chain.from_iterable(foreign.values()))


def test_every_indicator_text_the_views_show_is_in_finnish_swedish_and_english(svc):
    """Label, definition and unit of every indicator, and its source note and data availability
    where it has them, exist in each language (a missing one would fall back to Finnish on a
    Swedish or English page); so do the labels of the phenomena and levels the views name."""
    gaps = []
    for ind in svc.registry.indicators.values():
        if not ind.in_bundled_snapshot:  # the Sotkanet catalogue: the views show its name only
            texts = {"label": ind.labels, "producer": ind.producers}
        else:
            texts = {"label": ind.labels, "definition": ind.definitions, "unit": ind.units}
            texts |= {"source": ind.source_notes, "availability": ind.availability}
        for what, by_lang in texts.items():
            if by_lang or what in ("label", "definition", "unit", "producer"):
                gaps += [(ind.slug, what, lang) for lang in LANGUAGES if not by_lang.get(lang)]
    for phen in svc.registry.phenomena():
        labels = svc.registry.labels.get(phen, {})
        gaps += [(phen, "label", lang) for lang in LANGUAGES if not labels.get(lang)]
    assert svc.registry.indicators and gaps == []
