"""Blueprint ``terms``: the term browser (HTML).

``/`` front page and vocabularies · ``/vocab/<id>/`` information and top concepts ·
``/vocab/<id>/download?format=ttl|jsonld|rdf|nt|csv|xlsx`` the whole vocabulary as a file named
after it · ``/dump/rake-kg.nq.gz`` the whole public dataset · ``/vocab/<id>/hierarchy`` tree ·
``/vocab/<id>/index`` alphabetical index · ``/search`` search page · ``/search/suggest`` the
autocomplete (JSON) · ``/page?uri=`` the page of any resource (concept, class, structure, ...).
"""

from __future__ import annotations

import threading
from functools import partial

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    send_file,
    url_for,
)

from kgservice.errors import shown
from kgservice.store.served import DUMP_FILE
from kgservice.terms import skos
from kgservice.terms.describe import is_known, serialise, vocabulary_data
from kgservice.terms.index import ConceptIndex
from kgservice.terms.page import PageBuilder
from kgservice.terms.results import FACETS, filter_choices, search_results
from kgservice.terms.vocabinfo import (
    TABLE_FORMATS,
    download_name,
    scheme_description,
    vocabulary_groups,
    vocabulary_info,
)
from kgservice.texts import LANGUAGES
from kgservice.web import i18n, params, releases
from kgservice.web.conneg import RDF_TYPES, conditional, data_url, page_url
from kgservice.web.storeaccess import get_settings, get_store, served_build
from kgservice.web.views import view_url
from kgservice.web.warmup import in_background

bp = Blueprint("terms", __name__)

MAX_SUGGEST = 50
#: Longest ``release`` parameter (a release version has at most 64 characters).
MAX_RELEASE = 64


def current_index() -> ConceptIndex:
    """The concept index of the store build serving the current request."""
    served = served_build()
    return current_app.extensions["kg.index"].get(served.store, served.version)


def warm_up(app) -> threading.Thread:
    """Build the concept index in the background so the first visitor does not wait for it."""
    return in_background(app, "label-index-warm-up", current_index)


def _render(template: str, index: ConceptIndex, status: int = 200, **context):
    resp = make_response(render_template(template, index=index, **context), status)
    if status == 200:
        return conditional(resp, index.build_id, index.built_at, vary_accept=False)
    return resp


def _vocab_or_404(index: ConceptIndex, vid: str):
    vocab = index.vocabularies.get(vid)
    if vocab is None:
        abort(404, description=f"no vocabulary {shown(vid)!r}")
    return vocab


@bp.get("/")
def index():
    idx = current_index()
    lang = i18n.get_lang()
    return _render(
        "terms/index.html",
        idx,
        groups=vocabulary_groups(idx, lang),
        describe=partial(scheme_description, idx, lang=lang),
    )


@bp.get("/vocab/<vid>/")
def vocabulary(vid: str):
    idx = current_index()
    vocab = _vocab_or_404(idx, vid)
    lang = i18n.get_lang()
    tops = idx.sorted_iris(vocab.tops, lang)
    info = vocabulary_info(idx, get_store(), get_settings(), vocab, lang)
    downloads = [(t.label, t.ext) for t in RDF_TYPES if t.ext != "nt"]
    downloads += [("CSV", "csv"), ("Excel", "xlsx")]
    return _render(
        "terms/vocabulary.html",
        idx,
        vocab=vocab,
        tops=tops,
        tab="top",
        info=info,
        downloads=downloads,
    )


#: ``format`` of a whole-vocabulary download → its media type.
DOWNLOAD_FORMATS = {t.ext: t.media_type for t in RDF_TYPES} | TABLE_FORMATS


@bp.get("/vocab/<vid>/download")
def download(vid: str):
    """The whole vocabulary as RDF (Turtle, JSON-LD, RDF/XML, N-Triples) or as a table of one
    concept a row (CSV, Excel; headers in the page's language), named after the vocabulary."""
    idx = current_index()
    vocab = _vocab_or_404(idx, vid)
    fmt = params.choice("format", list(DOWNLOAD_FORMATS), is_required=True) or ""
    lang = i18n.get_lang()
    if fmt in TABLE_FORMATS:
        from kgservice.terms import vocabinfo

        body = (
            vocabinfo.to_csv(idx, vocab, lang)
            if fmt == "csv"
            else vocabinfo.to_xlsx(idx, vocab, lang)
        )
    else:
        settings = get_settings()
        rdf = next(t for t in RDF_TYPES if t.ext == fmt)
        body = serialise(
            vocabulary_data(get_store(), settings, vocab), rdf.fmt, settings, vocab.iri
        )
    resp = make_response(body)
    resp.headers["Content-Type"] = DOWNLOAD_FORMATS[fmt]
    name = download_name(idx, vocab, lang, fmt)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return conditional(resp, idx.build_id, idx.built_at, vary_accept=False)


