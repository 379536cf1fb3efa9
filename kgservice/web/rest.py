"""Blueprint ``rest``: the Skosmos-compatible REST API under ``/rest/v1/``.

Routes, parameters and JSON-LD response shapes follow Skosmos's ``RestController`` (NatLibFi/
Skosmos, ``src/controller/RestController.php``) so Finto/Skosmos clients work unchanged:
``vocabularies``, ``search``, ``label``, ``data``, and per vocabulary ``{vocid}/``,
``{vocid}/search``, ``{vocid}/lookup``, ``{vocid}/label``, ``{vocid}/data``,
``{vocid}/topConcepts``, ``{vocid}/broader``, ``{vocid}/broaderTransitive``, ``{vocid}/narrower``,
``{vocid}/narrowerTransitive``, ``{vocid}/related``, ``{vocid}/children``, ``{vocid}/hierarchy``.
Answers come from the in-memory :class:`~kgservice.terms.index.ConceptIndex` and the walks of
:mod:`kgservice.terms.skos` (data from the store); this module shapes them as Skosmos does.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, json, make_response, request
from pyoxigraph import RdfFormat

from kgservice.errors import NotFound, shown
from kgservice.namespaces import DC11, DCT, ISOTHES, OWL, RDFS, SKOS, ontology_ns
from kgservice.releases.diff import KINDS, ConceptChange
from kgservice.terms import skos
from kgservice.terms.describe import description, serialise, vocabulary_data
from kgservice.terms.history import History, Release
from kgservice.terms.index import ConceptIndex, Vocabulary
from kgservice.texts import FALLBACK_LANG, LANGUAGES
from kgservice.web import params
from kgservice.web.conneg import RDF_TYPES, NotAcceptable, conditional, negotiate, rdf_type
from kgservice.web.releases import current_history
from kgservice.web.storeaccess import get_settings, get_store
from kgservice.web.terms import current_index

bp = Blueprint("rest", __name__, url_prefix="/rest/v1")

ONKI = "http://schema.onki.fi/onki#"
_CURIES = {
    SKOS: "skos:",
    OWL: "owl:",
    RDFS: "rdfs:",
}
#: The JSON-LD context Skosmos compacts ``data`` answers with (RestController::returnDataResults).
DATA_CONTEXT = {
    "skos": SKOS,
    "isothes": ISOTHES,
    "rdfs": RDFS,
    "owl": OWL,
    "dct": DCT,
    "dc11": DC11,
    "uri": "@id",
    "type": "@type",
    "lang": "@language",
    "value": "@value",
    "graph": "@graph",
    "label": "rdfs:label",
    "prefLabel": "skos:prefLabel",
    "altLabel": "skos:altLabel",
    "hiddenLabel": "skos:hiddenLabel",
    "broader": "skos:broader",
    "narrower": "skos:narrower",
    "related": "skos:related",
    "inScheme": "skos:inScheme",
    "exactMatch": "skos:exactMatch",
    "closeMatch": "skos:closeMatch",
    "broadMatch": "skos:broadMatch",
    "narrowMatch": "skos:narrowMatch",
    "relatedMatch": "skos:relatedMatch",
}
DEFAULT_MAXHITS = 100
MAX_MAXHITS = 1000
MAX_OFFSET = 100_000
TRANSITIVE_LIMIT = 1000


# -- helpers --------------------------------------------------------------------------------------
def _json(data: dict[str, Any], idx: ConceptIndex) -> Response:
    """JSON (or JSON-LD when preferred by Accept), CORS-open, with the build's validators."""
    best = request.accept_mimetypes.best_match(["application/json", "application/ld+json"])
    resp = make_response(json.dumps(data, ensure_ascii=False))
    resp.mimetype = best or "application/json"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return conditional(resp, idx.build_id, idx.built_at, vary_accept=True)


def _lang(required: bool = False) -> str:
    """The content language ``lang`` (a BCP 47 tag; Skosmos's default ``fi``)."""
    return params.content_lang("lang", is_required=required) or FALLBACK_LANG


