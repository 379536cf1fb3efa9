"""The Flask application factory. Its body is the table of contents of the web service."""

from __future__ import annotations

from flask import Flask

from kgservice.config import Settings


def create_app(settings: Settings | None = None, *, graph_writer: object | None = None) -> Flask:
    """The web app. ``graph_writer`` (issue 17) applies the writes of ``/graphs``: the build's
    :class:`~kgservice.pipeline.graphwrite.GraphWriter`, handed in by ``kgservice serve`` (the
    web does not import the build); without it ``/graphs`` only reads."""
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    app.config["KG_SETTINGS"] = settings
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_body_bytes  # more: 413 problem+json

    from kgservice.store.served import ServedStore
    from kgservice.terms.index import IndexHolder
    from kgservice.web.errors import register_error_handlers
    from kgservice.web.security import register_security_headers

    app.extensions["kg.store"] = ServedStore(settings)  # the served build, followed to each new one
    app.extensions["kg.index"] = IndexHolder(settings)  # concept index of the served build
    from kgservice.terms.history import HistoryHolder

    app.extensions["kg.history"] = HistoryHolder(settings)  # the served build's releases
    from kgservice.store.releases import ReleaseStores

    app.extensions["kg.releases"] = ReleaseStores(settings)  # the release store of each build
    register_error_handlers(app)
    register_security_headers(app)  # CSP, nosniff, frame/referrer policy on every response
    from kgservice.web import conneg, i18n, params

    params.register(app)  # lang and query-string length before every request; see params.py
    i18n.register(app)  # lang, t(key), lang_url, LANGUAGES in every template
    app.add_template_global(conneg.page_href)  # page_href(iri): a resource's page, same language

    from kgservice.web import api, graphs, releases, resolve, rest, sparql, terms, views

    app.extensions["kg.graph_writer"] = graph_writer
    app.register_blueprint(graphs.bp)  # /graphs: Graph Store Protocol with tokens (issue 17)

    app.register_blueprint(terms.bp)  # /, /vocab/…, /search, concept pages
    app.register_blueprint(releases.bp)  # /releases/, /releases/<version> (issue 17)
    app.register_blueprint(sparql.bp)  # /sparql
    app.register_blueprint(rest.bp)  # /rest/v1/… (Skosmos-compatible)
    app.register_blueprint(views.bp)  # /views/… HTML indicator views
    app.register_blueprint(api.bp)  # /api/… JSON / CSV / Excel + OpenAPI
    app.register_blueprint(resolve.bp)  # /entity?uri=…, and every IRI under the base (last)
    if settings.trusted_proxies:
        # remote_addr and the scheme from X-Forwarded-For/-Proto, as set by that many proxies
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n)  # type: ignore[method-assign]
    return app
