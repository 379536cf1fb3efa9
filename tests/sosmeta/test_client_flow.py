"""The documented client flow, end to end (issue 11, defect 2).

Exactly as README "Sosmeta structures and client documents" → Commands says: synthetic documents
from ``python -m kgservice.sosmeta.synth``, then ``KG_PSEUDONYM_KEY=… kgservice lift --county …
--batch … FILE`` per batch, then ``kgservice build`` with the full default steps, in a private
``KG_VAR_DIR``. The published aggregate is then compared with an independent count made here
from the input files (JSON Schema + python-stdnum for validity, HMAC-free distinct identities per
county and year), in the store, in ``/api/views/…`` and in the HTML view.

One full build for the whole module (``client_flow``): a full build takes 20 s or more.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from pyoxigraph import RdfFormat
from stdnum.fi import hetu as stdnum_hetu

from kgservice.cli import main
from kgservice.config import Settings
from kgservice.pipeline.swap import current_store_dir
from kgservice.sosmeta.synth import main as synth_main
from kgservice.store.embedded import EmbeddedStore
from kgservice.validation.datacube import IC_IDS, check_integrity

B = "https://rake-kg.example/"
KEY = "client-flow-test-key"
INCOME_SUPPORT = "1.2.246.537.6.1506.11047.2023.9.27"  # Päätös täydentävästä tai ehk. ttt:sta
WORKING_AGE = "1.2.246.537.6.1506.11052.2023.9.8"  # Työikäisten palvelupäätös (README example)
INDICATOR = "toimeentulotukipaatoksen-saaneet-asiakkaat"
DATASET_GRAPH = B + "graph/source/sosmeta-client-decisions"
HETU = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]")
DATE_KEYS = ("paatospaivamaara", "paivamaara", "laatimispaivamaara", "vireilletulopaivamaara")

#: (batch, county, structure, documents, seed): cooperation area 3 (Kanta-Häme 07, Pirkanmaa 08,
#: South Ostrobothnia 16) with many documents each, Kainuu (20) with few (every cell 1–4 or
#: empty), and working-age service decisions for Helsinki (90), which are a decision structure of
#: their own and are not counted by the income-support indicator.
BATCHES = (
    ("hva07-2026", "07", INCOME_SUPPORT, 120, 7),
    ("hva08-2026", "08", INCOME_SUPPORT, 120, 8),
    ("hva16-2026", "16", INCOME_SUPPORT, 120, 16),
    ("hva20-2026", "20", INCOME_SUPPORT, 6, 20),
    ("hki-2024-05", "90", WORKING_AGE, 40, 90),
)
AREA_3 = ("07", "08", "16")


@dataclass
class Flow:
    settings: Settings
    lift_output: list[str]
    build_output: str
    #: (structure OID without version, county code, year) → distinct clients, counted here
    expected: dict[tuple[str, str, str], int]
    hetus: set[str]
    lifted: dict[str, int]  # batch → documents the test finds valid


def _structure(oid: str) -> str:
    return oid.rsplit(".", 3)[0]  # drop the version date: 1.2.246.537.6.1506.11047


def _first_date(doc) -> str | None:
    """The document's date by the lift's documented preference: decision date first."""
    found: dict[str, str] = {}

    def walk(value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k in DATE_KEYS and isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\d", v):
                    found.setdefault(k, v)
                walk(v)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(doc)
    return next((found[k] for k in DATE_KEYS if k in found), None)


def _identities(doc) -> tuple[list[tuple[str, str]], bool]:
    """Every client identity of the document, and whether all of them are acceptable."""
    out: list[tuple[str, str]] = []
    ok = True

    def walk(value) -> None:
        nonlocal ok
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "henkilotunnus" and isinstance(v, dict) and "value" in v:
                    if stdnum_hetu.is_valid(str(v["value"])):
                        out.append(("hetu", str(v["value"])))
                    else:
                        ok = False
                elif k == "tilapainen_yksilointitunnus" and isinstance(v, dict):
                    out.append(("temporary", str(v.get("value"))))
                walk(v)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(doc)
    return out, ok


def _independent_count(path: Path, schema: dict, county: str, structure: str, counts, hetus):
    """Documents the JSON Schema and python-stdnum accept, counted into ``counts``."""
    validator = jsonschema.Draft202012Validator(schema)
    valid = 0
    seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
    for line in path.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        hetus.update(HETU.findall(line))
        people, ids_ok = _identities(doc)
        clients = [p for p in doc.values() if isinstance(p, dict)]
        has_everyone = all(
            "henkilotunnus" in c or "tilapainen_yksilointitunnus" in c
            for root in clients
            for c in root.get("asiakas", [])
            if isinstance(c, dict)
        )
        if not ids_ok or not has_everyone or any(True for _ in validator.iter_errors(doc)):
            continue
        valid += 1
        date = _first_date(doc)
        if date is not None:
            seen[date[:4]].update(people)
    for year, people in seen.items():
        counts[(structure, county, year)] = len(people)
    return valid


@pytest.fixture(scope="module")
def client_flow(tmp_path_factory, schema_dir) -> Flow:
    work = tmp_path_factory.mktemp("client-flow")
    var = work / "var"
    env = {"KG_VAR_DIR": str(var), "KG_STORE": str(var / "store"), "KG_PSEUDONYM_KEY": KEY}
    runner = CliRunner()
    expected: dict[tuple[str, str, str], int] = {}
    hetus: set[str] = set()
    lifted: dict[str, int] = {}
    outputs = []
    for batch, county, oid, count, seed in BATCHES:
        schema_path = schema_dir / f"{oid}.json"
        docs = work / f"{batch}.jsonl"
        # python -m kgservice.sosmeta.synth SCHEMA OUT --count N --broken 0.3 (README)
        args = [str(schema_path), str(docs), "--count", str(count), "--broken", "0.3"]
        assert synth_main([*args, "--seed", str(seed)]) == 0
        schema = json.loads(schema_path.read_text(encoding="utf-8"))
        lifted[batch] = _independent_count(docs, schema, county, _structure(oid), expected, hetus)
        result = runner.invoke(
            main, ["lift", "--county", county, "--batch", batch, str(docs)], env=env
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    built = runner.invoke(main, ["build"], env=env)
    assert built.exit_code == 0, built.output
    return Flow(Settings.from_env(env), outputs, built.output, expected, hetus, lifted)


def _store(flow: Flow) -> EmbeddedStore:
    return EmbeddedStore(current_store_dir(flow.settings), read_only=True)


def _published(flow: Flow) -> dict[tuple[str, str, str], tuple[str | None, str]]:
    """(structure, county, year) → (value, status) of the dataset's cells."""
    query = """
        PREFIX rake: <https://rake-kg.example/ontology/>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?var ?area ?year ?value ?status WHERE { GRAPH ?g {
          ?obs rake:variable ?var ; sdmx-dimension:refArea ?area ;
               sdmx-dimension:refPeriod ?year ; rake:obsStatus ?status .
          OPTIONAL { ?obs sdmx-measure:obsValue ?value } } }
    """
    with _store(flow) as store:
        rows = store.select(query.replace("?g", f"<{DATASET_GRAPH}>"))
    return {
        (
            r["var"].value.rsplit("/", 1)[-1],
            r["area"].value.rsplit("/", 1)[-1],
            r["year"].value,
        ): (r["value"].value if "value" in r else None, r["status"].value.rsplit("/", 1)[-1])
        for r in rows
    }


