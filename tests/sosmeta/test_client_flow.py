"""The documented client flow, end to end (issue 11, defect 2: the client aggregate had no
``qb:structure``, so ``kgservice build`` stopped at Data Cube IC-2 and it was never published).

One run of the flow for the whole module (``client_flow``, see ``client_flow_fixture.py``):
synthetic documents → ``kgservice lift`` per batch → ``kgservice build`` with the full default
steps, through the CLI as docs/terminologists.md documents it. The published figures are compared
with the fixture's independent count of the input files, in the store, in ``/api/views/…`` and in
the HTML view; the privacy checks scan the store, logs, ``var/`` and the app's responses.
"""

from __future__ import annotations

import gzip
import hashlib
import hmac
import re
from datetime import date

import pytest
from client_flow_fixture import (
    BATCHES,
    HETU,
    INCOME_SUPPORT,
    KEY,
    Flow,
    published_cells,
    run_client_flow,
)
from client_flow_fixture import structure_oid as _structure
from pyoxigraph import NamedNode, RdfFormat, parse
from stdnum.fi import hetu as stdnum_hetu

from kgservice.config import PROJECT_ROOT
from kgservice.indicators.service import IndicatorService
from kgservice.sosmeta.pseudonym import age_group, birth_date
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.served import build_version, served_dir
from kgservice.validation.datacube import IC_IDS, check_integrity

B = "https://rake-kg.example/"
INDICATOR = "toimeentulotukipaatoksen-saaneet-asiakkaat"
DATASET_GRAPH = B + "graph/source/sosmeta-client-decisions"
PHENOMENON = "taloudellinen-tilanne-ja-toimeentulo"
AREA_3 = ("07", "08", "16")  # the counties of cooperation area 3, all lifted


@pytest.fixture(scope="module")
def client_flow(tmp_path_factory, schema_dir) -> Flow:
    """The whole flow once per module: a full build takes 20 s or more (minutes under load)."""
    return run_client_flow(tmp_path_factory.mktemp("client-flow"), schema_dir)


def _version(flow):
    """The version of the build the flow's test store is (the indicator service's cache key)."""
    return build_version(served_dir(flow.settings))


def _store(flow: Flow) -> EmbeddedStore:
    return EmbeddedStore(served_dir(flow.settings), read_only=True)


def _published(flow: Flow) -> dict[tuple[str, str, str], tuple[str | None, str]]:
    """(structure, county, year) → (value, status) of the dataset's cells."""
    return published_cells(flow.settings, DATASET_GRAPH)


def test_the_documented_flow_builds_with_every_data_cube_constraint_holding(client_flow):
    assert f"Data Cube ICs: all {len(IC_IDS)} hold" in client_flow.build_output
    for batch, *_ in BATCHES:
        lifted = client_flow.valid_count(batch)
        assert f"batch {batch}: {lifted} documents lifted" in client_flow.lift_output
    with _store(client_flow) as store:
        assert check_integrity(store, client_flow.settings) == []
        assert DATASET_GRAPH in store.graphs()


def test_the_scenario_has_cells_above_and_below_the_threshold(client_flow):
    counts = client_flow.expected.values()
    assert any(n >= 5 for n in counts) and any(1 <= n <= 4 for n in counts)


def test_published_counts_equal_an_independent_count_and_small_ones_are_hidden(client_flow):
    published = _published(client_flow)
    assert set(published) == set(client_flow.expected)
    for key, clients in client_flow.expected.items():
        value, status = published[key]
        if clients >= 5:
            assert (value, status) == (str(clients), "ok"), key
        else:
            assert (value, status) == (None, "suppressed"), key


def _view_rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
    return [r for r in response.get_json()["rows"] if r["indicator"] == INDICATOR]


@pytest.fixture(scope="module")
def flow_client(client_flow):
    from kgservice.web import create_app

    app = create_app(client_flow.settings)
    app.config["TESTING"] = True
    return app.test_client()


def _income_support(flow: Flow) -> dict[tuple[str, str], int]:
    structure = _structure(INCOME_SUPPORT)
    return {(c, y): n for (s, c, y), n in flow.expected.items() if s == structure}


