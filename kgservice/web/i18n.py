"""User-interface languages: the request's language, the template helpers, Finnish collation.

The page language comes from ``?lang=fi|sv|en`` (default: ``Settings.default_lang``); its texts
come from the one table in :mod:`kgservice.texts`. Labels are picked in that language with a
fallback to Finnish that the templates show as such ("(fi)").
Sorting uses the Finnish alphabet (as CLDR's Finnish collation): a–z with ü sorted as y, then å,
ä, ö at the end; other accented Latin letters sort with their base letter.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
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


# -- Finnish collation --------------------------------------------------------------------------
# Order of the Finnish alphabet: a b c d e f g h i j k l m n o p q r s t u v w x y z å ä ö
# (ü sorts as y; æ with ä and ø with ö as in CLDR's Finnish tailoring; other accented letters as
# their base letter). The three last letters map to the code points right after "z".
_FINNISH_TAIL = {"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"}
_EQUIV = {"ü": "y"}


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _FINNISH_TAIL:
        return _FINNISH_TAIL[ch]
    if ch in _EQUIV:
        return _EQUIV[ch]
    base = unicodedata.normalize("NFD", ch)[0]
    return _EQUIV.get(base, base)


@lru_cache(maxsize=65536)
def collation_key(text: str) -> tuple[str, str]:
    """A sort key putting å, ä, ö after z; ties broken by the case-folded original.

    Cached: every page sorts the labels of the same vocabulary again and again.
    """
    folded = text.casefold()
    primary = "".join(_fold_char(c) for c in unicodedata.normalize("NFC", folded))
    return primary, folded


def index_letter(text: str) -> str:
    """The letter a label is listed under in the alphabetical index (Å, Ä, Ö kept)."""
    for ch in unicodedata.normalize("NFC", text):
        if ch.isalnum():
            up = ch.upper()
            if up in "ÅÄÖ":
                return up
            base = unicodedata.normalize("NFD", up)[0]
            return base if base.isalpha() else "0–9"
    return "#"


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
