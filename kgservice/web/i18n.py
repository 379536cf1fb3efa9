"""User-interface languages: the request's language and the template helpers.

The page language comes from ``?lang=fi|sv|en`` (default: ``Settings.default_lang``); its texts
come from the one table in :mod:`kgservice.texts`. Labels are picked in that language with a
fallback to Finnish that the templates show as such ("(fi)"). Finnish collation belongs to the
vocabularies: :mod:`kgservice.terms.collation`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, request

from kgservice.texts import FALLBACK_LANG, LANGUAGE_NAMES, LANGUAGES, translate


def get_lang() -> str:
    """The language of the current request (``?lang=``), one of :data:`LANGUAGES`."""
    lang = request.args.get("lang", "")
    if lang in LANGUAGES:
        return lang
    default = current_app.config["KG_SETTINGS"].default_lang
    return default if default in LANGUAGES else FALLBACK_LANG


def error_lang() -> str:
    """The language of an error page: ``?lang=`` if it is a UI language, else the best match of
    the browser's ``Accept-Language``, else Finnish."""
    lang = request.args.get("lang", "")
    if lang in LANGUAGES:
        return lang
    return request.accept_languages.best_match(LANGUAGES) or FALLBACK_LANG


def page_context(lang: str) -> dict[str, object]:
    """Template variables that render a page in ``lang`` whatever ``?lang=`` says."""
    return {"lang": lang, "t": lambda key: translate(key, lang)}


def lang_url(lang: str) -> str:
    """The current URL with ``lang`` replaced."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [lang]
    return request.path + "?" + urlencode(args, doseq=True)


def register(app: Flask) -> None:
    """Template helpers: ``lang``, ``t(key)``, ``lang_url(code)``, ``LANGUAGES``."""

    @app.context_processor
    def _inject() -> dict[str, object]:
        lang = get_lang()
        return {
            "lang": lang,
            "t": lambda key: translate(key, lang),
            "lang_url": lang_url,
            "LANGUAGES": LANGUAGES,
            "LANGUAGE_NAMES": LANGUAGE_NAMES,
        }