def test_the_indicator_is_in_the_registry_with_definition_unit_and_phenomenon(flow_client):
    body = flow_client.get("/api/indicators?lang=en").get_json()
    found = [i for i in body["indicators"] if i["id"] == INDICATOR]
    assert len(found) == 1, [i["id"] for i in body["indicators"]]
    ind = found[0]
    assert ind["definition"] and ind["unit"] == "persons"
    assert ind["aggregation_rule"] == "AggregateBySum"
    assert ind["phenomena"] == ["economic situation and livelihood"]
    for lang in ("fi", "sv", "en"):
        body = flow_client.get(f"/api/indicators?lang={lang}").get_json()
        label = next(i["label"] for i in body["indicators"] if i["id"] == INDICATOR)
        assert label and label != INDICATOR


def test_the_api_view_shows_each_county_figure_and_hides_small_ones(client_flow, flow_client):
    expected = _income_support(client_flow)
    for (county, year), clients in sorted(expected.items()):
        rows = _view_rows(flow_client, f"/api/views/situation-picture?area={county}&year={year}")
        assert len(rows) == 1, (county, year)
        row = rows[0]
        assert row["period"] == year
        if clients >= 5:
            assert (row["value"], row["status"]) == (clients, "ok")
        else:
            assert (row["value"], row["status"]) == (None, "suppressed")
            assert row["numerator"] is None


def test_cooperation_area_totals_never_reveal_a_suppressed_county(client_flow, flow_client):
    """A total is shown only when every county of the area has a shown figure, so no hidden
    county can be recovered by subtraction; the whole country (most counties have no client
    data) is missing, never a smaller total."""
    expected = _income_support(client_flow)
    shown_totals = 0
    for year in sorted({y for (_, y) in expected}):
        rows = _view_rows(
            flow_client,
            f"/api/views/phenomenon-in-brief?phenomenon={PHENOMENON}"
            f"&level=cooperation-area&year={year}",
        )
        area3 = next(r for r in rows if r["area_code"] == "3")
        counties = [expected.get((c, year), 0) for c in AREA_3]
        if all(n >= 5 for n in counties):
            assert (area3["value"], area3["status"]) == (sum(counties), "ok")
            shown_totals += 1
        else:
            assert area3["value"] is None, (year, counties)
        country = _view_rows(flow_client, f"/api/views/situation-picture?area=SSS&year={year}")
        assert country == [] or country[0]["value"] is None
    assert shown_totals >= 1


def test_complementary_suppression_holds_in_every_group_with_a_shown_total(client_flow):
    """docs/analysts.md, "Disclosure control": no group (the areas inside one higher-level area,
    one period) may have exactly one suppressed cell while the group's total is shown."""
    with _store(client_flow) as store:
        svc = IndicatorService(store, client_flow.settings, _version(client_flow))
        ind = svc.registry.get(INDICATOR)
        by_level = svc.values(ind)
        regions = svc.regions
    assert any(v.status == "suppressed" for v in by_level["wellbeing-county"].values())
    groups_checked = 0
    for values in by_level.values():
        groups: dict[tuple[str, str], list] = {}
        for (area, period), v in values.items():
            parent = regions.by_iri[area].parent
            if parent:
                groups.setdefault((parent, period), []).append(v)
        for (parent, period), members in groups.items():
            upper = regions.by_iri[parent].level
            total = by_level.get(upper, {}).get((parent, period))
            if total is not None and total.shown:
                groups_checked += 1
                assert sum(m.status == "suppressed" for m in members) != 1, (parent, period)
    assert groups_checked >= 1


def test_the_html_view_shows_the_figures_and_marks_suppression(client_flow, flow_client):
    expected = _income_support(client_flow)
    big = next(k for k, n in sorted(expected.items()) if n >= 5)
    small = next(k for k, n in sorted(expected.items()) if 1 <= n <= 4)
    html = flow_client.get(f"/views/situation-picture?area={big[0]}&year={big[1]}&lang=fi")
    page = html.get_data(as_text=True)
    assert html.status_code == 200
    row = re.search(rf'<tr[^>]*data-indicator="{INDICATOR}".*?</tr>', page, re.S)
    assert row, "the indicator's row is missing from the HTML view"
    assert str(expected[big]) in re.sub(r"[\s\u00a0\u202f]", "", row.group(0))
    html = flow_client.get(f"/views/situation-picture?area={small[0]}&year={small[1]}&lang=en")
    page = html.get_data(as_text=True)
    row = re.search(rf'<tr[^>]*data-indicator="{INDICATOR}".*?</tr>', page, re.S)
    assert row and 'data-status="suppressed"' in row.group(0)
    value_cell = re.search(r'<td class="num">(.*?)</td>', row.group(0), re.S)
    assert value_cell and not re.search(r"\d", value_cell.group(1))  # no number at all
    assert value_cell.group(1).strip() == "suppressed"