def test_the_documented_flow_builds_with_every_data_cube_constraint_holding(client_flow):
    assert "Data Cube ICs: all" in client_flow.build_output
    for batch, _, _, _, _ in BATCHES:
        assert f"batch {batch}: {client_flow.lifted[batch]} documents lifted" in "".join(
            client_flow.lift_output
        )
    with _store(client_flow) as store:
        assert check_integrity(store, client_flow.settings) == []
        assert DATASET_GRAPH in store.graphs()
    assert len(IC_IDS) == 22


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
    """A total is shown only when every county of the area has a shown figure; so no hidden
    county can be recovered by subtraction (complementary suppression has nothing to add)."""
    expected = _income_support(client_flow)
    years = sorted({y for (_, y) in expected})
    shown_totals = hidden_totals = 0
    for year in years:
        rows = _view_rows(
            flow_client,
            f"/api/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
            f"&level=cooperation-area&year={year}",
        )
        area3 = next(r for r in rows if r["area_code"] == "3")
        counties = [expected.get((c, year), 0) for c in AREA_3]
        if all(n >= 5 for n in counties):
            assert area3["value"] == sum(counties) and area3["status"] == "ok"
            shown_totals += 1
        else:
            assert area3["value"] is None, (year, counties)
            hidden_totals += 1
        county_rows = _view_rows(
            flow_client,
            f"/api/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
            f"&level=wellbeing-county&year={year}",
        )
        suppressed = [r for r in county_rows if r["status"] == "suppressed"]
        country = flow_client.get(f"/api/views/situation-picture?area=SSS&year={year}").get_json()[
            "rows"
        ]
        national = [r for r in country if r["indicator"] == INDICATOR]
        if suppressed and national:
            assert national[0]["value"] is None
    assert shown_totals >= 1


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


def test_no_identity_code_anywhere_in_the_store_or_the_responses(client_flow, flow_client):
    assert len(client_flow.hetus) > 100
    with _store(client_flow) as store:
        dump = store.dump(RdfFormat.N_QUADS).decode("utf-8")
    assert f"<{B}graph/client/hva07-2026>" in dump  # the private data is in what is scanned
    assert not HETU.search(dump)
    bodies = [dump]
    expected = _income_support(client_flow)
    for county, year in sorted(expected):
        for url in (
            f"/api/views/situation-picture?area={county}&year={year}",
            f"/views/situation-picture?area={county}&year={year}",
        ):
            bodies.append(flow_client.get(url).get_data(as_text=True))
    everything = "SELECT * WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }"
    bodies.append(flow_client.get("/sparql", query_string={"query": everything}).get_data(True))
    for body in bodies:
        assert not HETU.search(body)
        assert not any(h in body for h in client_flow.hetus)
