"""Client-data indicators per phenomenon (issue 15): lift → build → view, per phenomenon.

One run for the module, through the documented commands (docs/terminologists.md "Sosmeta
structures and client documents" → Commands): synthetic documents of the structures the
indicators count (``python -m kgservice.sosmeta.synth SCHEMA OUT --count N --broken 0.3``; coded
entries get the real values where the schema lists them, e.g. THL's support needs 1–12, 99),
``kgservice lift --county … --batch …`` per batch, then ``kgservice build``.

Beside the run the input files are read independently of the service (JSON Schema +
python-stdnum decide which documents are valid, as in ``client_flow_fixture``), and each
indicator's definition from docs/terminologists.md is applied to them directly: the distinct
clients per county and year whose valid documents record the phenomenon. The published cells,
the API view and the suppression are compared with that count.
"""

from __future__ import annotations

import json
import random
import re
from collections import defaultdict
from dataclasses import dataclass

import jsonschema
import pytest
from click.testing import CliRunner
from client_flow_fixture import KEY, Document, published_cells, read_document

from kgservice.cli import main
from kgservice.config import Settings
from kgservice.sosmeta.synth import main as synth_main

B = "https://rake-kg.example/"
GRAPH = B + "graph/source/sosmeta-client-phenomena"
CLIENT_RELATIONSHIP = "1.2.246.537.6.1505.1.2023.6.1"  # Asiakkuusasiakirja
SUBSTANCE_ASSESSMENT = "1.2.246.537.6.1506.1008.2023.11.30"  # päihde- ja riippuvuustyö, arvio
WORKING_AGE_ASSESSMENT = "1.2.246.537.6.1506.1012.2023.9.28"  # työikäisten palvelutarpeen arvio
INCOME_SUPPORT = "1.2.246.537.6.1506.11047.2023.9.27"
HOMELESSNESS = "asiakkaat-joilla-kirjattu-asunnottomuus"
SUBSTANCES = "asiakkaat-joilla-kirjattu-paihteiden-kaytto"
MENTAL_HEALTH = "asiakkaat-joilla-kirjattu-mielenterveyden-tuen-tarve"
ECONOMIC = "toimeentulotukipaatoksen-saaneet-asiakkaat"
PHENOMENON_OF = {
    HOMELESSNESS: "asunnottomuus",
    SUBSTANCES: "paihteet-ja-riippuvuudet",
    MENTAL_HEALTH: "mielenterveys",
    ECONOMIC: "taloudellinen-tilanne-ja-toimeentulo",
}

#: structure → {county: documents}: Kanta-Häme (07) and Pirkanmaa (08) with many documents,
#: Kainuu (20) with few, so that some cells are 1–4 and must stay hidden. One batch per
#: structure and county, named after them; the synthesis seed is the batch's position.
BATCHES = {
    CLIENT_RELATIONSHIP: {"07": 160, "08": 160, "20": 12},
    SUBSTANCE_ASSESSMENT: {"07": 40},
    WORKING_AGE_ASSESSMENT: {"07": 360, "08": 360, "20": 24},
    INCOME_SUPPORT: {"08": 40},
}
#: The support needs of THL's internal list (value set of ``vireilletulon_syyt``, all in the
#: schema's enum) the working-age assessments name more often than chance: 8 = substance use,
#: 9 = mental-health problems; 2 = housing, 3 = economic support need, as a control.
NEEDS = ("8", "9", "8", "9", "2", "3")


def _realistic(line: str, n: int, rng: random.Random) -> str:
    """One synthetic document as a county's year of records would look: dated 2024 or 2025
    (Synth spreads dates over many years, which would leave every cell small), and in a
    working-age assessment the reasons for initiation drawn from real values of the list."""
    year = "2024" if n % 2 else "2025"
    line = re.sub(
        r'"\d{4}-(\d\d)-(\d\d)',
        lambda m: f'"{year}-{m[1]}-{"28" if (m[1], m[2]) == ("02", "29") else m[2]}',
        line,
    )
    doc = json.loads(line)
    body = doc.get("tyoikaisten_palvelutarpeen_arvio")
    info = body.get("asian_vireilletuloa_koskevat_tiedot") if isinstance(body, dict) else None
    reasons = info.get("vireilletulon_syyt") if isinstance(info, dict) else None
    for item in reasons if isinstance(reasons, list) else []:
        if isinstance(item, dict) and isinstance(item.get("code"), str):
            item["code"] = rng.choice(NEEDS)
    return json.dumps(doc, ensure_ascii=False)


