"""Blueprint ``releases``: the vocabularies' releases in the term browser (issue 17).

``/releases/`` lists the releases the served build holds; ``/releases/<version>`` shows that
release's changelog against the previous one, per scheme: the concepts added, deprecated (with
their replacements), removed and changed, each change per property and language. The data come
from :mod:`kgservice.terms.history`; this module only words them in the page's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, current_app, make_response, render_template

from kgservice.releases.diff import ADDED, CHANGED, DEPRECATED, KINDS, REMOVED, ConceptChange, Diff
from kgservice.releases.snapshot import TRACKED
from kgservice.terms.describe import is_known
from kgservice.terms.history import History, HistoryEntry
from kgservice.terms.index import ConceptIndex
from kgservice.terms.page import PageBuilder
from kgservice.texts import LANGUAGES, translate
from kgservice.web import i18n
from kgservice.web.conneg import conditional, page_url
from kgservice.web.storeaccess import get_settings, release_store, served_build

bp = Blueprint("releases", __name__)

#: A tracked property's short name (:data:`TRACKED`) → the UI text naming it.
PROPERTY_KEYS = {
    "prefLabel": "pref_label",
    "altLabel": "alt_label",
    "definition": "definition",
    "broader": "broader",
    "narrower": "narrower",
    "notation": "notation",
    "status": "status",
    "deprecated": "release_prop_deprecated",
    "isReplacedBy": "replaced_by",
}
KIND_KEYS = {
    ADDED: "release_added",
    DEPRECATED: "release_deprecated",
    REMOVED: "release_removed",
    CHANGED: "release_changed",
    "unchanged": "release_unchanged",
}
_IRI_OF = {name: iri for iri, name in TRACKED.items()}


def current_history() -> History:
    """The releases of the build serving the current request."""
    served = served_build()
    holder = current_app.extensions["kg.history"]
    return holder.get(served.store, served.version.id, release_store())


def current_index() -> ConceptIndex:
    """The live concept index of the served build (as :func:`kgservice.web.terms.current_index`,
    which imports this module)."""
    served = served_build()
    return current_app.extensions["kg.index"].get(served.store, served.version)


def release_page_url(iri: str, version: str, lang: str) -> str:
    """``/page?uri=…&release=…``: the concept as that release had it."""
    args = {"uri": iri, "release": version}
    if lang in LANGUAGES:
        args["lang"] = lang
    return "/page?" + urlencode(args)


@dataclass
class PropertyRow:
    name: str
    lang: str
    removed: list[str]
    added: list[str]


@dataclass
class ConceptRow:
    iri: str
    label: str
    href: str
    kind: str
    replaced_by: list[tuple[str, str]] = field(default_factory=list)
    changes: list[PropertyRow] = field(default_factory=list)


def _value(idx: ConceptIndex, text: str, lang: str) -> str:
    """An IRI value shown by its label when the index knows one; a literal as it is."""
    if text.startswith(("http://", "https://")) and idx.has_label(text):
        return idx.label(text, lang).text
    return text


def property_name(idx: ConceptIndex, name: str, lang: str) -> str:
    key = PROPERTY_KEYS.get(name)
    return translate(key, lang) if key else idx.label(_IRI_OF[name], lang).text


def concept_row(idx: ConceptIndex, change: ConceptChange, version: str, lang: str) -> ConceptRow:
    """One concept of a changelog, worded in ``lang`` (the live label when it has one)."""
    label = idx.label(change.iri, lang).text if idx.has_label(change.iri) else change.label
    row = ConceptRow(change.iri, label, release_page_url(change.iri, version, lang), change.kind)
    row.replaced_by = [
        (_value(idx, r, lang), release_page_url(r, version, lang)) for r in change.replaced_by
    ]
    for p in change.changes:
        row.changes.append(
            PropertyRow(
                property_name(idx, p.property, lang),
                p.lang,
                [_value(idx, v, lang) for v in p.removed],
                [_value(idx, v, lang) for v in p.added],
            )
        )
    return row


def changelog(idx: ConceptIndex, result: Diff, version: str, previous: str | None, lang: str):
    """``[(scheme label, scheme IRI, [(kind, [ConceptRow])])]`` of one release's changes; a
    removed concept links to the release that still had it."""
    out = []
    for scheme in result.schemes:
        kinds = []
        for kind in KINDS:
            shown = version if kind != REMOVED or previous is None else previous
            rows = [concept_row(idx, c, shown, lang) for c in scheme.of_kind(kind)]
            if rows:
                kinds.append((kind, rows))
        out.append((idx.label(scheme.iri, lang).text, scheme.iri, kinds))
    return out


def unknown_release(history: History, version: str):
    """404 in the reader's language naming the releases there are."""
    lang = i18n.error_lang()
    body = render_template(
        "releases/unknown.html",
        version=version,
        known=history.versions,
        **i18n.page_context(lang),
    )
    return make_response(body, 404)