def _safe_tag(lang: str) -> str:
    return lang if params.is_language_tag(lang) else FALLBACK_LANG


def _curie(iri: str, settings) -> str:
    for ns, prefix in _CURIES.items():
        if iri.startswith(ns):
            return prefix + iri[len(ns) :]
    rake = ontology_ns(settings)
    if iri.startswith(rake):
        return "rake:" + iri[len(rake) :]
    return iri


def _vocab(idx: ConceptIndex, vocid: str, name: str = "vocid") -> Vocabulary:
    """The vocabulary ``vocid``; 404 listing the vocabulary ids (Skosmos answers 404 too)."""
    vocab = idx.vocabularies.get(vocid)
    if vocab is None:
        raise params.not_a_choice(name, vocid, sorted(idx.vocabularies), status=404)
    return vocab


def _concept_uri(idx: ConceptIndex, vocab: Vocabulary | None) -> str:
    uri = params.iri("uri")
    concept = idx.concepts.get(uri)
    if concept is None or (vocab is not None and vocab.id not in concept.vocabs):
        raise NotFound(f"Could not find concept <{shown(uri)}>", rule="rest-concept")
    return uri


def _pref(idx: ConceptIndex, iri: str, lang: str) -> str:
    return idx.label(iri, lang).text


def _has_children(idx: ConceptIndex, iri: str, vid: str | None) -> bool:
    return bool(idx.active_children(iri, vid))


def _with_notation(idx: ConceptIndex, iri: str, item: dict[str, Any]) -> dict[str, Any]:
    notation = idx.concepts[iri].notation if iri in idx.concepts else None
    if notation:
        item["notation"] = notation
    return item


def _ctx(lang: str | None, **extra: Any) -> dict[str, Any]:
    ctx: dict[str, Any] = {"skos": SKOS, "uri": "@id", "type": "@type"}
    ctx.update(extra)
    if lang and params.is_language_tag(lang):  # never a caller's text that is not a tag
        ctx["@language"] = lang
    return ctx


# -- global methods -------------------------------------------------------------------------------
@bp.get("/vocabularies")
def vocabularies():
    idx = current_index()
    lang = _lang(required=True)
    vocabs = sorted(idx.vocabularies.values(), key=lambda v: v.id)
    return _json(
        {
            "@context": {
                "rdfs": RDFS,
                "onki": ONKI,
                "title": {"@id": "rdfs:label", "@language": _safe_tag(lang)},
                "vocabularies": "onki:hasVocabulary",
                "id": "onki:vocabularyIdentifier",
                "uri": "@id",
                "@base": request.host_url + "rest/v1/vocabularies",
            },
            "uri": "",
            "vocabularies": [
                {"uri": v.id, "id": v.id, "title": idx.vocab_title(v.id, lang).text} for v in vocabs
            ],
        },
        idx,
    )


def _search(idx: ConceptIndex, vocids: list[str] | None):
    term = params.text("query", params.MAX_SEARCH_TEXT) or ""
    if not term.strip():
        raise params.required("query", {"maxLength": params.MAX_SEARCH_TEXT})
    maxhits = params.integer("maxhits", 1, MAX_MAXHITS, DEFAULT_MAXHITS) or DEFAULT_MAXHITS
    offset = params.integer("offset", 0, MAX_OFFSET, 0) or 0
    lang = params.content_lang("lang")
    labellang = params.content_lang("labellang") or lang
    settings = get_settings()
    hits = idx.search.search(term, vocabs=vocids, lang=lang, limit=maxhits, offset=offset)
    results = []
    for h in hits:
        shown_lang = labellang or h.label.lang or FALLBACK_LANG
        item: dict[str, Any] = {
            "uri": h.concept,
            "type": [_curie(t, settings) for t in idx.types_of(h.concept)],
            "prefLabel": _pref(idx, h.concept, shown_lang),
            "lang": h.label.lang,
        }
        if h.label.kind == "alt":
            item["altLabel"] = h.label.text
        elif h.label.kind == "hidden":
            item["hiddenLabel"] = h.label.text
        elif h.label.kind == "pref" and h.label.text != item["prefLabel"]:
            item["matchedPrefLabel"] = h.label.text
        _with_notation(idx, h.concept, item)
        item["vocab"] = h.label.vocabs[0] if h.label.vocabs else None
        results.append(item)
    ctx = _ctx(
        labellang,
        isothes=ISOTHES,
        onki=ONKI,
        results={"@id": "onki:results", "@container": "@list"},
        prefLabel="skos:prefLabel",
        altLabel="skos:altLabel",
        hiddenLabel="skos:hiddenLabel",
    )
    return _json({"@context": ctx, "uri": "", "results": results}, idx)


