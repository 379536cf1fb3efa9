"""The documented client flow, run once: synthetic documents → ``kgservice lift`` → ``kgservice
build`` (the full default steps), exactly as docs/terminologists.md "Sosmeta structures and client
documents" → Commands says, in a private ``KG_VAR_DIR``.

Beside the run, the input is read independently of the service: a document counts when the
structure's JSON Schema (``jsonschema``) and python-stdnum accept it and every client has an
identity code or a temporary identifier; its year is that of its date (decision date first, as
the lift documents); clients are distinct identities per structure, county and year.
"""

from __future__ import annotations

import json
import logging
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from click.testing import CliRunner
from stdnum.fi import hetu as stdnum_hetu

from kgservice.cli import main
from kgservice.config import Settings
from kgservice.sosmeta.synth import main as synth_main

KEY = "client-flow-test-key"
INCOME_SUPPORT = "1.2.246.537.6.1506.11047.2023.9.27"  # Päätös täydentävästä tai ehk. ttt:sta
#: Työikäisten palvelupäätös (the example in docs/terminologists.md)
WORKING_AGE = "1.2.246.537.6.1506.11052.2023.9.8"
HETU = re.compile(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-FHJ-NPR-Y]")
DATE_KEYS = (
    "paatospaivamaara",
    "paivamaara",
    "laatimispaivamaara",
    "vireilletulopaivamaara",
    "asiakkuuden_alkamispvm",  # a client relationship document: the relationship's start
)

#: (batch, county, structure, documents, seed): cooperation area 3 (Kanta-Häme 07, Pirkanmaa 08,
#: South Ostrobothnia 16) with many documents each, Kainuu (20) with few (every cell 1–4 or
#: empty), and working-age service decisions for Helsinki (90), a decision structure of its own
#: that the income-support indicator does not count. 30 % of the documents are broken, as in the
#: example command in docs/terminologists.md "Sosmeta structures and client documents".
BATCHES = (
    ("hva07-2026", "07", INCOME_SUPPORT, 120, 7),
    ("hva08-2026", "08", INCOME_SUPPORT, 120, 8),
    ("hva16-2026", "16", INCOME_SUPPORT, 120, 16),
    ("hva20-2026", "20", INCOME_SUPPORT, 6, 20),
    ("hki-2024-05", "90", WORKING_AGE, 40, 90),
)


@dataclass
class Document:
    data: dict[str, Any]
    valid: bool
    year: str | None
    clients: list[tuple[str, str]]  # ("hetu" | "temporary", value)


@dataclass
class Flow:
    settings: Settings
    lift_output: str
    build_output: str
    logs: list[str]
    #: batch → its input documents, in file order
    documents: dict[str, list[Document]] = field(default_factory=dict)
    #: (structure OID without version, county code, year) → distinct clients, counted here
    expected: dict[tuple[str, str, str], int] = field(default_factory=dict)
    hetus: set[str] = field(default_factory=set)
    names: set[str] = field(default_factory=set)

    def valid_count(self, batch: str) -> int:
        return sum(d.valid for d in self.documents[batch])


def structure_oid(version_oid: str) -> str:
    return version_oid.rsplit(".", 3)[0]  # drop the version date: 1.2.246.537.6.1506.11047