def _codes(doc, *path: str) -> set[str]:
    """The codes recorded under the entry at ``path`` (arrays are transparent)."""
    nodes = [doc]
    for key in path:
        nxt = []
        for n in nodes:
            items = n if isinstance(n, list) else [n]
            nxt += [i[key] for i in items if isinstance(i, dict) and key in i]
        nodes = nxt
    out = set()
    for n in nodes:
        for item in n if isinstance(n, list) else [n]:
            if isinstance(item, dict) and isinstance(item.get("code"), str):
                out.add(item["code"])
    return out


def records(indicator: str, oid: str, doc: dict) -> bool:
    """The indicators' definitions (docs/terminologists.md), applied to one input document."""
    if indicator == HOMELESSNESS:
        return oid == CLIENT_RELATIONSHIP and bool(
            _codes(doc, "asiakkuusasiakirja", "asiakas", "asunnottomuus")
        )
    reasons = (
        _codes(
            doc,
            "tyoikaisten_palvelutarpeen_arvio",
            "asian_vireilletuloa_koskevat_tiedot",
            "vireilletulon_syyt",
        )
        if oid == WORKING_AGE_ASSESSMENT
        else set()
    )
    if indicator == SUBSTANCES:
        return oid == SUBSTANCE_ASSESSMENT or "8" in reasons
    if indicator == MENTAL_HEALTH:
        return "9" in reasons
    return oid == INCOME_SUPPORT  # the economic phenomenon: income-support decisions


@dataclass
class Run:
    settings: Settings
    build_output: str
    #: (indicator, county, year) → distinct clients, counted from the input files
    expected: dict[tuple[str, str, str], int]