@bp.get("/search")
def search():
    idx = current_index()
    vocab = params.text("vocab", 1000)
    # separated by spaces only: str.split() would also split on control characters such as
    # U+001E and take "vocab=%1E" for no vocabulary at all
    vocids = [v for v in vocab.split(" ") if v] if vocab else None
    for vid in vocids or []:
        _vocab(idx, vid, "vocab")
    return _search(idx, vocids)


@bp.get("/<vocid>/search")
def vocab_search(vocid: str):
    idx = current_index()
    _vocab(idx, vocid)
    return _search(idx, [vocid])


def _label(idx: ConceptIndex, vocab: Vocabulary | None):
    uri = params.iri("uri")
    labels = idx.labels.get(uri)
    concept = idx.concepts.get(uri)
    if labels is None or (
        vocab is not None and (concept is None or vocab.id not in concept.vocabs)
    ):
        raise NotFound(f"Could not find concept <{shown(uri)}>", rule="rest-label")
    lang = _lang()
    data: dict[str, Any] = {
        "@context": _ctx(
            lang,
            prefLabel="skos:prefLabel",
            altLabel="skos:altLabel",
            hiddenLabel="skos:hiddenLabel",
        ),
        "uri": uri,
    }
    pref = labels.preferred().get(lang)
    if pref is not None:
        data["prefLabel"] = pref
    if labels.alt.get(lang):
        data["altLabel"] = list(labels.alt[lang])
    if labels.hidden.get(lang):
        data["hiddenLabel"] = list(labels.hidden[lang])
    return _json(data, idx)


@bp.get("/label")
def label():
    return _label(current_index(), None)


@bp.get("/<vocid>/label")
def vocab_label(vocid: str):
    idx = current_index()
    return _label(idx, _vocab(idx, vocid))


def _data_response(triples, iri_for_order: str) -> Response:
    try:
        media = negotiate(tuple(t.media_type for t in RDF_TYPES))
    except NotAcceptable as exc:
        exc.message += " (Skosmos also accepts application/json)"
        raise
    rdf = rdf_type(media)
    if rdf.media_type == "application/ld+json":
        body = _compact_jsonld(triples)
    else:
        body = serialise(triples, rdf.fmt, get_settings(), iri_for_order)
    resp = make_response(body)
    resp.mimetype = rdf.media_type
    resp.headers["Access-Control-Allow-Origin"] = "*"
    idx = current_index()
    return conditional(resp, idx.build_id, idx.built_at, vary_accept=True)


def _compact_jsonld(triples) -> bytes:
    """JSON-LD compacted with Skosmos's context (``graph``, ``uri``, ``prefLabel``: {lang, value})
    as Skosmos clients expect; rdflib does the compaction of pyoxigraph's N-Triples."""
    import rdflib

    graph = rdflib.Graph()
    nt = serialise(triples, RdfFormat.N_TRIPLES, get_settings(), "")
    graph.parse(data=nt.decode("utf-8"), format="nt")
    return graph.serialize(format="json-ld", context=DATA_CONTEXT, auto_compact=True).encode()