def test_small_counts_stay_hidden_when_the_datasets_own_suppression_is_switched_off(
    client_flow, monkeypatch
):
    """Defence in depth: the aggregate suppresses counts 1–4 before it is published; with that
    layer switched off, the indicator step's small-count rule still hides every such count."""
    from kgservice.indicators.compute import Value
    from kgservice.indicators.suppression import apply_small_counts, is_count_based
    from kgservice.sosmeta import aggregate

    monkeypatch.setattr(aggregate, "SMALL_COUNTS", range(0))
    with _store(client_flow) as store:
        counts = aggregate.clients_with_decision_by_county(client_flow.settings, store)
        ind = IndicatorService(store, client_flow.settings, _version(client_flow)).registry.get(
            INDICATOR
        )
    small = [c for c in counts if 1 <= c.clients <= 4]
    assert small and not any(c.suppressed for c in small)  # the first layer is off
    assert is_count_based(ind)
    values = {
        (c.county, c.year): Value(
            INDICATOR,
            c.county,
            "wellbeing-county",
            c.year,
            float(c.clients),
            "ok",
            "published",
            numerator=float(c.clients),
        )
        for c in small
    }
    apply_small_counts(ind, values)
    assert all(v.value is None and v.status == "suppressed" for v in values.values())


def _identity_codes(text: str) -> list[str]:
    """Valid identity codes in ``text`` (a hetu-shaped timestamp in a build directory's name,
    e.g. ``084833-3037``, is not one: no such date, wrong check character)."""
    return [m for m in HETU.findall(text) if stdnum_hetu.is_valid(m)]


def _batch_quads(flow: Flow, batch: str) -> list:
    return list(
        parse(path=str(flow.settings.var_dir / "client" / f"{batch}.nq"), format=RdfFormat.N_QUADS)
    )


def test_invalid_documents_are_quarantined_and_never_loaded(client_flow):
    for batch, *_ in BATCHES:
        docs = client_flow.documents[batch]
        quads = _batch_quads(client_flow, batch)
        loaded = {q.subject.value for q in quads if q.predicate.value.endswith("#type")}
        assert len(loaded) == client_flow.valid_count(batch), batch
        report = client_flow.settings.var_dir / "quarantine" / f"sosmeta-{batch}.json"
        text = report.read_text(encoding="utf-8")
        assert text.count('"violations"') == len(docs) - len(loaded), batch
        assert not _identity_codes(text)
    assert any(not d.valid for docs in client_flow.documents.values() for d in docs)


def test_a_client_is_a_keyed_hmac_with_derived_age_group_year_and_county(client_flow):
    batch, county = "hva07-2026", "07"
    doc = next(d for d in client_flow.documents[batch] if d.valid and len(d.clients) == 1)
    kind, hetu = doc.clients[0]
    assert kind == "hetu"
    expected = hmac.new(KEY.encode(), f"hetu:{hetu}".encode(), hashlib.sha256).hexdigest()
    quads = _batch_quads(client_flow, batch)
    subject = next(q.subject for q in quads if q.object.value == expected)
    facts = {
        q.predicate.value.rsplit("/", 1)[-1]: q.object.value for q in quads if q.subject == subject
    }
    decided = date.fromisoformat(next(iter(doc.data.values()))["paatospaivamaara"])
    assert facts["year"] == str(decided.year) == doc.year
    assert facts["ageGroup"] == age_group(birth_date(hetu), decided)
    assert facts["recordingCounty"] == f"{B}region/hyvinvointialue/{county}"
    assert hetu not in "".join(str(q) for q in quads)


def test_client_graphs_are_private_named_graphs(client_flow):
    with _store(client_flow) as store:
        rows = store.select(
            "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a ?type } }",
            {"type": NamedNode(B + "ontology/ClientDocument")},
        )
    assert sorted(r["g"].value for r in rows) == sorted(
        f"{B}graph/client/{batch}" for batch, *_ in BATCHES
    )


_WORD = re.compile(r"\w+")


def _leaked_names(text: str, names: set[str]) -> set[str]:
    """The ``names`` that occur in ``text`` as words (one pass over the words, so a store dump
    of 200+ MB is scanned in seconds); hyphenated names (``Anna-Liisa``) as substrings."""
    plain = {n for n in names if _WORD.fullmatch(n)}
    return (set(_WORD.findall(text)) & plain) | {n for n in names - plain if n in text}