@pytest.fixture(scope="module")
def run(tmp_path_factory, schema_dir) -> Run:
    work = tmp_path_factory.mktemp("client-phenomena")
    var = work / "var"
    env = {"KG_VAR_DIR": str(var), "KG_STORE": str(var / "store"), "KG_PSEUDONYM_KEY": KEY}
    runner = CliRunner()
    people: dict[tuple[str, str, str], set] = defaultdict(set)
    batches = [(oid, c, n) for oid, counties in BATCHES.items() for c, n in counties.items()]
    for seed, (oid, county, count) in enumerate(batches, start=70):
        batch = f"{oid.split('.')[-4]}-{county}"
        schema = schema_dir / f"{oid}.json"
        path = work / f"{batch}.jsonl"
        args = [str(schema), str(path), "--count", str(count), "--broken", "0.3"]
        assert synth_main([*args, "--seed", str(seed)]) == 0
        rng = random.Random(seed)
        lines = path.read_text(encoding="utf-8").splitlines()
        lines = [_realistic(line, n, rng) for n, line in enumerate(lines)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        validator = jsonschema.Draft202012Validator(json.loads(schema.read_bytes()))
        for line in lines:
            doc: Document = read_document(json.loads(line), validator)
            if not (doc.valid and doc.year):
                continue
            for indicator in PHENOMENON_OF:
                if records(indicator, oid, doc.data):
                    people[(indicator, county, doc.year)].update(doc.clients)
        lifted = runner.invoke(
            main, ["lift", "--county", county, "--batch", batch, str(path)], env=env
        )
        assert lifted.exit_code == 0, lifted.output
    built = runner.invoke(main, ["build"], env=env)
    assert built.exit_code == 0, built.output
    expected = {key: len(found) for key, found in people.items()}
    return Run(Settings.from_env(env), built.output, expected)


def _published(run: Run) -> dict[tuple[str, str, str], tuple[str | None, str]]:
    """(indicator, county, year) → (value, status) of the phenomena dataset's cells."""
    return published_cells(run.settings, GRAPH)


def test_the_scenario_has_shown_and_suppressed_cells_for_each_computed_indicator(run):
    for indicator in (HOMELESSNESS, SUBSTANCES, MENTAL_HEALTH):
        counts = [n for (i, _, _), n in run.expected.items() if i == indicator]
        assert any(n >= 5 for n in counts), indicator
        assert any(1 <= n <= 4 for n in counts), indicator


def test_each_aggregate_equals_an_independent_count_of_the_input_files(run):
    published = _published(run)
    computed = {k: n for k, n in run.expected.items() if k[0] != ECONOMIC}
    assert set(published) == set(computed)
    for key, clients in computed.items():
        value, status = published[key]
        if clients >= 5:
            assert (value, status) == (str(clients), "ok"), key
        else:
            assert (value, status) == (None, "suppressed"), key


def test_nothing_below_the_threshold_is_published(run):
    for key, (value, status) in _published(run).items():
        assert value is None or int(value) >= 5, key
        assert (value is None) == (status == "suppressed"), key
    assert "client-data indicators per phenomenon: published" in run.build_output


@pytest.fixture(scope="module")
def api(run):
    from kgservice.web import create_app

    app = create_app(run.settings)
    app.config["TESTING"] = True
    return app.test_client()


@pytest.mark.parametrize("indicator", sorted(PHENOMENON_OF))
def test_lift_build_view_round_trip_per_phenomenon(run, api, indicator):
    """The phenomenon's client-data indicator in ``/api/views/phenomenon-in-brief`` at county
    level: every county figure equals the independent count, small ones are hidden."""
    expected = {(c, y): n for (i, c, y), n in run.expected.items() if i == indicator}
    assert expected, indicator
    for year in sorted({y for _, y in expected}):
        url = (
            f"/api/views/phenomenon-in-brief?phenomenon={PHENOMENON_OF[indicator]}"
            f"&level=wellbeing-county&year={year}"
        )
        response = api.get(url)
        assert response.status_code == 200, (url, response.get_data(as_text=True)[:300])
        rows = {
            r["area_code"]: r for r in response.get_json()["rows"] if r["indicator"] == indicator
        }
        for county in ("07", "08", "20"):
            clients = expected.get((county, year), 0)
            row = rows.get(county)
            if clients >= 5:
                assert row is not None and (row["value"], row["status"]) == (clients, "ok")
            elif clients:
                assert row is not None and (row["value"], row["status"]) == (None, "suppressed")
            else:
                assert row is None or row["value"] is None, (county, year)


def test_the_indicators_are_in_the_registry_with_their_phenomenon(api):
    body = api.get("/api/indicators?lang=en").get_json()
    by_id = {i["id"]: i for i in body["indicators"]}
    for indicator in (HOMELESSNESS, SUBSTANCES, MENTAL_HEALTH):
        ind = by_id[indicator]
        assert ind["definition"] and ind["unit"] == "persons"
        assert ind["aggregation_rule"] == "AggregateBySum"
        assert len(ind["phenomena"]) == 1


def test_a_document_naming_two_clients_counts_both_once():
    from kgservice.config import PROJECT_ROOT
    from kgservice.sosmeta.client_indicators import Document as Doc
    from kgservice.sosmeta.client_indicators import counts
    from kgservice.sosmeta.phenomena import SPEC, load_spec

    spec = load_spec(PROJECT_ROOT / "mappings" / SPEC)
    county = B + "region/hyvinvointialue/07"
    docs = {
        "d1": Doc(county, "2025", "1.2.246.537.6.1505.1", {"p1", "p2"}),
        "d2": Doc(county, "2025", "1.2.246.537.6.1505.1", {"p2"}),
        "d3": Doc(county, "2025", "1.2.246.537.6.1505.1", {"p3"}),  # records no homelessness
    }
    path = "asiakkuusasiakirja/asiakas/asunnottomuus"
    found = counts(spec, docs, {"d1": {(path, "x")}, "d2": {(path, "y")}})
    assert [(c.structure, c.clients) for c in found] == [(HOMELESSNESS, 2)]