@bp.get("/data")
def data():
    uri = params.iri("uri")
    triples = description(get_store(), get_settings(), uri)
    if not triples:
        raise NotFound("no concept found with given uri", rule="rest-data")
    return _data_response(triples, uri)


@bp.get("/<vocid>/data")
def vocab_data(vocid: str):
    """The concept ``uri`` or the whole vocabulary; with ``release`` as that release had it."""
    idx = current_index()
    vocab = _vocab(idx, vocid)
    settings = get_settings()
    store = get_store()
    version = params.text("release", MAX_VERSION)
    if version is not None:
        store = _release(current_history(), "release", version).store
    if request.args.get("uri"):
        uri = _concept_uri(idx, vocab) if version is None else params.iri("uri")
        triples = description(store, settings, uri)
        if not triples:
            raise NotFound(f"release {version} has no <{shown(uri)}>", rule="rest-data")
        return _data_response(triples, uri)
    triples = vocabulary_data(store, settings, vocab)
    if not triples:
        raise NotFound(f"release {version} has no vocabulary {vocid}", rule="rest-data")
    return _data_response(triples, vocab.iri)


# -- releases (issue 17) --------------------------------------------------------------------------
#: Longest release version (:data:`kgservice.releases.record.VERSION`).
MAX_VERSION = 64


def _release(history: History, name: str, version: str) -> Release:
    """The release ``version`` named by parameter ``name``; 404 naming the releases there are."""
    found = history.get(version)
    if found is None:
        raise params.not_a_choice(name, version, history.versions or ["(none)"], status=404)
    return found


def _change_item(idx: ConceptIndex, change: ConceptChange, lang: str, date: str):
    label = idx.label(change.iri, lang).text if idx.has_label(change.iri) else change.label
    item: dict[str, Any] = {"uri": change.iri, "prefLabel": label, "type": change.kind}
    item["date"] = date
    if change.replaced_by:
        item["replacedBy"] = list(change.replaced_by)
    if change.changes:
        item["changes"] = [
            {
                "property": p.property,
                "lang": p.lang,
                "removed": list(p.removed),
                "added": list(p.added),
            }
            for p in change.changes
        ]
    return item


@bp.get("/<vocid>/changes")
def vocab_changes(vocid: str):
    """What changed in vocabulary ``vocid`` from release ``from`` to release ``to``: the
    concepts added, deprecated, removed and changed, in the shape of Skosmos's ``changeList``
    (``/new``, ``/modified``) with the kind and the per-property changes."""
    idx = current_index()
    vocab = _vocab(idx, vocid)
    lang = _lang()
    history = current_history()
    old = _release(history, "from", params.text("from", MAX_VERSION, is_required=True) or "")
    new = _release(history, "to", params.text("to", MAX_VERSION, is_required=True) or "")
    result = history.between(old.version, new.version)
    scheme = next((s for s in result.schemes if s.iri == vocab.iri), None)
    changes = scheme.concepts if scheme else []
    body = {
        "@context": _ctx(lang, prefLabel="skos:prefLabel", changeList={"@container": "@list"}),
        "uri": vocab.iri,
        "from": {"version": old.version, "issued": old.issued},
        "to": {"version": new.version, "issued": new.issued},
        "counts": {k: sum(1 for c in changes if c.kind == k) for k in KINDS},
        "changeList": [_change_item(idx, c, lang, new.issued) for c in changes],
    }
    return _json(body, idx)


