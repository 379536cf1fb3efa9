"""Normalise a statistics source into Data Cube rows, quarantining the rows that break a rule.

The ``[cube]`` table of a spec says which raw columns play which role; values are templates
over the raw row (``"{alue}"``, ``"{indicator}{melt}"``). ``melt`` unpivots wide tables: each
melted column becomes its own record with ``{melt}`` = the column's label and ``{melt_value}`` =
its cell. A *record* — one cell of the published table — is the unit counted as a "row in".

Quarantine rules (each record is either a cube row or quarantined with one of these):

* ``unknown-area``    the area code/name is not in the region code list
* ``bad-period``      the period is not ``YYYY`` (year) or ``YYYYMmm`` (month)
* ``non-numeric``     the value is neither a number nor a declared missing-value symbol
* ``negative-value``  the value is below zero
* ``duplicate-key``   a record with the same variable, area, period (and sex) came earlier
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from pyoxigraph import Literal, NamedNode

from kgservice.config import CANONICAL_BASE_IRI
from kgservice.errors import BuildError
from kgservice.mappings.regions import RegionIndex
from kgservice.namespaces import SDMX_CODE, XSD
from kgservice.sources.readers import RawRow
from kgservice.sources.spec import SourceSpec

STATUS_NS = CANONICAL_BASE_IRI + "concept/obs-status/"
SEX = {"male": "sex-M", "female": "sex-F", "total": "sex-T"}
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_YEAR = re.compile(r"^\d{4}$")
_MONTH = re.compile(r"^(\d{4})M(0[1-9]|1[0-2])$")
ROLES = ("area", "area_level", "period", "variable", "sex", "value")


@dataclass(frozen=True)
class Quarantined:
    source: str
    file: str
    line: int
    column: str
    rule: str
    message: str
    value: str


@dataclass
class CubeResult:
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    quarantined: list[Quarantined] = field(default_factory=list)
    #: variable code → the first raw row and melted column that carried it (for labels)
    variables: dict[str, tuple[dict[str, str | None], str]] = field(default_factory=dict)
    records: int = 0
    #: records per (region path, period key) that were loaded (observations or gaps)
    has_sex: bool = False


def slugify(text: str) -> str:
    """An ASCII slug of a Finnish label: ``Työttömät`` → ``tyottomat``."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def expand(template: str, row: dict[str, str | None], where: str) -> str:
    def sub(m: re.Match[str]) -> str:
        name = m.group(1)
        if name not in row:
            raise BuildError(f"template {template!r} names no column {name!r}", rule="spec-column")
        return row[name] or ""

    return _PLACEHOLDER.sub(sub, template)


def _template_columns(cube: dict[str, Any]) -> set[str]:
    used: set[str] = set()
    for role in ROLES:
        if isinstance(cube.get(role), str):
            used.update(_PLACEHOLDER.findall(cube[role]))
    return used


def _melt_columns(cube: dict[str, Any], columns: Iterable[str]) -> dict[str, str] | None:
    melt = cube.get("melt")
    if melt is None:
        return None
    if melt == "*":
        used = _template_columns(cube)
        return {c: c for c in columns if c not in used}
    if isinstance(melt, list):
        return {c: c for c in melt}
    if isinstance(melt, dict):
        return dict(melt)
    raise BuildError("melt must be '*', a list or a table", rule="spec-melt")


def _period(text: str, kind: str) -> tuple[Literal, str] | None:
    if kind == "year" and _YEAR.match(text):
        return Literal(text, datatype=NamedNode(XSD + "gYear")), text
    if kind == "month" and (m := _MONTH.match(text)):
        value = f"{m.group(1)}-{m.group(2)}"
        return Literal(value, datatype=NamedNode(XSD + "gYearMonth")), value
    return None


def normalise(
    spec: SourceSpec, raw_rows: Iterable[RawRow], regions: RegionIndex, file: str
) -> CubeResult:
    """The cube rows of ``raw_rows`` (read from ``file``) and the records quarantined."""
    return _Normaliser(spec, regions, file).run(raw_rows)


class _Reject(Exception):
    """A record breaks a quarantine rule (module docstring)."""

    def __init__(self, rule: str, message: str, value: str) -> None:
        super().__init__(message)
        self.rule, self.message, self.value = rule, message, value


