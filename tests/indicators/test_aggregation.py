"""Indicator values on the real-figure fixture, checked against pandas reads of the raw files.

The fixture holds counties 18 (Keski-Pohjanmaa) and 20 (Kainuu) with their municipalities,
cooperation area 5 (only these two counties, so its figures are this subset's) and the
country. Published rates have one decimal; recomputed ratios are compared to them within 0.05.
"""

from __future__ import annotations

import pytest
from indicator_raw import RAW, number

B = "https://rake-kg.example/"
COUNTY = {c: f"{B}region/hyvinvointialue/{c}" for c in ("18", "20")}
COOP5 = f"{B}region/yhteistyoalue/5"
COUNTRY = f"{B}region/koko-suomi"


def muni(code: str) -> str:
    return f"{B}region/kunta/{code}"


def values(svc, slug, level):
    return svc.values(svc.registry.get(slug))[level]


def municipalities_of(raw_regions, county: str) -> list[str]:
    return sorted(raw_regions[raw_regions.hyvinvointialue_code == county].kuntanumero)


def test_county_low_income_rate_is_published_figure_with_recomputed_ratio_beside_it(
    fixture_svc, raw_14ww
):
    v = values(fixture_svc, "pienituloisuusaste", "wellbeing-county")[(COUNTY["20"], "2024")]
    row = raw_14ww.loc["HVA20"]
    assert v.origin == "published"
    assert v.value == number(row["rpt_aste"])
    expected = 100 * number(row["rpt_henkilo"]) / number(row["tjt-henkiloita"])
    assert v.computed == pytest.approx(expected, abs=1e-9)
    assert abs(v.computed - v.value) <= 0.05


def test_cooperation_area_rate_is_ratio_of_summed_counts_not_average_of_rates(
    fixture_svc, raw_14ww
):
    v = values(fixture_svc, "pienituloisuusaste", "cooperation-area")[(COOP5, "2024")]
    hva = raw_14ww.loc[["HVA18", "HVA20"]]
    num = hva["rpt_henkilo"].astype(float).sum()
    den = hva["tjt-henkiloita"].astype(float).sum()
    assert v.origin == "computed"
    assert v.value == pytest.approx(100 * num / den, abs=1e-9)
    average_of_rates = hva["rpt_aste"].astype(float).mean()
    assert abs(v.value - average_of_rates) > 0.03  # 13.836 vs 13.800: the two rules differ


def test_count_rolls_up_by_sum_of_published_county_totals(fixture_svc, raw_14ww):
    v = values(fixture_svc, "perusturvan-varassa-olevat", "cooperation-area")[(COOP5, "2024")]
    assert v.origin == "computed"
    assert v.value == raw_14ww.loc[["HVA18", "HVA20"], "pt1_henkiloita"].astype(float).sum()


def test_county_count_is_published_total_even_when_municipal_cells_are_suppressed(
    fixture_svc, raw_14ww, raw_regions
):
    county = values(fixture_svc, "perusturvan-varassa-olevat", "wellbeing-county")
    v = county[(COUNTY["20"], "2024")]
    assert v.origin == "published" and v.value == number(raw_14ww.loc["HVA20", "pt1_henkiloita"])
    cells = raw_14ww.loc[["KU" + k for k in municipalities_of(raw_regions, "20")], "pt1_henkiloita"]
    assert (cells == "...").sum() == 1  # the raw data really has one suppressed municipality


def test_ratio_of_sums_for_a_rate_the_source_does_not_publish(fixture_svc, raw_14ww):
    v = values(fixture_svc, "perusturvan-varassa-olevien-osuus", "country")[(COUNTRY, "2024")]
    row = raw_14ww.loc["SSS"]
    assert v.origin == "computed"
    assert v.value == pytest.approx(
        100 * number(row["pt1_henkiloita"]) / number(row["tjt-henkiloita"]), abs=1e-9
    )


def test_every_municipal_rate_matches_independent_computation(fixture_svc, raw_14ww, raw_regions):
    got = values(fixture_svc, "pienituloisuusaste", "municipality")
    codes = municipalities_of(raw_regions, "18") + municipalities_of(raw_regions, "20")
    assert len(codes) == 16
    for code in codes:
        row = raw_14ww.loc["KU" + code]
        v = got[(muni(code), "2024")]
        if row["rpt_aste"] == "...":
            assert v.status == "suppressed" and v.value is None
        elif v.status == "ok":
            assert v.value == number(row["rpt_aste"])
            assert v.computed == pytest.approx(
                100 * number(row["rpt_henkilo"]) / number(row["tjt-henkiloita"]), abs=1e-9
            )


