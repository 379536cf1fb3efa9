"""Statistical variable metadata (labels, definitions, unit, index flag) of a spec's variables.

Label sources (``labels =``):

* ``pxweb-columns``  the ``text`` (label) and ``comment`` (definition) of the PxWeb JSON columns
* ``jsonstat``       the category label and note of the variable's dimension, in the file's
                     language ``label_lang`` (default ``en``, as in the 11s5 export)
* ``template``       ``label`` is a template over the first raw row carrying the variable
* ``fixed``          only ``[variables.fixed.<code>]`` tables

``[variables.fixed.<code>]`` adds or overrides ``label_fi``/``label_sv``/``label_en``/
``definition_fi``/``definition_en`` of one variable; ``definitions`` joins a description file.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyoxigraph import Literal, NamedNode

from kgservice.config import Settings
from kgservice.mappings.cube import CubeResult, expand
from kgservice.namespaces import XSD
from kgservice.sources.readers import pxweb_columns, read_csv
from kgservice.sources.spec import SourceSpec

XSD_BOOLEAN = NamedNode(XSD + "boolean")


def _lang(text: str | None, lang: str) -> Literal | None:
    text = (text or "").strip()
    return Literal(text, language=lang) if text else None


def _jsonstat_labels(path: Path, dim: str) -> dict[str, tuple[str, str]]:
    doc = json.loads(path.read_text(encoding="utf-8"))
    cat = doc["dimension"][dim]["category"]
    labels = cat.get("label", {})
    notes = cat.get("note", {})
    return {
        code: (labels.get(code, ""), " ".join(notes.get(code, []))) for code in cat.get("index", [])
    }


def _definitions(settings: Settings, spec: SourceSpec) -> dict[str, str]:
    cfg = spec.variables.get("definitions")
    if not cfg:
        return {}
    aliases = {v: k for k, v in cfg.get("aliases", {}).items()}
    out: dict[str, str] = {}
    for row in read_csv(settings.data_dir / cfg["file"]):
        name = row.values.get(cfg["key"]) or ""
        text = row.values.get(cfg["text"]) or ""
        out[aliases.get(name, name)] = text
    return out


def variable_rows(
    settings: Settings, spec: SourceSpec, result: CubeResult
) -> list[tuple[int, dict[str, Any]]]:
    cfg = spec.variables
    how = cfg.get("labels", "template")
    units = cfg.get("units", {})
    default_unit = cfg.get("unit", "")
    is_index = bool(cfg.get("is_index", False))
    fixed: dict[str, dict[str, str]] = cfg.get("fixed", {})
    suffixes: dict[str, str] = cfg.get("label_suffix", {})
    definitions = _definitions(settings, spec)
    data_file = spec.data_path(settings)
    px = {c["code"]: c for c in pxweb_columns(data_file)} if how == "pxweb-columns" else {}
    js: dict[str, tuple[str, str]] = {}
    if how == "jsonstat":
        dim = spec.cube["variable"].strip("{}")
        js = _jsonstat_labels(data_file, dim)
    label_lang = cfg.get("label_lang", "en" if how == "jsonstat" else "fi")

    rows: list[tuple[int, dict[str, Any]]] = []
    for n, (code, (raw, _melt_label)) in enumerate(sorted(result.variables.items()), start=1):
        label = definition = ""
        if how == "pxweb-columns" and code in px:
            label, definition = px[code]["text"], px[code]["comment"]
        elif how == "jsonstat" and code in js:
            label, definition = js[code]
        elif how == "template":
            label = expand(cfg["label"], dict(raw), str(spec.path))
            definition = definitions.get(label, "")
        for suffix, extra in suffixes.items():
            if code.endswith(suffix):
                label += extra
        cells: dict[str, Any] = {
            "code": code,
            # ``unit`` may name a column of the variable's first row (``{unit}``)
            "unit": units.get(code) or expand(default_unit, dict(raw), str(spec.path)),
            "is_index": Literal("true" if is_index else "false", datatype=XSD_BOOLEAN),
            f"label_{label_lang}": _lang(label, label_lang),
            f"definition_{label_lang}": _lang(definition, label_lang),
        }
        if spec.cube.get("variable_source"):
            cells["variable_source"] = spec.cube["variable_source"]
        for key, text in fixed.get(code, {}).items():
            cells[key] = _lang(text, key.rsplit("_", 1)[-1])
        rows.append((n, cells))
    return rows
