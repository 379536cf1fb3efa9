"""A vocabulary's information page and its whole-vocabulary tables (CSV and Excel).

The information page shows what the vocabulary says of itself (``queries/web/vocabulary-
metadata.rq``): title, description, publisher, licence, version and dates, each stated on the
concept scheme or, failing that, on the VoID dataset that lists the scheme as a root resource;
and its concepts counted by lifecycle status. The tables give one row per active concept: URI,
the preferred label and the definition in each language, the broader concepts' URIs and the
status, with headers in the page's language (the format terminologists ask vocabulary services
for). The files are named after the vocabulary's title in that language (``ilmiot.xlsx``).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.iris import graph_iri
from kgservice.mappings.cube import slugify
from kgservice.namespaces import DCT, OWL, SKOS
from kgservice.queries import select
from kgservice.store import Store
from kgservice.terms.index import ConceptIndex, Picked, Vocabulary, pick
from kgservice.texts import LANGUAGES, translate

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Table formats of a whole vocabulary → media type.
TABLE_FORMATS = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX}
#: Between the URIs of several broader concepts in one cell.
SEPARATOR = " | "


@dataclass
class VocabularyInfo:
    """What the information page shows of one vocabulary, in one language."""

    title: Picked
    description: Picked | None
    publishers: list[str] = field(default_factory=list)
    licences: list[str] = field(default_factory=list)
    rights: Picked | None = None
    version: str | None = None
    modified: str | None = None
    #: the date of the store build, when the vocabulary states no dct:modified
    built: str = ""
    #: (status concept IRI or "", count), most concepts first
    statuses: list[tuple[str, int]] = field(default_factory=list)


def _texts(
    rows: list, prop: str, origins: tuple[str, ...] = ("scheme", "dataset")
) -> dict[str, str]:
    """The literals of ``prop`` by language; a scheme's own statement wins over its dataset's."""
    out: dict[str, str] = {}
    for origin in origins:
        for r in rows:
            if r["property"].value == prop and r["origin"].value == origin:
                if isinstance(r["value"], Literal):
                    out.setdefault(r["value"].language or "", r["value"].value)
        if out:
            return out
    return out


def _values(rows: list, prop: str) -> list[str]:
    for origin in ("scheme", "dataset"):
        found = sorted(
            {
                r["value"].value
                for r in rows
                if r["property"].value == prop and r["origin"].value == origin
            }
        )
        if found:
            return found
    return []


def vocabulary_info(
    idx: ConceptIndex, store: Store, settings: Settings, vocab: Vocabulary, lang: str
) -> VocabularyInfo:
    private = Literal(graph_iri(settings, "client") + "/")
    rows = select(
        store,
        settings.queries_dir,
        "web/vocabulary-metadata",
        scheme=NamedNode(vocab.iri),
        private=private,
    )
    description = (
        _texts(rows, DCT + "description", ("scheme",))
        or _texts(rows, SKOS + "definition", ("scheme",))
        or _texts(rows, DCT + "description", ("dataset",))
    )
    rights = _texts(rows, DCT + "rights")
    versions = _values(rows, OWL + "versionInfo")
    modified = _values(rows, DCT + "modified")
    counts = Counter(idx.statuses.get(c, "") for c in vocab.concepts)
    return VocabularyInfo(
        title=idx.vocab_title(vocab.id, lang),
        description=pick(description, lang),
        publishers=_values(rows, DCT + "publisher"),
        licences=_values(rows, DCT + "license"),
        rights=pick(rights, lang),
        version=versions[-1] if versions else None,
        modified=modified[-1] if modified else None,
        built=datetime.fromtimestamp(idx.built_at, UTC).date().isoformat(),
        statuses=sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])),
    )


def scheme_description(idx: ConceptIndex, vid: str, lang: str) -> Picked | None:
    """The vocabulary's skos:definition in ``lang`` (with the usual fallback), from the index."""
    return pick(idx.definitions.get(idx.vocabularies[vid].iri, {}), lang)