# -- vocabulary methods ---------------------------------------------------------------------------
@bp.get("/<vocid>/")
def vocabulary(vocid: str):
    idx = current_index()
    vocab = _vocab(idx, vocid)
    lang = _lang()
    title = idx.vocab_title(vocid, lang).text
    return _json(
        {
            "@context": {
                "rdfs": RDFS,
                "skos": SKOS,
                "onki": ONKI,
                "dct": DCT,
                "uri": "@id",
                "type": "@type",
                "conceptschemes": "onki:hasConceptScheme",
                "id": "onki:vocabularyIdentifier",
                "defaultLanguage": "onki:defaultLanguage",
                "languages": "onki:language",
                "label": "rdfs:label",
                "prefLabel": "skos:prefLabel",
                "title": "dct:title",
                "@language": _safe_tag(lang),
                "@base": request.host_url + f"rest/v1/{vocid}/",
            },
            "uri": "",
            "id": vocid,
            "marcSource": "",
            "title": title,
            "defaultLanguage": FALLBACK_LANG,
            "languages": list(LANGUAGES),
            "conceptschemes": [
                {
                    "uri": vocab.iri,
                    "prefLabel": title,
                    "type": "skos:ConceptScheme" if vocab.kind == "scheme" else "owl:Ontology",
                }
            ],
        },
        idx,
    )


@bp.get("/<vocid>/lookup")
def lookup(vocid: str):
    idx = current_index()
    _vocab(idx, vocid)
    label_text = params.text("label", params.MAX_SEARCH_TEXT, is_required=True) or ""
    lang = params.content_lang("lang")
    chosen = idx.search.lookup(label_text, vocab=vocid, lang=lang)
    settings = get_settings()
    if not chosen:
        raise NotFound(f"Could not find label {shown(label_text)!r}", rule="rest-lookup")
    result = []
    for h in chosen:
        item = {
            "uri": h.concept,
            "type": [_curie(t, settings) for t in idx.types_of(h.concept)],
            "prefLabel": _pref(idx, h.concept, h.label.lang or FALLBACK_LANG),
            "lang": h.label.lang,
            "vocab": vocid,
        }
        if h.label.kind == "alt":
            item["altLabel"] = h.label.text
        result.append(item)
    ctx = _ctx(
        lang,
        onki=ONKI,
        results={"@id": "onki:results"},
        prefLabel="skos:prefLabel",
        altLabel="skos:altLabel",
        hiddenLabel="skos:hiddenLabel",
    )
    return _json({"@context": ctx, "result": result}, idx)


@bp.get("/<vocid>/topConcepts")
def top_concepts(vocid: str):
    idx = current_index()
    vocab = _vocab(idx, vocid)
    lang = _lang()
    scheme = params.iri("scheme") if params.raw("scheme") else vocab.iri
    tops = [
        _with_notation(
            idx,
            iri,
            {
                "uri": iri,
                "label": _pref(idx, iri, lang),
                "topConceptOf": vocab.iri,
                "hasChildren": _has_children(idx, iri, vocid),
            },
        )
        for iri in idx.sorted_iris(vocab.tops, lang)
    ]
    ctx = _ctx(
        lang,
        onki=ONKI,
        topconcepts="skos:hasTopConcept",
        notation="skos:notation",
        label="skos:prefLabel",
    )
    return _json({"@context": ctx, "uri": scheme, "topconcepts": tops}, idx)


def _relation(vocid: str, prop: str) -> Response:
    idx = current_index()
    vocab = _vocab(idx, vocid)
    uri = _concept_uri(idx, vocab)
    lang = _lang()
    iris = idx.sorted_iris(skos.direct(idx, uri, prop), lang)
    ctx = _ctx(lang, prefLabel="skos:prefLabel", **{prop: f"skos:{prop}"})
    items = [{"uri": i, "prefLabel": _pref(idx, i, lang)} for i in iris]
    return _json({"@context": ctx, "uri": uri, prop: items}, idx)


@bp.get("/<vocid>/broader")
def broader(vocid: str):
    return _relation(vocid, "broader")


@bp.get("/<vocid>/narrower")
def narrower(vocid: str):
    return _relation(vocid, "narrower")


@bp.get("/<vocid>/related")
def related(vocid: str):
    return _relation(vocid, "related")


