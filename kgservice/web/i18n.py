"""User-interface languages: the request's language and the UI strings.

The page language comes from ``?lang=fi|sv|en`` (default: ``Settings.default_lang``). Labels are
picked in that language with a fallback to Finnish that the templates show as such ("(fi)").
The languages themselves and the Finnish collation are the vocabularies' own:
:mod:`kgservice.terms.lang`.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import Flask, current_app, request

from kgservice.terms.lang import FALLBACK_LANG, LANGUAGES

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}

# UI strings: key → {lang: text}. Missing translations fall back to Finnish.
STRINGS: dict[str, dict[str, str]] = {
    "site_name": {
        "fi": "Rakenteellisen sosiaalityön tietopalvelu",
        "sv": "Informationstjänst för strukturellt socialt arbete",
        "en": "Structural social work knowledge service",
    },
    "nav_vocabularies": {"fi": "Sanastot", "sv": "Vokabulärer", "en": "Vocabularies"},
    "nav_search": {"fi": "Haku", "sv": "Sök", "en": "Search"},
    "nav_sparql": {"fi": "SPARQL", "sv": "SPARQL", "en": "SPARQL"},
    "nav_views": {"fi": "Näkymät", "sv": "Vyer", "en": "Views"},
    "language": {"fi": "Kieli", "sv": "Språk", "en": "Language"},
    "skip_to_content": {
        "fi": "Siirry sisältöön",
        "sv": "Hoppa till innehållet",
        "en": "Skip to content",
    },
    "main_navigation": {"fi": "Päävalikko", "sv": "Huvudmeny", "en": "Main navigation"},
    "vocabularies": {"fi": "Sanastot", "sv": "Vokabulärer", "en": "Vocabularies"},
    "vocabulary": {"fi": "Sanasto", "sv": "Vokabulär", "en": "Vocabulary"},
    "concepts": {"fi": "käsitettä", "sv": "begrepp", "en": "concepts"},
    "count": {"fi": "Käsitteitä", "sv": "Begrepp", "en": "Concepts"},
    "top_concepts": {"fi": "Yläkäsitteet", "sv": "Toppbegrepp", "en": "Top concepts"},
    "hierarchy": {"fi": "Hierarkia", "sv": "Hierarki", "en": "Hierarchy"},
    "alphabetical": {
        "fi": "Aakkosellinen hakemisto",
        "sv": "Alfabetiskt register",
        "en": "Alphabetical index",
    },
    "search": {"fi": "Hae", "sv": "Sök", "en": "Search"},
    "search_label": {"fi": "Hae käsitettä", "sv": "Sök begrepp", "en": "Search concepts"},
    "search_results": {"fi": "Hakutulokset", "sv": "Sökresultat", "en": "Search results"},
    "no_results": {"fi": "Ei tuloksia.", "sv": "Inga resultat.", "en": "No results."},
    "all_vocabularies": {
        "fi": "Kaikki sanastot",
        "sv": "Alla vokabulärer",
        "en": "All vocabularies",
    },
    "all_languages": {"fi": "Kaikki kielet", "sv": "Alla språk", "en": "All languages"},
    "pref_label": {"fi": "Suositettava termi", "sv": "Rekommenderad term", "en": "Preferred term"},
    "alt_label": {"fi": "Ohjaustermi", "sv": "Hänvisningsterm", "en": "Alternative term"},
    "hidden_label": {"fi": "Piilotermi", "sv": "Dold term", "en": "Hidden term"},
    "labels": {"fi": "Termit kielittäin", "sv": "Termer per språk", "en": "Labels by language"},
    "definition": {"fi": "Määritelmä", "sv": "Definition", "en": "Definition"},
    "notation": {"fi": "Koodi", "sv": "Kod", "en": "Notation"},
    "status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "type": {"fi": "Tyyppi", "sv": "Typ", "en": "Type"},
    "broader": {"fi": "Laajempi käsite", "sv": "Överordnat begrepp", "en": "Broader concept"},
    "narrower": {
        "fi": "Suppeammat käsitteet",
        "sv": "Underordnade begrepp",
        "en": "Narrower concepts",
    },
    "related": {"fi": "Rinnakkaiskäsitteet", "sv": "Relaterade begrepp", "en": "Related concepts"},
    "in_schemes": {"fi": "Sanastot", "sv": "Vokabulärer", "en": "In schemes"},
    "mappings": {"fi": "Vastaavuudet", "sv": "Mappningar", "en": "Mappings"},
    "used_in": {"fi": "Käytössä", "sv": "Används i", "en": "Where it is used"},
    "uses": {"fi": "Viittaa", "sv": "Hänvisar till", "en": "Refers to"},
    "properties": {"fi": "Muut tiedot", "sv": "Övriga uppgifter", "en": "Other properties"},
    "change_history": {"fi": "Muutoshistoria", "sv": "Ändringshistorik", "en": "Change history"},
    "change_kind": {"fi": "Muutos", "sv": "Ändring", "en": "Change"},
    "change_text": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
    "download": {"fi": "Lataa", "sv": "Ladda ner", "en": "Download"},
    "uri": {"fi": "URI", "sv": "URI", "en": "URI"},
    "deprecated_banner": {
        "fi": "Tämä käsite on poistettu käytöstä.",
        "sv": "Det här begreppet används inte längre.",
        "en": "This concept is deprecated.",
    },
    "replaced_by": {"fi": "Korvaava käsite", "sv": "Ersätts av", "en": "Replaced by"},
    "fallback_note": {
        "fi": "suomenkielinen nimi, koska valitulla kielellä ei ole nimeä",
        "sv": "finskt namn, eftersom det saknas på valt språk",
        "en": "Finnish label, no label in the chosen language",
    },
    "not_found_title": {"fi": "Ei löytynyt", "sv": "Hittades inte", "en": "Not found"},
    "not_found_text": {
        "fi": "Tätä tunnistetta ei löydy tietovarannosta.",
        "sv": "Identifieraren finns inte i datalagret.",
        "en": "This identifier is not in the knowledge graph.",
    },
    "not_found_help": {
        "fi": "Kokeile hakua tai selaa sanastoja.",
        "sv": "Försök söka eller bläddra bland vokabulärerna.",
        "en": "Try the search or browse the vocabularies.",
    },
    "store_missing_title": {
        "fi": "Tietovarantoa ei ole vielä rakennettu",
        "sv": "Datalagret har inte byggts ännu",
        "en": "The store has not been built yet",
    },
    "store_missing_detail": {
        "fi": "Tietovarantoa ei ole vielä rakennettu; aja `make serve` tai `kgservice build`.",
        "sv": "Datalagret har inte byggts ännu; kör `make serve` eller `kgservice build`.",
        "en": "The store has not been built yet; run `make serve` or `kgservice build`.",
    },
    "store_unreadable_title": {
        "fi": "Tietovarantoa ei voi avata",
        "sv": "Datalagret kan inte öppnas",
        "en": "The store cannot be opened",
    },
    "store_unreadable_detail": {
        "fi": "Tietovarantoa ei voi avata; rakenna se uudelleen: `kgservice build`.",
        "sv": "Datalagret kan inte öppnas; bygg det på nytt: `kgservice build`.",
        "en": "The store cannot be opened; build it again with `kgservice build`.",
    },
    "store_retry": {
        "fi": "Palvelu vastaa, kun rakentaminen on valmis (noin minuutin kuluttua).",
        "sv": "Tjänsten svarar när bygget är klart (om ungefär en minut).",
        "en": "The service answers once the build has finished (in about a minute).",
    },
    "entries": {"fi": "Tietosisältö", "sv": "Datainnehåll", "en": "Data entries"},
    "entry_order": {"fi": "Nro", "sv": "Nr", "en": "No."},
    "entry_name": {"fi": "Nimi", "sv": "Namn", "en": "Name"},
    "entry_type": {
        "fi": "Tietotyyppi tai tietokokonaisuus",
        "sv": "Datatyp eller komponent",
        "en": "Data type or component",
    },
    "entry_obligation": {"fi": "Pakollisuus", "sv": "Obligatorisk", "en": "Obligation"},
    "entry_repeat": {"fi": "Toistuvuus", "sv": "Upprepning", "en": "Repetition"},
    "repeatable": {"fi": "TOISTUVA", "sv": "UPPREPAS", "en": "REPEATABLE"},
    "partial_listing": {
        "fi": "Luettelo on osittainen.",
        "sv": "Förteckningen är ofullständig.",
        "en": "The listing is partial.",
    },
    "ontology_model": {"fi": "OWL-tietomalli", "sv": "OWL-datamodell", "en": "OWL model"},
    "expand": {"fi": "Avaa", "sv": "Öppna", "en": "Expand"},
    "version_date": {"fi": "Versio", "sv": "Version", "en": "Version"},
    "oid": {"fi": "OID", "sv": "OID", "en": "OID"},
    # -- error pages (kgservice/web/errors.py); {param}, {minimum}, … are filled in there
    "err_title_400": {"fi": "Virheellinen pyyntö", "sv": "Felaktig begäran", "en": "Bad request"},
    "err_title_404": {"fi": "Ei löytynyt", "sv": "Hittades inte", "en": "Not found"},
    "err_title_405": {
        "fi": "Pyyntötapa ei ole sallittu",
        "sv": "Metoden är inte tillåten",
        "en": "Method not allowed",
    },
    "err_title_406": {
        "fi": "Pyydettyä muotoa ei ole",
        "sv": "Formatet finns inte",
        "en": "Format not available",
    },
    "err_title_414": {
        "fi": "Osoite on liian pitkä",
        "sv": "Adressen är för lång",
        "en": "Address too long",
    },
    "err_title_other": {"fi": "Virhe", "sv": "Fel", "en": "Error"},
    "err_choice": {
        "fi": "Parametrin {param} arvo ei kelpaa. Valitse jokin näistä:",
        "sv": "Värdet på parametern {param} duger inte. Välj ett av dessa:",
        "en": "The value of parameter {param} is not valid. Choose one of these:",
    },
    "err_choose": {
        "fi": "Valitse jokin näistä:",
        "sv": "Välj ett av dessa:",
        "en": "Choose one of these:",
    },
    "err_required": {
        "fi": "Parametri {param} puuttuu.",
        "sv": "Parametern {param} saknas.",
        "en": "Parameter {param} is missing.",
    },
    "err_integer": {
        "fi": "Parametrin {param} pitää olla kokonaisluku väliltä {minimum}–{maximum}.",
        "sv": "Parametern {param} ska vara ett heltal mellan {minimum} och {maximum}.",
        "en": "Parameter {param} must be a whole number from {minimum} to {maximum}.",
    },
    "err_range": {
        "fi": "Parametrin {param} arvo ei ole sallitulla välillä {minimum}–{maximum}.",
        "sv": "Värdet på parametern {param} ligger inte mellan {minimum} och {maximum}.",
        "en": "The value of parameter {param} is not between {minimum} and {maximum}.",
    },
    "err_length": {
        "fi": "Parametri {param} on liian pitkä: enintään {max_length} merkkiä.",
        "sv": "Parametern {param} är för lång: högst {max_length} tecken.",
        "en": "Parameter {param} is too long: at most {max_length} characters.",
    },
    "err_query_length": {
        "fi": "Osoitteen kyselyosa on liian pitkä: enintään {max_length} tavua.",
        "sv": "Adressens frågedel är för lång: högst {max_length} byte.",
        "en": "The query part of the address is too long: at most {max_length} bytes.",
    },
    "err_syntax": {
        "fi": "Parametrin {param} muoto ei kelpaa.",
        "sv": "Parametern {param} har fel form.",
        "en": "Parameter {param} is not in a valid form.",
    },
    "err_iri": {
        "fi": "Parametrin {param} pitää olla kokonainen IRI-osoite, esimerkiksi https://…",
        "sv": "Parametern {param} ska vara en fullständig IRI, till exempel https://…",
        "en": "Parameter {param} must be a full IRI, for example https://…",
    },
    "err_generic_400": {
        "fi": "Pyynnössä on virhe.",
        "sv": "Begäran innehåller ett fel.",
        "en": "The request has an error.",
    },
    "err_404": {
        "fi": "Pyydettyä sivua tai tietoa ei ole.",
        "sv": "Den begärda sidan eller uppgiften finns inte.",
        "en": "The page or data you asked for does not exist.",
    },
    "err_405": {
        "fi": "Tämä osoite ei ota vastaan {method}-pyyntöä. Sallitut pyyntötavat:",
        "sv": "Den här adressen tar inte emot en {method}-begäran. Tillåtna metoder:",
        "en": "This address does not accept a {method} request. Allowed methods:",
    },
    "err_406": {
        "fi": "Pyydettyä muotoa ei voi tuottaa. Saatavilla olevat muodot:",
        "sv": "Det begärda formatet kan inte levereras. Tillgängliga format:",
        "en": "The requested format cannot be produced. Available formats:",
    },
    "err_server": {
        "fi": "Palvelussa tapahtui virhe. Yritä myöhemmin uudelleen.",
        "sv": "Ett fel inträffade i tjänsten. Försök igen senare.",
        "en": "The service ran into an error. Please try again later.",
    },
    "err_value": {"fi": "Annettu arvo", "sv": "Angivet värde", "en": "Value given"},
    "err_examples": {"fi": "Esimerkkejä", "sv": "Exempel", "en": "Examples"},
    "err_status": {"fi": "Virhekoodi", "sv": "Felkod", "en": "Error code"},
    "err_rule": {"fi": "sääntö", "sv": "regel", "en": "rule"},
    "err_back": {"fi": "Etusivulle", "sv": "Till startsidan", "en": "To the front page"},
}


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


def translate(key: str, lang: str) -> str:
    texts = STRINGS.get(key)
    if texts is None:
        return key
    return texts.get(lang) or texts[FALLBACK_LANG]


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