def _render(template: str, idx: ConceptIndex, **context):
    resp = make_response(render_template(template, index=idx, kind_keys=KIND_KEYS, **context))
    return conditional(resp, idx.build_id, idx.built_at, vary_accept=False)


@bp.get("/releases/")
def release_list():
    history = current_history()
    rows = [(r, history.changelogs[r.version].counts()) for r in reversed(history.releases)]
    return _render("releases/list.html", current_index(), rows=rows, kinds=KINDS)


@bp.get("/releases/<version>")
def release(version: str):
    history = current_history()
    found = history.get(version)
    if found is None:
        return unknown_release(history, version)
    idx, lang = current_index(), i18n.get_lang()
    before = history.previous(version)
    result = history.changelogs[version]
    return _render(
        "releases/release.html",
        idx,
        release=found,
        previous=before,
        counts=result.counts(),
        kinds=KINDS,
        schemes=changelog(idx, result, version, before.version if before else None, lang),
    )


@dataclass
class HistoryRow:
    """One release on a concept's page: what it did to the concept, and links."""

    version: str
    issued: str
    kind: str
    release_href: str
    #: The concept as that release had it (none for the release that removed it).
    href: str | None
    replaced_by: list[tuple[str, str]] = field(default_factory=list)
    changes: list[PropertyRow] = field(default_factory=list)


def _history_row(idx: ConceptIndex, iri: str, entry: HistoryEntry, lang: str) -> HistoryRow:
    version = entry.release.version
    row = HistoryRow(
        version,
        entry.release.issued,
        entry.kind,
        f"/releases/{version}?" + urlencode({"lang": lang}),
        None if entry.kind == REMOVED else release_page_url(iri, version, lang),
    )
    if entry.change is not None:
        detail = concept_row(idx, entry.change, version, lang)
        row.changes, row.replaced_by = detail.changes, detail.replaced_by
    return row


def concept_history(idx: ConceptIndex, iri: str, lang: str) -> dict[str, Any]:
    """The template context of a concept page's "History" section: every release it appears in
    (newest first) and the release that deprecated it, if any."""
    history = current_history()
    entries = history.of_concept(iri)
    rows = [_history_row(idx, iri, e, lang) for e in reversed(entries)]
    retired = history.deprecated_in(iri)
    deprecated_in = _history_row(idx, iri, retired, lang) if retired else None
    return {"release_history": rows, "deprecated_in": deprecated_in, "kind_keys": KIND_KEYS}


def release_concept_page(uri: str, version: str):
    """``/page?uri=…&release=…``: the concept from ``graph/release/<version>/…`` only, by the
    same page builder as the live page; links stay in that release."""
    history = current_history()
    found = history.get(version)
    if found is None:
        return unknown_release(history, version)
    settings, lang = get_settings(), i18n.get_lang()
    idx = found.index(settings)
    if not is_known(idx, found.store, settings, uri):
        context = i18n.page_context(i18n.error_lang())
        body = render_template("terms/not_found.html", index=idx, uri=uri, **context)
        return make_response(body, 404)
    builder = PageBuilder(idx, settings, lang, lambda i: release_page_url(i, version, lang))
    model = builder.build(found.store, uri)
    model.figures = None
    resp = make_response(
        render_template(
            "terms/page.html",
            index=idx,
            page=model,
            downloads=[],
            figures=None,
            as_released=found,
            live_href=page_url(uri, lang),
            **concept_history(current_index(), uri, lang),
        )
    )
    live = current_index()
    return conditional(resp, live.build_id, live.built_at, vary_accept=False)