class _Normaliser:
    """One pass over a source's raw rows; the ``[cube]`` table of its spec read once."""

    def __init__(self, spec: SourceSpec, regions: RegionIndex, file: str) -> None:
        cube = spec.cube
        self.spec, self.cube, self.regions, self.file = spec, cube, regions, file
        self.missing: dict[str, str] = dict(cube.get("missing", {}))
        self.skip_empty = set(cube.get("skip_empty_variables", []))
        self.decimal_comma = bool(cube.get("decimal_comma", False))
        self.allow_negative = bool(cube.get("allow_negative", False))
        self.area_style = cube.get("area_style", "statfin")
        self.period_type = cube.get("period_type", "year")
        self.units = {**spec.variables.get("units", {})}
        self.default_unit = spec.variables.get("unit", "")
        self.seen: set[tuple[str, ...]] = set()
        self.out = CubeResult(has_sex="sex" in cube)

    def run(self, raw_rows: Iterable[RawRow]) -> CubeResult:
        melt_map: dict[str, str] | None = None
        for raw in raw_rows:
            if melt_map is None and "melt" in self.cube:
                melt_map = _melt_columns(self.cube, raw.values)
            cells = melt_map.items() if melt_map is not None else [("", "")]
            for column, label in cells:
                self._record(raw, column, label)
        return self.out

    def _record(self, raw: RawRow, column: str, label: str) -> None:
        """One record: a cube row, quarantined, or skipped (an empty cell the spec excludes)."""
        cube, file = self.cube, self.file
        row = dict(raw.values)
        row["melt"] = label
        row["melt_value"] = raw.values.get(column) if column else None
        variable = expand(cube["variable"], row, file)
        if cube.get("variable_slug"):
            variable = slugify(variable)
        value_text = expand(cube["value"], row, file).strip()
        if not value_text and variable in self.skip_empty:
            return  # not a cell of the published table (documented in the spec)
        self.out.records += 1
        try:
            key, cells_out = self._observation(row, variable, value_text)
        except _Reject as r:
            col_name = column or cube["value"].strip("{}")
            self.out.quarantined.append(
                Quarantined(self.spec.slug, file, raw.line, col_name, r.rule, r.message, r.value)
            )
            return
        self.seen.add(key)
        self.out.variables.setdefault(variable, (raw.values, label))
        self.out.rows.append((raw.line, cells_out))

    def _observation(
        self, row: dict[str, str | None], variable: str, value_text: str
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        """The record's key and cells, or :class:`_Reject` with the first rule it breaks."""
        cube, file = self.cube, self.file
        area_code = expand(cube["area"], row, file)
        level = expand(cube["area_level"], row, file) if "area_level" in cube else None
        area = self.regions.resolve(self.area_style, area_code, level)
        if area is None:
            where = f"{level} {area_code}" if level else area_code
            raise _Reject("unknown-area", f"area {where!r} not in the code list", where)
        period_text = expand(cube["period"], row, file).strip()
        period = _period(period_text, self.period_type)
        if period is None:
            message = f"period {period_text!r} is not a {self.period_type}"
            raise _Reject("bad-period", message, period_text)
        sex_key = expand(cube["sex"], row, file) if "sex" in cube else ""
        if sex_key and sex_key not in SEX:
            raise BuildError(f"unknown sex {sex_key!r}", file=str(self.spec.path), rule="spec-sex")
        key = (variable, area, period[1], sex_key)
        if key in self.seen:
            message = f"second record for {variable} / {area} / {period[1]}" + (
                f" / {sex_key}" if sex_key else ""
            )
            raise _Reject("duplicate-key", message, value_text)
        status, value = self._value(value_text)
        cells_out: dict[str, Any] = {
            "variable": variable,
            "area": NamedNode(RegionIndex.iri(area)),
            "area_code": RegionIndex.notation(area),
            "period": period[0],
            "period_key": period[1],
            "status": NamedNode(STATUS_NS + status),
            "unit": self.units.get(variable, self.default_unit),
            "value": value,
        }
        if sex_key:
            cells_out["sex"] = NamedNode(SDMX_CODE + SEX[sex_key])
            cells_out["sex_key"] = SEX[sex_key].removeprefix("sex-")
        return key, cells_out

    def _value(self, value_text: str) -> tuple[str, Literal | None]:
        """The observation status and value of a cell's text."""
        if value_text in self.missing or not value_text:
            return self.missing.get(value_text, "missing"), None
        number = value_text.replace(",", ".") if self.decimal_comma else value_text
        if not _NUMBER.match(number):
            raise _Reject("non-numeric", f"value {value_text!r}", value_text)
        try:
            dec = Decimal(number)
        except InvalidOperation:
            raise _Reject("non-numeric", f"value {value_text!r}", value_text) from None
        if dec < 0 and not self.allow_negative:
            raise _Reject("negative-value", f"value {value_text} < 0", value_text)
        return "ok", Literal(_canonical(dec), datatype=NamedNode(XSD + "decimal"))


def _canonical(dec: Decimal) -> str:
    text = format(dec, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"
