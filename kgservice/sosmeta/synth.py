"""Synthetic client documents driven by a structure (for tests and benchmarks only).

Every person is fictional: names from Faker ``fi_FI``, identity codes from Faker's ``ssn()``
(valid check digit, so python-stdnum accepts them). Nothing generated here is ever committed.

:meth:`Synth.valid` makes a document the JSON Schema accepts; :meth:`Synth.broken` breaks one in a
named way the schema (or the identity rules) forbid, see :data:`BREAKAGES`.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kgservice.sosmeta.schema import Entry, Structure
from kgservice.sosmeta.shapes import IDENTIFIER_KEYS

#: Real municipality codes of Statistics Finland's classification (Helsinki, Espoo, Tampere,
#: Vantaa, Oulu, Turku, Jyväskylä, Kuopio), used for synthetic "kotikunta" values.
MUNICIPALITY_CODES = ("091", "049", "837", "092", "564", "853", "179", "297")

_DATE = "^-?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[0-9]|[1-2][0-9]|3[0-1]))?)?$"
_OID_PATTERN = re.compile(r"^\^urn:oid:((?:\d+\\\.)*\d+)\(\\\.\\d\+\)\*\$$")

#: kind → (breaks the JSON Schema?, description)
BREAKAGES: dict[str, tuple[bool, str]] = {
    "missing-required": (True, "a required entry is left out"),
    "unknown-key": (True, "an object has a key the structure does not define"),
    "wrong-type": (True, "a value has the wrong JSON type"),
    "pattern": (True, "a date or code system does not match its pattern"),
    "enum": (True, "a value outside the allowed values"),
    "empty-string": (True, "an empty string where a value is required"),
    "empty-required-array": (True, "an empty list for a required repeatable entry"),
    "array-for-object": (True, "a list where a single data component is expected"),
    "object-for-array": (True, "a single object where a repeatable entry needs a list"),
    "null": (True, "null instead of a value"),
    "missing-identifier": (False, "neither identity code nor temporary identifier"),
    "hetu-format": (False, "an identity code that is not shaped like one"),
    "hetu-checksum": (False, "an identity code with a wrong check character"),
}


class Synth:
    """Documents of one structure; deterministic for a given ``seed``."""

    def __init__(self, structure: Structure, seed: int = 0) -> None:
        from faker import Faker

        self.s = structure
        self.rng = random.Random(seed)
        self.fake = Faker("fi_FI")
        self.fake.seed_instance(seed)

    # -- valid documents ------------------------------------------------------------------------
    def valid(self) -> dict[str, Any]:
        return {self.s.root.key: self._object(self.s.root)}

    def _object(self, e: Entry) -> dict[str, Any]:
        out: dict[str, Any] = {}
        ids = [c for c in e.children if c.conditional and c.key in IDENTIFIER_KEYS]
        for child in e.children:
            keep = child.required or self.rng.random() < 0.5
            if ids and child.key == "henkilotunnus":
                keep = True
            elif ids and child in ids:
                keep = False
            if keep:
                out[child.key] = self._value(child, e)
        return out

    def _value(self, e: Entry, parent: Entry) -> Any:
        if e.json_type == "array":
            count = self.rng.randint(1, 2)
            if e.item_type == "object":
                return [self._object(e) for _ in range(count)]
            return [self._scalar(e, e.item_type or "string", parent) for _ in range(count)]
        if e.json_type == "object":
            return self._object(e)
        return self._scalar(e, e.json_type, parent)

    def _scalar(self, e: Entry, jtype: str, parent: Entry) -> Any:
        if jtype == "boolean":
            return self.rng.random() < 0.5
        if jtype == "number":
            return self.rng.randint(1, 40)
        if e.enum:
            return self.rng.choice(e.enum)
        if e.pattern:
            return self._patterned(e.pattern)
        key, rep = e.key, e.representation.get("fi", "")
        if key == "value" and parent.key == "henkilotunnus" or key == "henkilotunnus":
            return self.fake.ssn(min_age=18, max_age=70)  # type: ignore[call-arg]
        if key == "code" and parent.code_list == "urn:oid:1.2.246.537.6.21":
            return self.rng.choice(MUNICIPALITY_CODES)
        if key == "code":
            return str(self.rng.randint(1, 12))
        if key == "sukunimi":
            return self.fake.last_name()
        if key == "etunimet":
            return self.fake.first_name()
        if key in ("display", "organisaation_nimi") or rep == "Nimi":
            return self.fake.company() if key != "postitoimipaikka" else self.fake.city()
        if key == "lahiosoite":
            return self.fake.street_address()
        if key == "postinumero":
            return self.fake.postcode()
        if key == "puhelinnumero":
            return self.fake.phone_number()
        if key == "sahkopostiosoite":
            return self.fake.email()
        return self.fake.sentence(nb_words=6)

    def _patterned(self, pattern: str) -> str:
        if pattern == _DATE:
            return self.fake.date_between("-6y", "today").isoformat()
        if pattern.startswith("^-?[0-9]{4}") and "T(" in pattern:
            return self.fake.date_time_between("-6y", "now").strftime("%Y-%m-%dT%H:%M:%S+02:00")
        if m := _OID_PATTERN.match(pattern):
            return "urn:oid:" + m.group(1).replace("\\.", ".")
        import rstr

        return rstr.Rstr(self.rng).xeger(pattern)

    # -- broken documents -----------------------------------------------------------------------
    def broken(self, kind: str, attempts: int = 20) -> dict[str, Any] | None:
        """A document broken as ``kind`` says, or None when this structure has no such place."""
        if kind not in BREAKAGES:
            raise ValueError(f"unknown breakage {kind!r}")
        for _ in range(attempts):
            doc = self.valid()
            spots = [s for s in _positions(doc, self.s.root) if _applies(kind, *s)]
            if spots:
                _apply(kind, *self.rng.choice(spots), self)
                return doc
        return None


def _positions(doc: dict, root: Entry) -> Iterator[tuple[dict, Entry, Entry | None]]:
    """(containing object, entry, parent entry) for every object-valued place in ``doc``."""
    yield doc, root, None

    def walk(obj: dict, e: Entry) -> Iterator[tuple[dict, Entry, Entry | None]]:
        for child in e.children:
            yield obj, child, e
            value = obj.get(child.key)
            items = value if isinstance(value, list) else [value]
            for item in items:
                if isinstance(item, dict) and child.children:
                    yield from walk(item, child)

    yield from walk(doc[root.key], root)


def _is_hetu_value(e: Entry, parent: Entry | None) -> bool:
    return (e.key == "value" and parent is not None and parent.key == "henkilotunnus") or (
        e.key == "henkilotunnus" and e.json_type == "string"
    )


def _applies(kind: str, obj: dict, e: Entry, parent: Entry | None) -> bool:
    present = e.key in obj
    scalar = e.json_type in ("string", "number", "boolean")
    if kind == "missing-required":
        return present and e.required
    if kind == "unknown-key":
        return present and e.json_type == "object"
    if kind in ("wrong-type", "null"):
        return present and scalar
    if kind == "pattern":
        return present and e.json_type == "string" and e.pattern is not None
    if kind == "enum":
        return present and e.json_type == "string" and e.enum is not None
    if kind == "empty-string":
        return present and e.json_type == "string" and bool(e.min_length)
    if kind == "empty-required-array":
        return present and e.json_type == "array" and e.required
    if kind == "array-for-object":
        return present and e.json_type == "object" and parent is not None
    if kind == "object-for-array":
        return present and e.json_type == "array" and e.item_type == "object"
    if kind == "missing-identifier":
        return e.key == "henkilotunnus" and present and e.conditional
    if kind in ("hetu-format", "hetu-checksum"):
        return present and _is_hetu_value(e, parent)
    return False


def _apply(kind: str, obj: dict, e: Entry, parent: Entry | None, synth: Synth) -> None:
    key = e.key
    if kind == "missing-required":
        del obj[key]
    elif kind == "unknown-key":
        target = obj[key]
        target["tuntematon_kentta"] = "ei kuulu rakenteeseen"
    elif kind == "wrong-type":
        obj[key] = "kyllä" if e.json_type in ("boolean", "number") else 12345
    elif kind == "pattern":
        obj[key] = "ei-kelvollinen-arvo"
    elif kind == "enum":
        obj[key] = "arvo, jota ei ole sallittu"
    elif kind == "empty-string":
        obj[key] = ""
    elif kind == "empty-required-array":
        obj[key] = []
    elif kind == "array-for-object":
        obj[key] = [obj[key]]
    elif kind == "object-for-array":
        obj[key] = copy.deepcopy(obj[key][0])
    elif kind == "null":
        obj[key] = None
    elif kind == "missing-identifier":
        for k in IDENTIFIER_KEYS:
            obj.pop(k, None)
    elif kind == "hetu-format":
        obj[key] = "12345-ABC"
    elif kind == "hetu-checksum":
        good = obj[key]
        checks = "0123456789ABCDEFHJKLMNPRSTUVWXY"
        wrong = checks[(checks.index(good[-1]) + 1) % len(checks)]
        obj[key] = good[:-1] + wrong


def with_valid_identities(doc: Any, structure: Structure, seed: int = 0) -> Any:
    """``doc`` with every identity code replaced by a valid fictional one and an identity code
    added where an identifier group needs one (used on documents from other generators)."""
    from faker import Faker

    fake = Faker("fi_FI")
    fake.seed_instance(seed)
    if not isinstance(doc, dict) or not isinstance(doc.get(structure.root.key), dict):
        return doc
    for obj, e, parent in list(_positions(doc, structure.root)):
        if not isinstance(obj, dict):
            continue
        if e.key == "henkilotunnus" and e.conditional and e.json_type == "object" and parent:
            ids = [c for c in parent.children if c.conditional and c.key in IDENTIFIER_KEYS]
            if len(ids) > 1 and not any(c.key in obj for c in ids):
                obj["henkilotunnus"] = {"value": fake.ssn()}
        if _is_hetu_value(e, parent) and isinstance(obj.get(e.key), str):
            obj[e.key] = fake.ssn()
    return doc


def write_batch(
    structure: Structure, out: Path, count: int, broken_share: float = 0.0, seed: int = 0
) -> dict[str, int]:
    """Write ``count`` synthetic documents as JSON Lines; returns how many of each kind."""
    synth = Synth(structure, seed)
    rng = random.Random(seed)
    kinds: dict[str, int] = {}
    with out.open("w", encoding="utf-8") as fh:
        for _ in range(count):
            kind = rng.choice(list(BREAKAGES)) if rng.random() < broken_share else "valid"
            doc = synth.broken(kind) if kind != "valid" else None
            if doc is None:
                kind, doc = "valid", synth.valid()
            kinds[kind] = kinds.get(kind, 0) + 1
            fh.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return kinds


def main(argv: list[str] | None = None) -> int:
    """``python -m kgservice.sosmeta.synth SCHEMA.json OUT.jsonl --count N --broken 0.1``."""
    import argparse

    from kgservice.sosmeta.schema import load_schema

    parser = argparse.ArgumentParser(description="Synthetic Sosmeta client documents (fictional).")
    parser.add_argument("schema", type=Path, help="a Sosmeta JSON Schema (<OID>.json)")
    parser.add_argument("out", type=Path, help="JSON Lines output")
    parser.add_argument("--count", type=int, default=100)
    parser.add_argument("--broken", type=float, default=0.0, help="share of broken documents")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    kinds = write_batch(load_schema(args.schema), args.out, args.count, args.broken, args.seed)
    print(json.dumps(kinds, ensure_ascii=False))
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