def _names_not_in_public_sources(names: set[str]) -> set[str]:
    """The input names minus those that occur in the public sources (ontology/, data/): a
    synthetic name that also occurs there (a surname in a citation, say) cannot tell a leak
    from public data."""
    found: set[str] = set()
    for folder in ("ontology", "data"):
        for path in (PROJECT_ROOT / folder).rglob("*"):
            if path.is_file() and path.suffix in {".ttl", ".csv", ".json", ".md"}:
                found |= _leaked_names(path.read_text(encoding="utf-8", errors="replace"), names)
            elif path.is_file() and path.name.endswith(".nt.gz"):  # the Sosmeta structures
                text = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
                found |= _leaked_names(text, names)
    return names - found


@pytest.mark.slow
def test_no_identity_code_or_name_in_store_logs_or_var(client_flow):
    with _store(client_flow) as store:
        dump = store.dump(RdfFormat.N_QUADS).decode("utf-8")
    assert f"<{B}graph/client/hva07-2026>" in dump  # the private data is in what is scanned
    assert len(client_flow.hetus) > 100
    names = _names_not_in_public_sources(client_flow.names)
    assert len(names) >= 10
    texts = {"store dump": dump, "logs": "\n".join(client_flow.logs)}
    texts["lift and build output"] = client_flow.lift_output + client_flow.build_output
    for path in client_flow.settings.var_dir.rglob("*"):
        if path.is_file() and path.suffix in {".nq", ".json", ".log", ".csv"}:
            texts[str(path)] = path.read_text(encoding="utf-8", errors="replace")
    for where, text in texts.items():
        # build directories are named by time and process id (build-20261207T090125-1319-…):
        # hetu-shaped, sometimes even with a matching check character, but no one's identity
        text = re.sub(r"build-\d{8}T[\w-]+", "build-…", text)
        assert not _identity_codes(text), (where, _identity_codes(text))
        assert not set(HETU.findall(text)) & client_flow.hetus, where
        leaked = _leaked_names(text, names)
        assert not leaked, (where, sorted(leaked)[:5])


@pytest.mark.slow
def test_no_identity_code_pseudonym_or_name_in_any_http_response(client_flow, flow_client):
    names = _names_not_in_public_sources(client_flow.names)
    app = flow_client.application
    urls = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments
    ]
    everything = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    urls += [f"/sparql?query={everything}", "/search?q=a", "/rest/v1/search?query=*"]
    urls += [f"/entity?uri={B}data/dataset/sosmeta-client-decisions"]
    urls += ["/vocab/sosmeta-structures/", "/api/indicators?lang=fi"]
    for county, year in sorted(_income_support(client_flow)):
        urls += [
            f"/api/views/situation-picture?area={county}&year={year}",
            f"/views/situation-picture?area={county}&year={year}",
        ]
    urls += [
        f"/api/views/phenomenon-in-brief?phenomenon={PHENOMENON}&level=wellbeing-county",
        f"/views/phenomenon-in-brief?phenomenon={PHENOMENON}&level=wellbeing-county",
    ]
    private = [f"{B}data/client/hva07-2026/document/1", f"{B}graph/client/hva07-2026"]
    private_urls = [f"/entity?uri={iri}" for iri in private]
    private_urls += ["/data/client/hva07-2026/document/1", f"/rest/v1/data?uri={private[0]}"]
    with _store(client_flow) as store:
        dump = store.dump(RdfFormat.N_QUADS).decode("utf-8")
    pseudonyms = set(re.findall(r'clientPseudonym> "([0-9a-f]{64})"', dump))
    assert len(pseudonyms) > 100
    seen = 0
    for url in urls + private_urls:
        response = flow_client.get(url)
        raw = response.get_data()
        gzipped = response.mimetype == "application/gzip"  # the public dump: read it whole
        body = (gzip.decompress(raw) if gzipped else raw).decode("utf-8")
        seen += len(body)
        assert not _identity_codes(body), (url, _identity_codes(body))
        assert not set(HETU.findall(body)) & client_flow.hetus, url
        assert not _leaked_names(body, names), (url, sorted(_leaked_names(body, names))[:5])
        assert not any(p in body for p in pseudonyms), url
        if url in private_urls:
            assert response.status_code == 404, url
    assert len(urls) >= 20 and seen > 0