# -- the whole vocabulary as a table ---------------------------------------------------------------
def headers(lang: str) -> list[str]:
    """The column headers in ``lang``: URI, label and definition per language, broader, status."""
    out = [translate("vocab_col.uri", lang)]
    out += [f"{translate('vocab_col.label', lang)} ({code})" for code in LANGUAGES]
    out += [f"{translate('vocab_col.definition', lang)} ({code})" for code in LANGUAGES]
    out += [translate("vocab_col.broader", lang), translate("vocab_col.status", lang)]
    return out


def concept_rows(idx: ConceptIndex, vocab: Vocabulary, lang: str) -> list[list[str]]:
    """One row per active concept of ``vocab`` in the order of its labels in ``lang``: only the
    labels and definitions stated in each language (no fallback in a language's own column)."""
    rows = []
    for iri in idx.sorted_iris(vocab.concepts, lang):
        labels = idx.labels[iri].preferred() if iri in idx.labels else {}
        definitions = idx.definitions.get(iri, {})
        status = idx.statuses.get(iri)
        rows.append(
            [iri]
            + [labels.get(code, "") for code in LANGUAGES]
            + [definitions.get(code, "") for code in LANGUAGES]
            + [
                SEPARATOR.join(idx.concepts[iri].broader),
                idx.label(status, lang).text if status else "",
            ]
        )
    return rows


def download_name(idx: ConceptIndex, vocab: Vocabulary, lang: str, ext: str) -> str:
    """The file name of a whole-vocabulary download: its title in ``lang`` as an ASCII slug."""
    return f"{slugify(idx.vocab_title(vocab.id, lang).text) or vocab.id}.{ext}"


def to_csv(idx: ConceptIndex, vocab: Vocabulary, lang: str) -> bytes:
    """The table as UTF-8 CSV with a byte-order mark (so Excel reads the letters ä and ö)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headers(lang))
    writer.writerows(concept_rows(idx, vocab, lang))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(idx: ConceptIndex, vocab: Vocabulary, lang: str) -> bytes:
    """The table as an Excel workbook (XlsxWriter, as the view exports): one sheet named in
    ``lang``, bold frozen header, autofilter; text stays text (no formulas, no hyperlinks)."""
    import xlsxwriter

    out = io.BytesIO()
    options = {
        "in_memory": True,
        "strings_to_formulas": False,
        "strings_to_urls": False,
        "strings_to_numbers": False,
    }
    wb = xlsxwriter.Workbook(out, options)
    title = idx.vocab_title(vocab.id, lang).text
    wb.set_properties({"title": title, "author": translate("site_name", lang)})
    wb.set_custom_property("Language", lang)
    ws = wb.add_worksheet(translate("sheet.concepts", lang))
    bold = wb.add_format({"bold": True})
    head = headers(lang)
    rows = concept_rows(idx, vocab, lang)
    ws.write_row(0, 0, head, bold)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    ws.set_column(0, 0, 50)
    ws.set_column(1, len(head) - 1, 30)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, len(rows), len(head) - 1)
    wb.close()
    return out.getvalue()


# -- the front page's vocabulary groups ------------------------------------------------------
#: The groups of the front page, in order: the rake concept model (every vocabulary not named
#: below, the OWL model last), the code lists the data uses, and Sosmeta's structures.
GROUPS = ("model", "codes", "sosmeta")
#: Vocabulary id → group, for those outside the concept model.
GROUP_OF = {
    "status": "codes",
    "obs-status": "codes",
    "sex": "codes",
    "regions": "codes",
    "sosmeta-structures": "sosmeta",
    "obligation": "sosmeta",
}


def vocabulary_groups(idx: ConceptIndex, lang: str) -> list[tuple[str, list[Vocabulary]]]:
    """``(group, vocabularies)`` in :data:`GROUPS` order, each group sorted as the index sorts
    vocabularies in ``lang``; empty groups left out."""
    by_group: dict[str, list[Vocabulary]] = {g: [] for g in GROUPS}
    for vocab in idx.sorted_vocabularies(lang):
        by_group[GROUP_OF.get(vocab.id, "model")].append(vocab)
    return [(g, vocabs) for g, vocabs in by_group.items() if vocabs]
