"""Homelessness (issue 14): every ARA/Varke figure of the raw files is in the graph as the
preferred row gives it — value, unit, qualifier and source document — and the other
publications' figures are kept beside it, never as a second figure."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from ara_raw import DATA, MUNICIPAL, NATIONAL, RAW, key, number, qualifier_code
from pyoxigraph import NamedNode

from kgservice.config import CANONICAL_BASE_IRI
from kgservice.queries import select

VARIABLE = CANONICAL_BASE_IRI + "data/variable/ara-varke-asunnottomat/"


def cells(store, settings, measure: str) -> dict[tuple[str, str], dict]:
    """The graph's cells of one measure by (area notation, year)."""
    rows = select(
        store,
        settings.queries_dir,
        "statistics/observations-of-variable",
        variable=NamedNode(VARIABLE + measure),
    )
    return {(r["notation"].value, r["period"].value): r for r in rows}


def figures(store, settings, measure: str) -> tuple[dict, list]:
    """The graph's figures of one measure (by area IRI tail and year) and its alternatives."""
    rows = select(
        store,
        settings.queries_dir,
        "indicators/figure-sources",
        variable=NamedNode(VARIABLE + measure),
    )
    own = {}
    alternatives = []
    for r in rows:
        where = (r["area"].value, r["period"].value)
        if r["kind"].value == "figure":
            own[where] = r
        else:
            alternatives.append((where, r))
    return own, alternatives


def area_iri(notation: str, level: str) -> str:
    base = CANONICAL_BASE_IRI + "region/"
    if notation == "SSS":
        return base + "koko-suomi"
    return base + ("kunta/" if level == "kunta" else "hyvinvointialue/") + notation


def test_bundled_files_are_the_raw_files_byte_for_byte():
    for name in (NATIONAL, MUNICIPAL):
        assert (DATA / "ara" / name).read_bytes() == (RAW / name).read_bytes()


def test_every_preferred_figure_is_in_the_graph_with_its_value_unit_and_status(
    store, built_settings, preferred
):
    for measure in sorted({k[0] for k in preferred}):
        got = cells(store, built_settings, measure)
        want = {k[1:]: r for k, r in preferred.items() if k[0] == measure}
        assert set(want) <= set(got), measure
        for where, row in want.items():
            cell = got[where]
            value = number(row["value"])
            if value is None:
                assert "value" not in cell and cell["status"].value.endswith("/missing")
            else:
                assert Decimal(cell["value"].value) == value, (measure, where)
                assert cell["status"].value.endswith("/ok")
            assert cell["unit"].value == row["unit"]


def test_every_preferred_figure_names_its_source_document_and_qualifier(
    store, built_settings, preferred
):
    checked = 0
    for measure in sorted({k[0] for k in preferred}):
        own, _ = figures(store, built_settings, measure)
        for (m, notation, year), row in preferred.items():
            if m != measure:
                continue
            fig = own[(area_iri(notation, row["area_level"]), year)]
            assert fig["title"].value == row["source_title"]
            assert fig["publisher"].value == row["source_publisher"]
            if row["source_url"].startswith("http"):
                assert fig["url"].value == row["source_url"]
            if row["source_date"]:
                assert fig["date"].value == row["source_date"]
            code = qualifier_code(row["value_qualifier"])
            if code is None:
                assert "qualifier" not in fig
            else:
                assert fig["qualifier"].value.endswith("/" + code)
                word = row["value_qualifier"].split(" ")[0]
                bound = {"yli": "lower", "runsaat": "lower"}.get(word) or (
                    "upper" if word in ("vajaa", "vajaat", "lähes", "alle") else None
                )
                if bound and row["value"]:
                    assert Decimal(fig[bound].value) == Decimal(row["value"])
            checked += 1
    assert checked == len(preferred)


def test_other_publications_figures_are_alternatives_never_second_figures(
    store, built_settings, ara_rows, preferred
):
    """A second source that gives another value or qualifier is an alternative with its own
    source; one that agrees is not; no key has two figures."""
    want: Counter = Counter()
    for r in ara_rows:
        k = key(r)
        if r["preferred_row"] != "0" or k is None or not r["value"]:
            continue
        chosen = preferred.get(k)
        agrees = chosen is not None and (
            number(chosen["value"]) == number(r["value"])
            and qualifier_code(chosen["value_qualifier"]) == qualifier_code(r["value_qualifier"])
        )
        if not agrees:
            want[(k, Decimal(r["value"]), r["source_title"])] += 1
    assert want  # the files have conflicting publications (e.g. 2021: 3 948 and 3 950)
    got: Counter = Counter()
    for measure in sorted({k[0][0] for k in want}):
        own, alternatives = figures(store, built_settings, measure)
        for (area, year), r in alternatives:
            notation = "SSS" if area.endswith("koko-suomi") else area.rsplit("/", 1)[-1]
            got[((measure, notation, year), Decimal(r["value"].value), r["title"].value)] += 1
        # one figure per key: the preferred one (or a gap where only second sources give it)
        assert len(own) == len({(a, y) for a, y in own})
    assert got == want


def test_a_key_only_second_sources_give_is_a_gap_with_their_figures_beside_it(
    store, built_settings, ara_rows, preferred
):
    only_second = {
        k for r in ara_rows if r["preferred_row"] == "0" and (k := key(r)) and k not in preferred
    }
    assert only_second  # e.g. the national total of 2008, "noin 8 000" in one source only
    for measure, notation, year in only_second:
        cell = cells(store, built_settings, measure)[(notation, year)]
        assert "value" not in cell and cell["status"].value.endswith("/missing")
