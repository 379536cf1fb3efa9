"""Issue 15's leftover, stated precisely: a housing situation without a home is not counted,
because the Sosmeta schema that records it names the classification and its categories but not
their codes — checked on the raw schema — and the indicator's definition says so in every
language (on its concept page)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

from kgservice.config import PROJECT_ROOT

RAW = PROJECT_ROOT.parent / "shared" / "data-raw"
SCHEMA = RAW / "sosmeta" / "schemas" / "1.2.246.537.6.1506.1008.2023.11.30.json"
OID = "1.2.246.537.6.886.2001"
INDICATOR = "https://rake-kg.example/concept/indicator/asiakkaat-joilla-kirjattu-asunnottomuus"


def housing_situation() -> dict:
    doc = json.loads(SCHEMA.read_text(encoding="utf-8"))
    (assessment,) = doc["properties"].values()
    return assessment["properties"]["asuminen"]["properties"]["asumistilanne"]


def test_the_schema_fixes_the_code_system_but_gives_no_codes():
    entry = housing_situation()
    props = entry["properties"]
    assert OID.replace(".", "\\.") in props["system"]["pattern"]
    assert props["code"] == {"type": "string"}  # no enum, no const: any string
    description = entry["sosmeta"]["description"][0]["value"]
    assert "Asunnoton" in description and "Tilapäinen asunto" in description


def test_no_raw_file_or_seed_lists_codes_of_the_classification():
    """Every mention of the OID in data-raw and the seeds is this schema's own naming of it."""
    hits = []
    for root in (RAW, RAW.parent / "seeds"):
        for path in root.rglob("*"):
            if path.is_file() and path.suffix in (".json", ".csv", ".txt", ".md", ".ttl"):
                if OID in path.read_text(encoding="utf-8", errors="replace"):
                    hits.append(path.name)
    assert set(hits) <= {SCHEMA.name, "SOURCES.md"}


@pytest.mark.parametrize(
    ("lang", "words"),
    [("fi", "ei ole mukana"), ("sv", "räknas inte"), ("en", "is not counted")],
)
def test_the_indicator_page_says_what_is_missing_in_its_language(client, lang, words):
    html = client.get(f"/page?uri={quote(INDICATOR, safe='')}&lang={lang}").get_data(as_text=True)
    assert OID in html and words in html and "1.2.246.537.6.1506.1008" in html
