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
* ``unknown-qualifier`` the value's qualifier word (``noin``, ``yli`` …) is not in the spec's
                      ``qualifiers`` table

Sources that give one figure per row *and per publication* (the ARA/Varke homelessness files)
add honest-value keys (mappings/README.md, "Qualified figures and second sources"): each record
names its source document (``[cube.source]``), a qualifier word becomes a code of the project's
value-qualifier list (with a lower or upper bound where the word says "over" or "under"), and
``preferred`` marks the record to use; the other records of the same key are *second sources*
(:class:`SecondSource`), kept beside the figure and never counted as a second figure.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

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
QUALIFIER_NS = CANONICAL_BASE_IRI + "concept/value-qualifier/"
SOURCE_DOCUMENT_NS = CANONICAL_BASE_IRI + "data/source-document/"
_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-\d{2})?)?$")


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
    has_sex: bool = False
    #: rows of ``mappings/cube/second-sources.rq``: a second source's alternative figure or its
    #: confirmation of the preferred one (``preferred`` in the spec)
    second: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    #: gaps made for a key that only second sources give (no preferred record): not records
    synthesised: int = 0

    @property
    def loaded(self) -> int:
        """Records loaded: figures and gaps of their own, and second sources."""
        return len(self.rows) - self.synthesised + len(self.second)


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
        self.honest = _HonestValues(spec)
        #: the cells of each key's preferred record, and the second sources waiting for them
        self.preferred: dict[tuple[str, ...], dict[str, Any]] = {}
        self.pending: list[tuple[int, tuple[str, ...], dict[str, Any]]] = []

    def run(self, raw_rows: Iterable[RawRow]) -> CubeResult:
        melt_map: dict[str, str] | None = None
        for raw in raw_rows:
            if melt_map is None and "melt" in self.cube:
                melt_map = _melt_columns(self.cube, raw.values)
            cells = melt_map.items() if melt_map is not None else [("", "")]
            for column, label in cells:
                self._record(raw, column, label)
        self._second_sources()
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
        second = self.honest.is_second(row, file)
        try:
            key, cells_out = self._observation(row, variable, value_text, unique=not second)
            cells_out.update(self.honest.cells(row, cells_out.get("value"), file))
        except _Reject as r:
            col_name = column or cube["value"].strip("{}")
            self.out.quarantined.append(
                Quarantined(self.spec.slug, file, raw.line, col_name, r.rule, r.message, r.value)
            )
            return
        self.out.variables.setdefault(variable, (raw.values, label))
        if second:
            self.pending.append((raw.line, key, cells_out))
            return
        self.seen.add(key)
        self.preferred[key] = cells_out
        self.out.rows.append((raw.line, cells_out))

    def _second_sources(self) -> None:
        """Each second source beside its key's preferred record: an *alternative* when it gives
        another figure or qualifier, else a *confirmation*. A key that only second sources give
        gets a gap of its own (no figure is preferred), with the second sources beside it."""
        for line, key, cells in self.pending:
            preferred = self.preferred.get(key)
            if preferred is None:
                preferred = _gap_of(cells)
                self.preferred[key] = preferred
                self.seen.add(key)
                self.out.rows.append((line, preferred))
                self.out.synthesised += 1
            self.out.second.append((line, _second_row(self.spec.slug, line, cells, preferred)))

    def _observation(
        self, row: dict[str, str | None], variable: str, value_text: str, *, unique: bool = True
    ) -> tuple[tuple[str, ...], dict[str, Any]]:
        """The record's key and cells, or :class:`_Reject` with the first rule it breaks."""
        cube, file = self.cube, self.file
        area_code = expand(cube["area"], row, file)
        level = expand(cube["area_level"], row, file) if "area_level" in cube else None
        if level is not None and "area_levels" in cube:
            level = cube["area_levels"].get(level.strip(), level)
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
        if unique and key in self.seen:
            message = f"second record for {variable} / {area} / {period[1]}" + (
                f" / {sex_key}" if sex_key else ""
            )
            raise _Reject("duplicate-key", message, value_text)
        status, value = self._value(value_text)
        unit = expand(cube["unit"], row, file).strip() if "unit" in cube else ""
        cells_out: dict[str, Any] = {
            "variable": variable,
            "area": NamedNode(RegionIndex.iri(area)),
            "area_code": RegionIndex.notation(area),
            "period": period[0],
            "period_key": period[1],
            "status": NamedNode(STATUS_NS + status),
            "unit": unit or self.units.get(variable, self.default_unit),
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


class _HonestValues:
    """The honest-value keys of a ``[cube]`` table: ``preferred``, ``qualifier`` with its
    ``qualifiers`` and ``bounds`` tables, ``[cube.source]`` and ``variable_source``."""

    def __init__(self, spec: SourceSpec) -> None:
        cube = spec.cube
        self.preferred: str | None = cube.get("preferred")
        self.qualifier: str | None = cube.get("qualifier")
        self.qualifiers: dict[str, str] = dict(cube.get("qualifiers", {}))
        self.bounds: dict[str, str] = dict(cube.get("bounds", {}))
        self.source: dict[str, str] = dict(cube.get("source", {}))
        self.variable_source: str | None = cube.get("variable_source")
        for code, side in self.bounds.items():
            if side not in ("lower", "upper"):
                raise BuildError(
                    f"bound of qualifier {code!r} must be 'lower' or 'upper'",
                    file=str(spec.path),
                    rule="spec-bounds",
                )

    def is_second(self, row: dict[str, str | None], file: str) -> bool:
        """Whether the record is a second source (its ``preferred`` cell is not ``1``)."""
        return self.preferred is not None and expand(self.preferred, row, file).strip() != "1"

    def cells(self, row: dict[str, str | None], value: Literal | None, file: str) -> dict[str, Any]:
        """Qualifier, bound, source document and variable namespace cells of a record."""
        out: dict[str, Any] = {}
        if self.variable_source:
            out["variable_source"] = self.variable_source
        if self.qualifier:
            word = expand(self.qualifier, row, file).strip()
            code = self.qualifiers.get(word) if word else ""
            if code is None:
                known = ", ".join(sorted(self.qualifiers))
                raise _Reject("unknown-qualifier", f"qualifier {word!r}; known: {known}", word)
            if code:
                out["qualifier"] = NamedNode(QUALIFIER_NS + code)
                out["estimated"] = NamedNode(SDMX_CODE + "obsStatus-E")
                side = self.bounds.get(code)
                if side and value is not None:
                    out[f"{side}_bound"] = value
        if self.source:
            out.update(self._document(row, file))
        return out

    def _document(self, row: dict[str, str | None], file: str) -> dict[str, Any]:
        """The source document of a record: title, publisher, date and web address."""
        text = {k: expand(t, row, file).strip() for k, t in self.source.items()}
        title, url = text.get("title", ""), text.get("url", "")
        if not (title or url):
            return {}
        digest = hashlib.sha1(f"{url}\n{title}".encode()).hexdigest()[:16]
        out: dict[str, Any] = {
            "source_doc": NamedNode(SOURCE_DOCUMENT_NS + digest),
            "source_title": title,
            "source_publisher": text.get("publisher", ""),
            "source_date": _date(text.get("date", "")),
        }
        if url.startswith(("http://", "https://")):
            try:
                out["source_url"] = NamedNode(url)
            except ValueError:
                pass  # not an IRI: the title and publisher still name the document
        return out


def _date(text: str) -> Literal | None:
    """A publication date as ``xsd:date``, ``xsd:gYearMonth`` or ``xsd:gYear`` (else text)."""
    if not text:
        return None
    if not _DATE.match(text):
        return Literal(text)
    kind = {4: "gYear", 7: "gYearMonth"}.get(len(text), "date")
    return Literal(text, datatype=NamedNode(XSD + kind))


def observation_iri(slug: str, cells: dict[str, Any]) -> str:
    """The IRI ``mappings/cube/observations.rq`` gives the record (canonical base)."""
    iri = (
        f"{CANONICAL_BASE_IRI}data/obs/{slug}/{quote(cells['variable'], safe='')}/"
        f"{cells['area_code']}/{cells['period_key']}"
    )
    return iri + (f"/{cells['sex_key']}" if cells.get("sex_key") else "")


#: The cells of a record that describe its figure (a second source's own, not its key's).
_FIGURE_CELLS = (
    "value", "qualifier", "estimated", "lower_bound", "upper_bound",
    "source_doc", "source_title", "source_publisher", "source_date", "source_url",
)  # fmt: skip


def _gap_of(cells: dict[str, Any]) -> dict[str, Any]:
    """A missing cell for the key of ``cells`` (no figure of its own, no source)."""
    gap = {k: v for k, v in cells.items() if k not in _FIGURE_CELLS}
    gap["status"] = NamedNode(STATUS_NS + "missing")
    return gap


def _second_row(
    slug: str, line: int, cells: dict[str, Any], preferred: dict[str, Any]
) -> dict[str, Any]:
    """A row of ``mappings/cube/second-sources.rq``: an alternative or a confirmation."""
    obs = observation_iri(slug, preferred)
    value = cells.get("value")
    same = value is None or (
        value == preferred.get("value") and cells.get("qualifier") == preferred.get("qualifier")
    )
    row = {k: cells.get(k) for k in _FIGURE_CELLS}
    row.update(obs=NamedNode(obs), unit=cells.get("unit"))
    if same:
        row["kind"] = "confirmation"
    else:
        row["kind"] = "alternative"
        row["alternative"] = NamedNode(f"{obs}/alternative/{line}")
    return row