@bp.get("/dump/rake-kg.nq.gz")
def dump():
    """The whole public dataset as gzip-compressed N-Quads, written by the build step ``dump``
    into the served build's directory (:mod:`kgservice.pipeline.dump`)."""
    served = served_build()
    path = served.directory / DUMP_FILE if served.directory else None
    if path is None or not path.is_file():
        abort(404, description="no dump in the served build: rebuild with `kgservice build`")
    resp = send_file(path, mimetype="application/gzip", conditional=False)
    resp.headers["Content-Disposition"] = 'attachment; filename="rake-kg.nq.gz"'
    return conditional(resp, served.version.id, served.version.built_at, vary_accept=False)


@bp.get("/vocab/<vid>/hierarchy")
def hierarchy(vid: str):
    idx = current_index()
    vocab = _vocab_or_404(idx, vid)
    tree = skos.tree(idx, vocab, i18n.get_lang())
    return _render("terms/hierarchy.html", idx, vocab=vocab, tree=tree, tab="hierarchy")


@bp.get("/vocab/<vid>/index")
def alphabetical(vid: str):
    idx = current_index()
    vocab = _vocab_or_404(idx, vid)
    entries = idx.alphabetical(vocab.id, i18n.get_lang())
    letters = list(dict.fromkeys(e[0] for e in entries))
    letter = params.choice("letter", letters) or (letters[0] if letters else "")
    shown = [e for e in entries if e[0] == letter]
    return _render(
        "terms/alphabetical.html",
        idx,
        vocab=vocab,
        letters=letters,
        letter=letter,
        entries=shown,
        tab="index",
    )


def _search_args(idx: ConceptIndex) -> dict:
    vocab = params.choice("vocab", sorted(idx.vocabularies))
    search_lang = params.choice("search_lang", LANGUAGES)
    return {"vocabs": [vocab] if vocab else None, "lang": search_lang}


@bp.get("/search")
def search_page():
    """The results with vocabulary, definition snippet, hit count and facets; ``vocab``,
    ``type`` and ``status`` filter (the facet links set them)."""
    idx = current_index()
    q = params.text("q", params.MAX_SEARCH_TEXT) or ""
    search_lang = params.choice("search_lang", LANGUAGES)
    filters = {f: params.choice(f, filter_choices(idx, f)) for f in FACETS}
    results = None
    if q.strip():
        results = search_results(idx, q, i18n.get_lang(), search_lang=search_lang, filters=filters)
    return _render("terms/search.html", idx, q=q, results=results)


@bp.get("/search/suggest")
def suggest():
    """Autocomplete: ``[{uri, label, lang, matched, kind, vocab, href}]`` for ``?q=``."""
    idx = current_index()
    lang = i18n.get_lang()
    limit = params.integer("limit", 1, MAX_SUGGEST, default=10)
    q = params.text("q", params.MAX_SEARCH_TEXT) or ""
    hits = idx.search.search(q, limit=limit or 10, **_search_args(idx))
    out = []
    for h in hits:
        picked = idx.label(h.concept, lang)
        out.append(
            {
                "uri": h.concept,
                "label": picked.text,
                "lang": picked.lang,
                "fallback": picked.fallback,
                "matched": h.label.text,
                "matchedKind": h.label.kind,
                "vocab": h.label.vocabs[0] if h.label.vocabs else None,
                "vocabTitle": idx.vocab_title(h.label.vocabs[0], lang).text
                if h.label.vocabs
                else None,
                "href": page_url(h.concept, lang),
            }
        )
    return conditional(jsonify(out), idx.build_id, idx.built_at, vary_accept=False)


@bp.get("/page")
def page():
    uri = params.iri("uri")
    version = params.text("release", MAX_RELEASE)
    if version is not None:  # the concept as a release had it (issue 17)
        return releases.release_concept_page(uri, version)
    idx = current_index()
    settings = get_settings()
    store = get_store()
    if not is_known(idx, store, settings, uri):
        context = i18n.page_context(i18n.error_lang())
        return _render("terms/not_found.html", idx, status=404, uri=uri, **context)
    lang = i18n.get_lang()
    builder = PageBuilder(
        idx,
        settings,
        lang,
        partial(page_url, lang=lang),
        lambda vid: url_for("terms.vocabulary", vid=vid, lang=lang),
    )
    model = builder.build(store, uri)
    downloads = [(t.label, t.media_type, data_url(uri, t.ext)) for t in RDF_TYPES]
    figures = view_url(model.figures[0], lang, **model.figures[1]) if model.figures else None
    history = releases.concept_history(idx, uri, lang)
    return _render(
        "terms/page.html", idx, page=model, downloads=downloads, figures=figures, **history
    )