def _walk(value: Any):
    """(key, value) for every key of the document, depth first."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, v
            yield from _walk(v)
    elif isinstance(value, list):
        for item in value:
            yield from _walk(item)


def _first_date(doc: Any) -> str | None:
    found: dict[str, str] = {}
    for k, v in _walk(doc):
        if k in DATE_KEYS and isinstance(v, str) and re.match(r"\d{4}-\d\d-\d\d", v):
            found.setdefault(k, v)
    return next((found[k] for k in DATE_KEYS if k in found), None)


def read_document(doc: Any, validator: jsonschema.Validator) -> Document:
    clients: list[tuple[str, str]] = []
    ids_ok = True
    for k, v in _walk(doc):
        if k == "henkilotunnus" and isinstance(v, dict) and "value" in v:
            if stdnum_hetu.is_valid(str(v["value"])):
                clients.append(("hetu", str(v["value"])))
            else:
                ids_ok = False
        elif k == "tilapainen_yksilointitunnus" and isinstance(v, dict):
            clients.append(("temporary", str(v.get("value"))))
        elif k == "asiakas" and isinstance(v, list | dict):
            # one client or several (Asiakkuusasiakirja has one, decisions a list)
            ids_ok &= all(
                isinstance(c, dict) and ("henkilotunnus" in c or "tilapainen_yksilointitunnus" in c)
                for c in (v if isinstance(v, list) else [v])
            )
    valid = ids_ok and not any(True for _ in validator.iter_errors(doc))
    date = _first_date(doc)
    return Document(doc, valid, date[:4] if date else None, clients)


def _names(doc: Any) -> set[str]:
    out: set[str] = set()
    for k, v in _walk(doc):
        if k == "asiakas" and isinstance(v, list):
            for c in v:
                if isinstance(c, dict):
                    out.update(c[n] for n in ("sukunimi", "etunimet") if isinstance(c.get(n), str))
    return out


class _Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def run_client_flow(work: Path, schema_dir: Path) -> Flow:
    var = work / "var"
    env = {"KG_VAR_DIR": str(var), "KG_STORE": str(var / "store"), "KG_PSEUDONYM_KEY": KEY}
    runner = CliRunner()
    handler = _Capture()
    logger = logging.getLogger("kgservice")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    documents: dict[str, list[Document]] = {}
    expected: dict[tuple[str, str, str], int] = {}
    hetus: set[str] = set()
    names: set[str] = set()
    lift_output = ""
    try:
        for batch, county, oid, count, seed in BATCHES:
            schema_path = schema_dir / f"{oid}.json"
            path = work / f"{batch}.jsonl"
            # as docs/terminologists.md:
            # python -m kgservice.sosmeta.synth SCHEMA OUT --count N --broken 0.3
            args = [str(schema_path), str(path), "--count", str(count), "--broken", "0.3"]
            assert synth_main([*args, "--seed", str(seed)]) == 0
            validator = jsonschema.Draft202012Validator(json.loads(schema_path.read_bytes()))
            lines = path.read_text(encoding="utf-8").splitlines()
            docs = [read_document(json.loads(line), validator) for line in lines]
            documents[batch] = docs
            hetus.update(h for line in lines for h in HETU.findall(line))
            names.update(n for d in docs for n in _names(d.data))
            seen: dict[str, set[tuple[str, str]]] = defaultdict(set)
            for d in docs:
                if d.valid and d.year:
                    seen[d.year].update(d.clients)
            for year, people in seen.items():
                expected[(structure_oid(oid), county, year)] = len(people)
            # KG_PSEUDONYM_KEY=… kgservice lift --county 90 --batch hki-2024-05 batch.jsonl
            result = runner.invoke(
                main, ["lift", "--county", county, "--batch", batch, str(path)], env=env
            )
            assert result.exit_code == 0, result.output
            lift_output += result.output
        built = runner.invoke(main, ["build"], env=env)  # the full default steps
        assert built.exit_code == 0, built.output
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return Flow(
        Settings.from_env(env),
        lift_output,
        built.output,
        handler.lines,
        documents,
        expected,
        hetus,
        names,
    )


def published_cells(
    settings: Settings, graph: str
) -> dict[tuple[str, str, str], tuple[str | None, str]]:
    """(variable code, county code, year) → (value, status) of a published client aggregate's
    cells in ``graph`` of the flow's served store."""
    from pyoxigraph import NamedNode

    from kgservice.store.embedded import EmbeddedStore
    from kgservice.store.served import served_dir

    query = """
        PREFIX rake: <https://rake-kg.example/ontology/>
        PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?var ?area ?year ?value ?status WHERE { GRAPH ?g {
          ?obs rake:variable ?var ; sdmx-dimension:refArea ?area ;
               sdmx-dimension:refPeriod ?year ; rake:obsStatus ?status .
          OPTIONAL { ?obs sdmx-measure:obsValue ?value } } }
    """
    with EmbeddedStore(served_dir(settings), read_only=True) as store:
        rows = store.select(query, {"g": NamedNode(graph)})
    return {
        (
            r["var"].value.rsplit("/", 1)[-1],
            r["area"].value.rsplit("/", 1)[-1],
            r["year"].value,
        ): (r["value"].value if "value" in r else None, r["status"].value.rsplit("/", 1)[-1])
        for r in rows
    }
