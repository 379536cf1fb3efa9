"""The disclosure rules on hand-made groups: small counts and complementary cells."""

from __future__ import annotations

from kgservice.indicators.areas import Region, Regions
from kgservice.indicators.compute import Value
from kgservice.indicators.registry import Indicator
from kgservice.indicators.suppression import apply_complementary, apply_small_counts

COUNT = Indicator(iri="i", slug="count", rule="AggregateBySum")
RATE = Indicator(iri="r", slug="rate", rule="AggregateByRatioOfSums", multiplier=100)
INDEX = Indicator(iri="x", slug="index", rule="NotAggregable", is_index=True)


def regions() -> Regions:
    rs = [Region("C", "20", "wellbeing-county")]
    rs += [Region(f"m{i}", f"{i:03d}", "municipality", parent="C") for i in range(1, 5)]
    return Regions({r.iri: r for r in rs})


def cell(area, value, level="municipality", status="ok", ind="count"):
    return Value(ind, area, level, "2024", value, status, "published", numerator=value)


def test_counts_of_one_to_four_are_suppressed_and_zero_and_five_are_not():
    vals = {(f"m{n}", "2024"): cell(f"m{n}", float(n)) for n in (0, 1, 4, 5)}
    apply_small_counts(COUNT, vals)
    assert [vals[(f"m{n}", "2024")].status for n in (0, 1, 4, 5)] == [
        "ok",
        "suppressed",
        "suppressed",
        "ok",
    ]
    assert vals[("m1", "2024")].value is None and vals[("m1", "2024")].suppression == "small-count"


def test_rate_computed_from_a_small_numerator_is_suppressed():
    v = Value("rate", "m1", "municipality", "2024", 0.3, "ok", "computed", 3.0, 1000.0, 0.3)
    vals = {("m1", "2024"): v}
    apply_small_counts(RATE, vals)
    assert v.status == "suppressed" and v.value is None and v.denominator is None


def test_index_is_not_subject_to_count_rules():
    v = Value("index", "m1", "municipality", "2024", 3.0, "ok", "published")
    apply_small_counts(INDEX, {("m1", "2024"): v})
    assert v.status == "ok" and v.value == 3.0


def test_exactly_one_suppressed_cell_under_a_shown_total_suppresses_the_next_smallest():
    cells = {
        ("m1", "2024"): cell("m1", None, status="suppressed"),
        ("m2", "2024"): cell("m2", 40.0),
        ("m3", "2024"): cell("m3", 12.0),
        ("m4", "2024"): cell("m4", 90.0),
    }
    total = {("C", "2024"): cell("C", 145.0, level="wellbeing-county")}
    n = apply_complementary(COUNT, {"municipality": cells, "wellbeing-county": total}, regions())
    assert n == 1
    assert cells[("m3", "2024")].status == "suppressed"
    assert cells[("m3", "2024")].suppression == "complementary"
    assert cells[("m2", "2024")].shown and cells[("m4", "2024")].shown


def test_no_complementary_cell_when_the_total_is_not_shown():
    cells = {
        ("m1", "2024"): cell("m1", None, status="suppressed"),
        ("m2", "2024"): cell("m2", 40.0),
    }
    total = {("C", "2024"): cell("C", None, level="wellbeing-county", status="missing")}
    n = apply_complementary(COUNT, {"municipality": cells, "wellbeing-county": total}, regions())
    assert n == 0 and cells[("m2", "2024")].shown