def _transitive(vocid: str, tprop: str, dprop: str) -> Response:
    idx = current_index()
    limit = params.integer("limit", 1, TRANSITIVE_LIMIT, TRANSITIVE_LIMIT) or TRANSITIVE_LIMIT
    vocab = _vocab(idx, vocid)
    uri = _concept_uri(idx, vocab)
    lang = _lang()
    out: dict[str, dict[str, Any]] = {}
    for current, direct in skos.transitive(idx, uri, dprop, limit).items():
        item: dict[str, Any] = {"uri": current, "prefLabel": _pref(idx, current, lang)}
        if direct:
            item[dprop] = direct
        out[current] = item
    ctx = _ctx(
        lang,
        prefLabel="skos:prefLabel",
        **{
            dprop: {"@id": f"skos:{dprop}", "@type": "@id"},
            tprop: {"@id": f"skos:{tprop}", "@container": "@index"},
        },
    )
    return _json({"@context": ctx, "uri": uri, tprop: out}, idx)


@bp.get("/<vocid>/broaderTransitive")
def broader_transitive(vocid: str):
    return _transitive(vocid, "broaderTransitive", "broader")


@bp.get("/<vocid>/narrowerTransitive")
def narrower_transitive(vocid: str):
    return _transitive(vocid, "narrowerTransitive", "narrower")


@bp.get("/<vocid>/children")
def children(vocid: str):
    idx = current_index()
    vocab = _vocab(idx, vocid)
    uri = _concept_uri(idx, vocab)
    lang = _lang()
    kids = [
        _with_notation(
            idx,
            k,
            {
                "uri": k,
                "prefLabel": _pref(idx, k, lang),
                "hasChildren": _has_children(idx, k, vocid),
            },
        )
        for k in idx.sorted_iris(idx.active_children(uri, vocid), lang)
    ]
    ctx = _ctx(
        lang,
        prefLabel="skos:prefLabel",
        narrower="skos:narrower",
        notation="skos:notation",
        hasChildren="onki:hasChildren",
    )
    return _json({"@context": ctx, "uri": uri, "narrower": kids}, idx)


@bp.get("/<vocid>/hierarchy")
def hierarchy(vocid: str):
    """The broader chain of a concept with the children of each node, plus the top concepts."""
    idx = current_index()
    vocab = _vocab(idx, vocid)
    uri = _concept_uri(idx, vocab)
    lang = _lang()
    results: dict[str, dict[str, Any]] = {}
    for current, parents in skos.broader_chain(idx, uri, vocid).items():
        item: dict[str, Any] = {"uri": current, "prefLabel": _pref(idx, current, lang)}
        if parents:
            item["broader"] = parents
        kids = idx.sorted_iris(idx.active_children(current, vocid), lang)
        if kids:
            item["narrower"] = [
                _with_notation(
                    idx,
                    k,
                    {
                        "uri": k,
                        "label": _pref(idx, k, lang),
                        "hasChildren": _has_children(idx, k, vocid),
                    },
                )
                for k in kids
            ]
        item["hasChildren"] = bool(kids)
        if current in vocab.tops:
            item["top"] = vocab.iri
            item["tops"] = [vocab.iri]
        _with_notation(idx, current, item)
        results[current] = item
    for top in idx.sorted_iris(vocab.tops, lang):
        if top not in results:
            results[top] = _with_notation(
                idx,
                top,
                {
                    "uri": top,
                    "top": vocab.iri,
                    "tops": [vocab.iri],
                    "prefLabel": _pref(idx, top, lang),
                    "hasChildren": _has_children(idx, top, vocid),
                },
            )
    ctx = _ctx(
        lang,
        onki=ONKI,
        prefLabel="skos:prefLabel",
        notation="skos:notation",
        narrower={"@id": "skos:narrower", "@type": "@id"},
        broader={"@id": "skos:broader", "@type": "@id"},
        broaderTransitive={"@id": "skos:broaderTransitive", "@container": "@index"},
        top={"@id": "skos:topConceptOf", "@type": "@id"},
        tops={"@id": "skos:topConceptOf", "@type": "@id"},
        hasChildren="onki:hasChildren",
    )
    return _json({"@context": ctx, "uri": uri, "broaderTransitive": results}, idx)
