"""Build step ``indicator-values``: every indicator's values at every level, into the store.

Each indicator is computed once per build (:func:`compute_all`: its SPARQL query per level, the
aggregation rule, small-count and complementary suppression, then the national figure, the
change and the rank) and written to ``graph/indicator-values`` as one ``rake:IndicatorValue``
per indicator, area and period (:func:`value_triples`). The views then read finished figures
with small SPARQL lookups (``queries/indicators/values-*.rq``) instead of aggregating
observations on a visitor's request, and the same figures are open to ``/sparql``.

A value is *selected for* the view selections it answers (``rake:selectedFor``): ``"latest"``
when it is the newest period of its indicator and area that has a figure (a suppressed figure
counts, a missing one does not: :func:`selections`), and the year (``"2024"``) when it is the
last such period of that year. Values are grouped into slices (``rake:IndicatorSlice``): one
indicator at one level for each selection (plus ``"all"``, the whole series), and one area for each
selection (every indicator), so that a view starts from a handful of slices instead of scanning
values. The slices of one indicator for a year or "latest" also carry all their values' records
as one JSON array (``rake:sliceRecords``): a municipal table of thousands of values is then read
as one term per indicator, not one join per value (Oxigraph costs ~25 µs a joined row).
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from pyoxigraph import NamedNode, RdfFormat

from kgservice.config import Settings
from kgservice.indicators.areas import LEVEL_ORDER, Regions, level_iri, load_regions
from kgservice.indicators.compute import Value, compute, gap_note
from kgservice.indicators.documents import annotate
from kgservice.indicators.enrich import enrich
from kgservice.indicators.registry import Indicator, load_registry
from kgservice.indicators.suppression import apply_complementary, apply_small_counts
from kgservice.iris import graph_iri
from kgservice.namespaces import RDF, SDMX_DIMENSION, SDMX_MEASURE, XSD, ontology_ns, project
from kgservice.store.base import Store
from kgservice.texts import LANGUAGES

ByLevel = dict[str, dict[tuple[str, str], Value]]

RDF_TYPE = NamedNode(RDF + "type")
REF_AREA = NamedNode(SDMX_DIMENSION + "refArea")
REF_PERIOD = NamedNode(SDMX_DIMENSION + "refPeriod")
OBS_VALUE = NamedNode(SDMX_MEASURE + "obsValue")
DECIMAL = NamedNode(XSD + "decimal")

RDF_JSON = NamedNode(RDF + "JSON")

#: Value attributes stated as RDF too (local name of the rake: property), beside the record.
NUMERIC_FIELDS = {"numerator": "numeratorSum", "denominator": "denominatorSum"}
TEXT_FIELDS = {"origin": "valueOrigin", "suppression": "suppressionReason"}
#: Value attributes in the record (``rake:valueRecord``): everything a view shows.
RECORD_FIELDS = (
    "area", "period", "value", "status", "origin", "numerator", "denominator", "computed",
    "note", "suppression", "national", "change", "previous_period", "rank", "rank_low", "rank_of",
    "gap", "qualifier", "lower_bound", "upper_bound", "source", "alternatives",
)  # fmt: skip


def compute_all(store: Store, settings: Settings, regions: Regions, ind: Indicator) -> ByLevel:
    """Values of ``ind`` at every level: computed by rule, suppressed and enriched."""
    by_level: ByLevel = {}
    published: dict[str, list] = {}
    for level in LEVEL_ORDER:
        values = compute(store, settings, regions, ind, level, published)
        apply_small_counts(ind, values)
        by_level[level] = values
    apply_complementary(ind, by_level, regions)
    enrich(by_level, regions)
    annotate(store, settings, ind, by_level)
    return by_level


def has_figure(v: Value) -> bool:
    """Whether a figure exists for the value's period: shown, or withheld by disclosure control.

    A suppressed cell exists (the source or the suppression rules hide its number, as THL shows
    it), so it stays the latest figure; a missing cell (``..``, an incomplete sum) does not."""
    return v.shown or v.status == "suppressed"


def _newest(items: list[tuple[str, Value]]) -> str:
    """The newest period of ``items`` (sorted by period) with a figure, else the newest one."""
    with_figure = [period for period, v in items if has_figure(v)]
    return (with_figure or [period for period, _v in items])[-1]


def selections(values: dict[tuple[str, str], Value]) -> dict[tuple[str, str], list[str]]:
    """For each value the selections it answers: ``latest`` and/or its year (see module doc).

    Per area, ``latest`` is the newest period that has a figure (:func:`has_figure`), and a
    year is the last period of that year with a figure; only where no period has one is it the
    newest period, shown as missing. A column the source left empty (the unemployment share's
    2017) thus never hides the figure of the year before."""
    per_area: dict[str, list[tuple[str, Value]]] = defaultdict(list)
    for (area, period), v in values.items():
        per_area[area].append((period, v))
    out: dict[tuple[str, str], list[str]] = defaultdict(list)
    for area, items in per_area.items():
        items.sort(key=lambda item: item[0])
        out[(area, _newest(items))].append("latest")
        by_year: dict[str, list[tuple[str, Value]]] = defaultdict(list)
        for period, v in items:
            by_year[period[:4]].append((period, v))
        for year, in_year in by_year.items():
            out[(area, _newest(in_year))].append(year)
    return out


def _decimal_text(x: float) -> str:
    text = repr(round(x, 10))
    if "e" in text or "E" in text:
        text = f"{x:.10f}"
    return text.removesuffix(".0") if text.endswith(".0") else text


def nt_iri(iri: str) -> str:
    """An IRI as an N-Triples term (checked when the store parses the lines)."""
    return f"<{iri}>"


def nt_literal(text: str, datatype: str | None = None, language: str | None = None) -> str:
    """A literal as an N-Triples term: typed, language-tagged or plain."""
    # the four N-Triples string escapes, one C-speed replace each (str.translate with a table
    # walks a long JSON array character by character in Python)
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    quoted = '"' + escaped.replace("\n", "\\n").replace("\r", "\\r") + '"'
    if language:
        return f"{quoted}@{language}"
    return f"{quoted}^^<{datatype}>" if datatype else quoted


def _decimal(x: float) -> str:
    return nt_literal(_decimal_text(x), DECIMAL.value)


def area_code(regions: Regions, area: str) -> str:
    region = regions.by_iri.get(area)
    return region.code if region else area.rstrip("/").rsplit("/", 1)[-1]


def value_iri(settings: Settings, ind: Indicator, level: str, code: str, period: str) -> str:
    return f"{settings.base_iri}data/indicator-value/{ind.slug}/{level}/{code}/{period}"


def slice_iri(settings: Settings, ind: Indicator, level: str, selection: str) -> str:
    return f"{settings.base_iri}data/indicator-slice/{ind.slug}/{level}/{selection}"


def area_slice_iri(settings: Settings, level: str, code: str, selection: str) -> str:
    return f"{settings.base_iri}data/area-slice/{level}/{code}/{selection}"


def record(v: Value) -> str:
    """The value as a compact JSON object (attributes that are ``None`` or empty left out)."""
    fields = {k: getattr(v, k) for k in RECORD_FIELDS}
    return json.dumps(
        {k: x for k, x in fields.items() if x is not None and x != ""},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def records_of(by_level: ByLevel) -> dict[tuple[str, str, str], str]:
    """The record (:func:`record`) of every value, by (level, area IRI, period)."""
    return {
        (level, area, period): record(v)
        for level, values in by_level.items()
        for (area, period), v in values.items()
    }


def value_triples(
    settings: Settings,
    regions: Regions,
    ind: Indicator,
    by_level: ByLevel,
    records: dict[tuple[str, str, str], str] | None = None,
) -> Iterator[str]:
    """The RDF of one indicator's values and slices (see the module doc), as N-Triples lines.

    Written as text rather than as pyoxigraph terms: making ~3 µs Python objects for each of
    the 13 terms of a value was most of the step (the store parses the lines in one bulk load
    and checks every IRI there)."""
    records = records if records is not None else records_of(by_level)
    rake = ontology_ns(settings)
    status_base = project(settings).concept + "obs-status/"
    p = {name: nt_iri(rake + name) for name in (
        "indicator", "valueStatus", "valueRecord", "selectedFor", "sliceLevel", "sliceValue",
        "sliceRecords",
        *NUMERIC_FIELDS.values(), *TEXT_FIELDS.values(), "valueNote",
    )}  # fmt: skip
    a, ref_area, ref_period = (
        nt_iri(RDF_TYPE.value),
        nt_iri(REF_AREA.value),
        nt_iri(REF_PERIOD.value),
    )
    obs_value, rdf_json = nt_iri(OBS_VALUE.value), RDF_JSON.value
    cls, slice_cls = nt_iri(rake + "IndicatorValue"), nt_iri(rake + "IndicatorSlice")
    indicator = nt_iri(ind.iri)
    for level, values in by_level.items():
        chosen = selections(values)
        slices: dict[str, str] = {}
        for sel in ["all", *sorted({x for sels in chosen.values() for x in sels})]:
            node = slices[sel] = nt_iri(slice_iri(settings, ind, level, sel))
            yield f"{node} {a} {slice_cls} .\n"
            yield f"{node} {p['indicator']} {indicator} .\n"
            yield f"{node} {p['sliceLevel']} {nt_iri(level_iri(settings, level))} .\n"
            yield f"{node} {p['selectedFor']} {nt_literal(sel)} .\n"
        in_slice: dict[str, list[str]] = defaultdict(list)
        # by area and period: the records of a slice's array in one order whatever order the
        # queries answered in (two builds of the same inputs give the same bytes)
        for (area, period), v in sorted(values.items(), key=lambda item: item[0]):
            code = area_code(regions, area)
            rec = records[(level, area, period)]
            sels = chosen.get((area, period), ())
            for sel in sels:
                in_slice[sel].append(rec)
            s = nt_iri(value_iri(settings, ind, level, code, period))
            yield f"{s} {a} {cls} .\n"
            yield f"{s} {p['indicator']} {indicator} .\n"
            yield f"{slices['all']} {p['sliceValue']} {s} .\n"
            for sel in sels:
                yield f"{slices[sel]} {p['sliceValue']} {s} .\n"
                area_slice = nt_iri(area_slice_iri(settings, level, code, sel))
                yield f"{area_slice} {p['sliceValue']} {s} .\n"
            yield f"{s} {ref_area} {nt_iri(area)} .\n"
            yield f"{s} {ref_period} {nt_literal(period)} .\n"
            yield f"{s} {p['valueStatus']} {nt_iri(status_base + v.status)} .\n"
            yield f"{s} {p['valueRecord']} {nt_literal(rec, rdf_json)} .\n"
            if v.value is not None:
                yield f"{s} {obs_value} {_decimal(v.value)} .\n"
            for attr, name in NUMERIC_FIELDS.items():
                x = getattr(v, attr)
                if x is not None:
                    yield f"{s} {p[name]} {_decimal(x)} .\n"
            for attr, name in TEXT_FIELDS.items():
                x = getattr(v, attr)
                if x:
                    yield f"{s} {p[name]} {nt_literal(x)} .\n"
            # why a figure is missing: one language-tagged note per UI language (the record
            # keeps the coded gap)
            for lang in LANGUAGES if v.gap else ():
                note = nt_literal(gap_note(v.gap, lang), language=lang)
                yield f"{s} {p['valueNote']} {note} .\n"
        for sel, recs in in_slice.items():
            # every record of the slice in one literal: a view of many areas reads one term
            # per indicator instead of joining each value (Oxigraph: ~25 µs a joined row)
            array = nt_literal("[" + ",".join(recs) + "]", rdf_json)
            yield f"{slices[sel]} {p['sliceRecords']} {array} .\n"


AreaSlices = dict[tuple[str, str, str, str], list[str]]


def area_slice_triples(settings: Settings, area_slices: AreaSlices) -> Iterator[str]:
    """The slices that fix one area and one selection (their values are linked by
    :func:`value_triples`), each with the records of its values, every indicator's, as one
    array (``rake:sliceRecords``; each record names its ``indicator``): the situation picture
    of an area reads exactly one term. N-Triples lines, as :func:`value_triples`."""
    rake = ontology_ns(settings)
    a, cls = nt_iri(RDF_TYPE.value), nt_iri(rake + "IndicatorSlice")
    area_p, selected = nt_iri(rake + "sliceArea"), nt_iri(rake + "selectedFor")
    records_p = nt_iri(rake + "sliceRecords")
    for (level, area, code, sel), recs in sorted(area_slices.items()):
        node = nt_iri(area_slice_iri(settings, level, code, sel))
        yield f"{node} {a} {cls} .\n"
        yield f"{node} {area_p} {nt_iri(area)} .\n"
        yield f"{node} {selected} {nt_literal(sel)} .\n"
        array = nt_literal("[" + ",".join(recs) + "]", RDF_JSON.value)
        yield f"{node} {records_p} {array} .\n"


@dataclass(frozen=True)
class Materialised:
    """What :func:`materialise_values` wrote."""

    values: int  #: indicator values (one per indicator, level, area, period, selection)
    indicators: int
    triples: int


#: N-Triples lines handed to the store at a time: the graph is loaded in chunks, so a national
#: build never holds all its values' text at once.
CHUNK_LINES = 200_000


def materialise_values(settings: Settings, store: Store) -> Materialised:
    """Computes every indicator and replaces ``graph/indicator-values`` (build step
    ``indicator-values``).

    Each indicator's values are computed and written as N-Triples text (:func:`indicator_text`)
    on one thread per core; this thread bulk-loads their text in indicator order."""
    registry = load_registry(store, settings)
    regions = load_regions(store, settings)
    graph = graph_iri(settings, "indicator-values")
    store.drop_graph(graph)
    indicators = sorted(registry.indicators.values(), key=lambda i: i.slug)
    chunk: list[bytes] = []
    lines = written = counted = 0
    area_slices: AreaSlices = defaultdict(list)
    with _pool(settings, store, regions, indicators) as texts:
        for done in texts:
            counted += done.values
            chunk.append(done.text)
            lines += done.lines
            for key, rec in done.area_records:
                area_slices[key].append(rec)
            if lines >= CHUNK_LINES:
                store.bulk_load(b"".join(chunk), RdfFormat.N_TRIPLES, graph)
                written, chunk, lines = written + lines, [], 0
    chunk.append("".join(area_slice_triples(settings, area_slices)).encode())
    data = b"".join(chunk)
    if data:
        store.bulk_load(data, RdfFormat.N_TRIPLES, graph)
    written += data.count(b"\n")
    return Materialised(counted, len(registry.indicators), written)


@dataclass(frozen=True)
class IndicatorText:
    """One indicator's values as N-Triples (:func:`value_triples`) and its records for the
    area slices, keyed as :data:`AreaSlices`."""

    values: int
    text: bytes
    lines: int
    area_records: list[tuple[tuple[str, str, str, str], str]]


def indicator_text(
    settings: Settings, store: Store, regions: Regions, ind: Indicator
) -> IndicatorText:
    """Computes ``ind`` at every level (:func:`compute_all`) and writes it out."""
    by_level = compute_all(store, settings, regions, ind)
    records = records_of(by_level)
    text = "".join(value_triples(settings, regions, ind, by_level, records)).encode()
    tag = '{"indicator":' + json.dumps(ind.iri) + ","
    area_records = [
        ((level, area, area_code(regions, area), sel), tag + records[(level, area, period)][1:])
        for level, values in by_level.items()
        for (area, period), sels in sorted(selections(values).items())
        for sel in sels
    ]
    return IndicatorText(
        sum(len(v) for v in by_level.values()), text, text.count(b"\n"), area_records
    )


@contextmanager
def _pool(
    settings: Settings, store: Store, regions: Regions, indicators: list[Indicator]
) -> Iterator[Iterator[IndicatorText]]:
    """Every indicator's :class:`IndicatorText`, in the order of ``indicators``.

    From threads: Oxigraph evaluates a query without holding the GIL. Worker processes forked
    from the build were measured too (issue 18, docs/benchmarks.md): 5.8-6.1 s instead of
    4.1-4.6 s on the bundled data, 28 s instead of 33 s at 309 × 25 × 20; not kept."""
    workers = os.cpu_count() or 1
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        yield pool.map(lambda ind: indicator_text(settings, store, regions, ind), indicators)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