def test_source_suppressed_cell_is_suppressed_never_zero(fixture_svc, raw_14ww):
    v = values(fixture_svc, "perusturvan-varassa-olevat", "municipality")[(muni("697"), "2024")]
    assert raw_14ww.loc["KU697", "pt1_henkiloita"] == "..."
    assert v.status == "suppressed" and v.suppression == "source"
    assert v.value is None and v.numerator is None and v.rank is None


def test_lone_suppressed_cell_gets_next_smallest_suppressed_too(fixture_svc, raw_14ww, raw_regions):
    got = values(fixture_svc, "perusturvan-varassa-olevat", "municipality")
    kainuu = municipalities_of(raw_regions, "20")
    shown = {
        k: float(raw_14ww.loc["KU" + k, "pt1_henkiloita"])
        for k in kainuu
        if raw_14ww.loc["KU" + k, "pt1_henkiloita"] != "..."
    }
    smallest = min(shown, key=shown.get)
    assert got[(muni(smallest), "2024")].status == "suppressed"
    assert got[(muni(smallest), "2024")].suppression == "complementary"
    # what is still shown no longer reveals the hidden cells: total − shown = two cells
    still_shown = [got[(muni(k), "2024")].value for k in kainuu if got[(muni(k), "2024")].shown]
    assert len(still_shown) == len(kainuu) - 2
    # the rate built on the same counts hides the same municipality
    rate = values(fixture_svc, "perusturvan-varassa-olevien-osuus", "municipality")
    assert rate[(muni(smallest), "2024")].status == "suppressed"


def test_group_with_two_suppressed_cells_needs_no_complementary_cell(
    fixture_svc, raw_14ww, raw_regions
):
    got = values(fixture_svc, "perusturvan-varassa-olevat", "municipality")
    kp = municipalities_of(raw_regions, "18")
    hidden_at_source = [k for k in kp if raw_14ww.loc["KU" + k, "pt1_henkiloita"] == "..."]
    assert len(hidden_at_source) == 2
    assert not any(got[(muni(k), "2024")].suppression == "complementary" for k in kp)


def test_index_is_published_per_level_and_never_aggregated(fixture_svc):
    ind = "mielenterveyden-avohoitokaynnit-indeksi"
    county = values(fixture_svc, ind, "wellbeing-county")
    assert county[(COUNTY["20"], "2020")].origin == "published"
    assert fixture_svc.registry.get(ind).is_index
    assert values(fixture_svc, ind, "cooperation-area") == {}
    assert values(fixture_svc, ind, "country") == {}


def test_value_carries_national_figure_and_rank_among_peers(fixture_svc, raw_14ww):
    county = values(fixture_svc, "pienituloisuusaste", "wellbeing-county")
    kainuu, kp = county[(COUNTY["20"], "2024")], county[(COUNTY["18"], "2024")]
    assert kainuu.national == number(raw_14ww.loc["SSS", "rpt_aste"])
    assert (kainuu.rank, kp.rank, kainuu.rank_of) == (1, 2, 2)  # 15.4 > 12.2


def test_change_from_previous_year_for_published_unemployment_rate(fixture_svc):
    import pandas as pd

    raw = pd.read_csv(
        RAW / "indicators" / "statfin_kuntien_avainluvut_2000_2017_tyottomyys_kunta.csv",
        sep=";",
        encoding="utf-8-sig",
        dtype=str,
    )
    row = raw[(raw["Alue 2017"] == "Kajaani") & raw["Tiedot"].str.startswith("Työttömien")]
    v = values(fixture_svc, "tyottomien-osuus-tyovoimasta", "municipality")[(muni("205"), "2016")]
    assert v.value == float(row["2016"].iloc[0])
    assert v.previous_period == "2015"
    assert v.change == pytest.approx(float(row["2016"].iloc[0]) - float(row["2015"].iloc[0]))


def test_monthly_unemployment_rate_of_a_county_is_recomputed_from_municipal_counts(
    fixture_svc, raw_regions
):
    import pandas as pd

    raw = pd.read_csv(
        RAW / "indicators" / "statfin_12r5_tyonvalitys_tyottomat_kunta_2026M06.csv", dtype=str
    ).set_index("area_code")
    cells = raw.loc[["KU" + k for k in municipalities_of(raw_regions, "20")]]
    expected = (
        100 * cells.TYOTTOMATLOPUSSA.astype(float).sum() / cells.TYOVOIMATK.astype(float).sum()
    )
    v = values(fixture_svc, "tyottomien-tyonhakijoiden-osuus", "wellbeing-county")[
        (COUNTY["20"], "2026-06")
    ]
    assert v.origin == "computed" and v.value == pytest.approx(expected, abs=1e-9)
