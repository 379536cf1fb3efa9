"""Every text the service shows a reader, in Finnish, Swedish and English: one table, one lookup.

:data:`STRINGS` maps a key to its text per language: the pages' words (navigation, term pages,
error pages), the indicator views' words, and the indicator domain's labels that the pages and
the Excel and CSV files share (``status.<code>``, ``origin.<code>``, ``level.<slug>``,
``column.<name>``, ``view.<id>``, ``suppression_rule``). :func:`translate` looks a key up;
:data:`TERM_LABELS` labels standard vocabulary terms that vocabularies use but do not label.

It sits below every other layer (the indicators and the web both read it; it imports nothing of
theirs). A test fails on a key missing in any of :data:`LANGUAGES`.
"""

from __future__ import annotations

from kgservice.namespaces import DCT, OWL, RDFS, SKOS

LANGUAGES: tuple[str, ...] = ("fi", "sv", "en")
FALLBACK_LANG = "fi"

LANGUAGE_NAMES = {"fi": "suomi", "sv": "svenska", "en": "English"}

STRINGS: dict[str, dict[str, str]] = {
    # -- pages: navigation, term browser, store state
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
    # search results (issue 16): hit count and facets
    "search_hits": {"fi": "Osumia", "sv": "Träffar", "en": "Hits"},
    "more_than": {"fi": "yli", "sv": "över", "en": "more than"},
    "search_facets": {"fi": "Rajaa hakua", "sv": "Avgränsa sökningen", "en": "Refine the search"},
    "facet_type": {"fi": "Tyyppi", "sv": "Typ", "en": "Type"},
    "facet_status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "facet_all": {"fi": "Kaikki", "sv": "Alla", "en": "All"},
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
    # issue 16: concept pages for people
    "show_figures": {"fi": "Näytä luvut", "sv": "Visa siffrorna", "en": "Show the figures"},
    "technical_details": {
        "fi": "Tekniset tiedot",
        "sv": "Teknisk information",
        "en": "Technical details",
    },
    "copy_uri": {"fi": "Kopioi URI", "sv": "Kopiera URI", "en": "Copy URI"},
    "copied": {"fi": "Kopioitu", "sv": "Kopierad", "en": "Copied"},
    "deprecated_banner": {
        "fi": "Tämä käsite on poistettu käytöstä.",
        "sv": "Det här begreppet används inte längre.",
        "en": "This concept is deprecated.",
    },
    "replaced_by": {"fi": "Korvaava käsite", "sv": "Ersätts av", "en": "Replaced by"},
    "fallback_note": {
        "fi": "valitulla kielellä ei ole tekstiä; näytetään ensimmäinen kielistä suomi, "
        "kielimerkinnätön, englanti, ruotsi",
        "sv": "text saknas på valt språk; det första av finska, utan språkkod, engelska, "
        "svenska visas",
        "en": "no text in the chosen language; the first of Finnish, untagged, English, "
        "Swedish is shown",
    },
    "in_lang.fi": {"fi": "suomeksi", "sv": "på finska", "en": "in Finnish"},
    "in_lang.sv": {"fi": "ruotsiksi", "sv": "på svenska", "en": "in Swedish"},
    "in_lang.en": {"fi": "englanniksi", "sv": "på engelska", "en": "in English"},
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
    # -- indicator views (kgservice/web/views.py and templates/views/)
    "views": {"fi": "Näkymät", "sv": "Vyer", "en": "Views"},
    "intro": {
        "fi": "Ilmiöpohjaiset näkymät avoimesta datasta. Puuttuva tai salattu luku näytetään "
        "sellaisena, ei koskaan nollana.",
        "sv": "Fenomenbaserade vyer av öppna data. En saknad eller skyddad siffra visas som "
        "sådan, aldrig som noll.",
        "en": "Phenomenon-based views of open data. A missing or suppressed figure is shown as "
        "such, never as zero.",
    },
    "area": {"fi": "Alue", "sv": "Område", "en": "Area"},
    "year": {"fi": "Vuosi", "sv": "År", "en": "Year"},
    "latest": {"fi": "uusin", "sv": "senaste", "en": "latest"},
    "level": {"fi": "Aluetaso", "sv": "Regional nivå", "en": "Level"},
    "phenomenon": {"fi": "Ilmiö", "sv": "Fenomen", "en": "Phenomenon"},
    "indicator": {"fi": "Indikaattori", "sv": "Indikator", "en": "Indicator"},
    "show": {"fi": "Näytä", "sv": "Visa", "en": "Show"},
    "download_as": {"fi": "Lataa", "sv": "Ladda ned", "en": "Download"},
    "period": {"fi": "Ajankohta", "sv": "Tidpunkt", "en": "Period"},
    "value": {"fi": "Arvo", "sv": "Värde", "en": "Value"},
    "origin": {"fi": "Julkaistu / laskettu", "sv": "Publicerad / beräknad", "en": "Origin"},
    "national": {"fi": "Koko Suomi", "sv": "Hela Finland", "en": "Whole country"},
    "change": {"fi": "Muutos", "sv": "Förändring", "en": "Change"},
    "rank": {"fi": "Sija", "sv": "Rang", "en": "Rank"},
    "note": {"fi": "Huomautus", "sv": "Anmärkning", "en": "Note"},
    "map": {"fi": "Kartta", "sv": "Karta", "en": "Map"},
    "map_table": {
        "fi": "Kartan tiedot taulukkona",
        "sv": "Kartans uppgifter som tabell",
        "en": "The map as a table",
    },
    "trend": {"fi": "Kehitys", "sv": "Utveckling", "en": "Trend"},
    "trend_table": {
        "fi": "Kehitys taulukkona",
        "sv": "Utvecklingen som tabell",
        "en": "The trend as a table",
    },
    "mixed_periods": {
        "fi": "Luvut ovat eri ajankohdilta ({periods}). Kunkin luvun ajankohta on sen rivillä: "
        "ilman valittua vuotta näytetään jokaisen indikaattorin ja alueen uusin luku, joka on "
        "olemassa (myös salattu).",
        "sv": "Siffrorna gäller olika tidpunkter ({periods}). Varje siffras tidpunkt står på dess "
        "rad: utan valt år visas den senaste siffran som finns för varje indikator och område "
        "(även en skyddad).",
        "en": "The figures are from different periods ({periods}). Each figure's period is on "
        "its row: without a chosen year, every indicator and area shows its latest figure that "
        "exists (a suppressed one too).",
    },
    "missing_data": {"fi": "Tieto puuttuu", "sv": "Uppgifter saknas", "en": "Data missing"},
    "suppression": {"fi": "Salaussääntö", "sv": "Skyddsregel", "en": "Suppression rule"},
    "drill": {"fi": "Tarkenna", "sv": "Fördjupa", "en": "Drill down"},
    # -- the drill-down chain, breadcrumbs and phenomenon in brief (issue 13, drill piece:
    #    kgservice/indicators/drill.py, brief.py, templates/views/_layout.html, index.html)
    "breadcrumb": {"fi": "Murupolku", "sv": "Brödsmulor", "en": "Breadcrumb"},
    "start.area": {"fi": "Valitse alue", "sv": "Välj område", "en": "Choose the area"},
    "start.situation": {
        "fi": "Näytä alueen tilannekuva",
        "sv": "Visa områdets lägesbild",
        "en": "Show the area's situation picture",
    },
    "drill.show.municipality": {
        "fi": "Näytä kunnat: {area}",
        "sv": "Visa kommunerna: {area}",
        "en": "Show the municipalities: {area}",
    },
    "drill.show.wellbeing-county": {
        "fi": "Näytä hyvinvointialueet: {area}",
        "sv": "Visa välfärdsområdena: {area}",
        "en": "Show the wellbeing services counties: {area}",
    },
    "drill.show.country": {
        "fi": "Näytä kaikki hyvinvointialueet",
        "sv": "Visa alla välfärdsområden",
        "en": "Show all wellbeing services counties",
    },
    "crumb.level.municipality": {"fi": "kunnat", "sv": "kommuner", "en": "municipalities"},
    "crumb.level.wellbeing-county": {
        "fi": "hyvinvointialueet",
        "sv": "välfärdsområden",
        "en": "wellbeing services counties",
    },
    "crumb.level.cooperation-area": {
        "fi": "yhteistyöalueet",
        "sv": "samarbetsområden",
        "en": "cooperation areas",
    },
    "crumb.level.country": {"fi": "koko Suomi", "sv": "hela Finland", "en": "whole country"},
    "legend": {"fi": "Selite", "sv": "Teckenförklaring", "en": "Legend"},
    "legend.selected": {"fi": "Valittu alue", "sv": "Valt område", "en": "Selected area"},
    "legend.reference": {
        "fi": "Vertailu (katkoviiva)",
        "sv": "Jämförelse (streckad linje)",
        "en": "Reference (dashed line)",
    },
    "legend.other": {
        "fi": "Muut alueet (harmaa)",
        "sv": "Övriga områden (grå)",
        "en": "Other areas (grey)",
    },
    "legend.others": {"fi": "muut alueet", "sv": "övriga områden", "en": "other areas"},
    # -- the situation picture as a dashboard (issue 13, situation piece: indicators/dashboard.py)
    "dash.reference": {"fi": "Vertailutaso", "sv": "Referensnivå", "en": "Reference level"},
    "dash.index_reference": {
        "fi": "{value} (saman aluetason mediaanialue)",
        "sv": "{value} (medianområdet på samma nivå)",
        "en": "{value} (the median area of the level)",
    },
    "dash.difference": {
        "fi": "Ero koko maahan",
        "sv": "Skillnad mot hela landet",
        "en": "Difference to the whole country",
    },
    "dash.difference_index": {
        "fi": "Ero vertailutasoon",
        "sv": "Skillnad mot referensnivån",
        "en": "Difference to the reference level",
    },
    "dash.percentage_points": {"fi": "%-yks.", "sv": "procentenheter", "en": "percentage points"},
    "dash.index_points": {"fi": "indeksipistettä", "sv": "indexpoäng", "en": "index points"},
    "dash.count_not_compared": {
        "fi": "lukumäärää ei verrata koko maan lukumäärään",
        "sv": "ett antal jämförs inte med hela landets antal",
        "en": "a count is not compared with the national count",
    },
    "dash.no_previous": {
        "fi": "ei aiempaa ajankohtaa",
        "sv": "ingen tidigare tidpunkt",
        "en": "no earlier period",
    },
    "dash.not_ranked": {
        "fi": "ei vertailtavissa muihin alueisiin",
        "sv": "jämförs inte med andra områden",
        "en": "not ranked with the other areas",
    },
    "dash.rank_highest": {
        "fi": "{ordinal} suurin {n} {areas}",
        "sv": "{ordinal} högsta av {n} {areas}",
        "en": "{ordinal} highest of {n} {areas}",
    },
    "dash.rank_lowest": {
        "fi": "{ordinal} pienin {n} {areas}",
        "sv": "{ordinal} lägsta av {n} {areas}",
        "en": "{ordinal} lowest of {n} {areas}",
    },
    "dash.rank_areas.municipality": {"fi": "kunnasta", "sv": "kommuner", "en": "municipalities"},
    "dash.rank_areas.wellbeing-county": {
        "fi": "hyvinvointialueesta",
        "sv": "välfärdsområden",
        "en": "wellbeing services counties",
    },
    "dash.rank_areas.cooperation-area": {
        "fi": "yhteistyöalueesta",
        "sv": "samarbetsområden",
        "en": "cooperation areas",
    },
    "dash.rank_tied": {"fi": "jaettu sija", "sv": "delad plats", "en": "tied"},
    "dash.rank_with_figure": {
        "fi": "luku on {n} alueella",
        "sv": "{n} områden har en siffra",
        "en": "{n} with a figure",
    },
    "dash.polarity.HigherIsWorse": {
        "fi": "suuri luku on epäsuotuisa",
        "sv": "ett högt värde är ogynnsamt",
        "en": "a high figure is unfavourable",
    },
    "dash.polarity.HigherIsBetter": {
        "fi": "suuri luku on suotuisa",
        "sv": "ett högt värde är gynnsamt",
        "en": "a high figure is favourable",
    },
    "dash.sparkline_title": {
        "fi": "{indicator}: {area} (yhtenäinen viiva) ja {country} (katkoviiva)",
        "sv": "{indicator}: {area} (heldragen linje) och {country} (streckad linje)",
        "en": "{indicator}: {area} (solid line) and {country} (dashed line)",
    },
    "dash.sparkline_title_index": {
        "fi": "{indicator}: {area} (yhtenäinen viiva) ja vertailutaso 100 (pisteviiva)",
        "sv": "{indicator}: {area} (heldragen linje) och referensnivån 100 (prickad linje)",
        "en": "{indicator}: {area} (solid line) and the reference level 100 (dotted line)",
    },
    "dash.sparkline_title.bars": {
        "fi": "{indicator}: {area} (täytetty palkki) ja {country} (katkoviivareunainen palkki)",
        "sv": "{indicator}: {area} (fylld stapel) och {country} (stapel med streckad kant)",
        "en": "{indicator}: {area} (filled bar) and {country} (bar with a dashed edge)",
    },
    "dash.sparkline_title_index.bars": {
        "fi": "{indicator}: {area} (palkki) ja vertailutaso 100 (pisteviiva)",
        "sv": "{indicator}: {area} (stapel) och referensnivån 100 (prickad linje)",
        "en": "{indicator}: {area} (bar) and the reference level 100 (dotted line)",
    },
    "dash.sparkline_title_alone": {
        "fi": "{indicator}: {area}",
        "sv": "{indicator}: {area}",
        "en": "{indicator}: {area}",
    },
    "dash.period_differs": {
        "fi": "eri ajankohta",
        "sv": "annan tidpunkt",
        "en": "different period",
    },
    "dash.main_period": {
        "fi": "Useimmat luvut ovat ajankohdalta {period}; muilta ajankohdilta olevat on merkitty.",
        "sv": "De flesta siffrorna gäller {period}; siffror från andra tidpunkter är märkta.",
        "en": "Most figures are from {period}; figures from other periods are marked.",
    },
    "dash.to_brief": {
        "fi": "Ilmiöstä tiiviisti: {phenomenon}",
        "sv": "Fenomenet i korthet: {phenomenon}",
        "en": "Phenomenon in brief: {phenomenon}",
    },
    "dash.table": {
        "fi": "Kaikki luvut taulukkona",
        "sv": "Alla siffror som tabell",
        "en": "All figures as a table",
    },
    "dash.no_indicators": {
        "fi": "Tilannekuvassa ei ole tämän ilmiön indikaattoreita.",
        "sv": "Lägesbilden har inga indikatorer för detta fenomen.",
        "en": "The situation picture has no indicators of this phenomenon.",
    },
    # -- the Sotkanet catalogue in the phenomenon view (issue 14)
    "available.heading": {
        "fi": "Lisää indikaattoreita saatavilla Sotkanetista",
        "sv": "Fler indikatorer tillgängliga i Sotkanet",
        "en": "More indicators available from Sotkanet",
    },
    "available.intro": {
        "fi": "Nämä indikaattorit ovat saatavilla Sotkanetista (THL), mutta niiden lukuja ei ole "
        "palvelun aineistossa. Palvelu voi hakea ne Sotkanetista.",
        "sv": "Dessa indikatorer finns i Sotkanet (THL), men deras siffror finns inte i tjänstens "
        "data. Tjänsten kan hämta dem från Sotkanet.",
        "en": "These indicators are available from Sotkanet (THL), but their figures are not in "
        "the service's data. The service can fetch them from Sotkanet.",
    },
    # issue 14: where the catalogue indicators' definitions are (none is bundled)
    "available.definitions": {
        "fi": "Määritelmät: THL julkaisee kunkin indikaattorin kuvauksen, tulkinnan ja "
        "rajoitukset Sotkanetissa (sotkanet.fi) suomeksi, ruotsiksi ja englanniksi; haku "
        "tapahtuu alla näkyvällä Sotkanet-numerolla.",
        "sv": "Definitioner: THL publicerar varje indikators beskrivning, tolkning och "
        "begränsningar i Sotkanet (sotkanet.fi) på finska, svenska och engelska; sök med "
        "Sotkanet-numret nedan.",
        "en": "Definitions: THL publishes each indicator's description, interpretation and "
        "limitations in Sotkanet (sotkanet.fi) in Finnish, Swedish and English; look it up by "
        "the Sotkanet number below.",
    },
    # -- the indicator domain: views, codes of the coded columns, column headings, the rule;
    #    shared by the pages, the JSON and the Excel/CSV files (kgservice/indicators/)
    "view.situation-picture": {"fi": "Tilannekuva", "sv": "Lägesbild", "en": "Situation picture"},
    "view.phenomenon-in-brief": {
        "fi": "Ilmiöstä tiiviisti",
        "sv": "Fenomenet i korthet",
        "en": "Phenomenon in brief",
    },
    "view.phenomenon-view": {"fi": "Ilmiönäkymä", "sv": "Fenomenvy", "en": "Phenomenon view"},
    "status.ok": {"fi": "ok", "sv": "ok", "en": "ok"},
    "status.missing": {"fi": "tieto puuttuu", "sv": "uppgift saknas", "en": "missing"},
    "status.suppressed": {"fi": "salattu", "sv": "skyddad", "en": "suppressed"},
    "status.provisional": {"fi": "ennakkotieto", "sv": "preliminär", "en": "provisional"},
    "origin.published": {"fi": "julkaistu", "sv": "publicerad", "en": "published"},
    "origin.computed": {"fi": "laskettu", "sv": "beräknad", "en": "computed"},
    "origin.none": {"fi": "–", "sv": "–", "en": "–"},
    "level.municipality": {"fi": "kunta", "sv": "kommun", "en": "municipality"},
    "level.wellbeing-county": {
        "fi": "hyvinvointialue",
        "sv": "välfärdsområde",
        "en": "wellbeing services county",
    },
    "level.cooperation-area": {
        "fi": "yhteistyöalue",
        "sv": "samarbetsområde",
        "en": "cooperation area",
    },
    "level.country": {"fi": "koko Suomi", "sv": "hela Finland", "en": "whole country"},
    "column.phenomenon": {"fi": "Ilmiö", "sv": "Fenomen", "en": "Phenomenon"},
    "column.indicator": {"fi": "Indikaattorin tunnus", "sv": "Indikatorns kod", "en": "Indicator"},
    "column.indicator_label": {"fi": "Indikaattori", "sv": "Indikator", "en": "Indicator label"},
    "column.area_code": {"fi": "Aluekoodi", "sv": "Områdeskod", "en": "Area code"},
    "column.area_name": {"fi": "Alue", "sv": "Område", "en": "Area name"},
    "column.level": {"fi": "Aluetaso", "sv": "Regional nivå", "en": "Level"},
    "column.period": {"fi": "Ajankohta", "sv": "Tidpunkt", "en": "Period"},
    "column.value": {"fi": "Arvo", "sv": "Värde", "en": "Value"},
    "column.unit": {"fi": "Yksikkö", "sv": "Enhet", "en": "Unit"},
    "column.status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "column.origin": {"fi": "Julkaistu / laskettu", "sv": "Publicerad / beräknad", "en": "Origin"},
    "column.national_value": {"fi": "Koko Suomi", "sv": "Hela Finland", "en": "National value"},
    "column.change": {
        "fi": "Muutos edellisestä",
        "sv": "Förändring från föregående",
        "en": "Change",
    },
    "column.previous_period": {
        "fi": "Edellinen ajankohta",
        "sv": "Föregående tidpunkt",
        "en": "Previous period",
    },
    "column.rank": {"fi": "Sija", "sv": "Rang", "en": "Rank"},
    "column.rank_of": {"fi": "Alueita", "sv": "Områden", "en": "Rank of"},
    "column.numerator": {"fi": "Osoittaja", "sv": "Täljare", "en": "Numerator"},
    "column.denominator": {"fi": "Nimittäjä", "sv": "Nämnare", "en": "Denominator"},
    "column.is_index": {"fi": "Indeksi", "sv": "Index", "en": "Is index"},
    "column.note": {"fi": "Huomautus", "sv": "Anmärkning", "en": "Note"},
    "note.no_figure": {
        "fi": "lähteessä ei ole lukua tällä aluetasolla",
        "sv": "källan har ingen siffra på den här nivån",
        "en": "no figure at this level in the source",
    },
    "note.no_figure_for_year": {
        "fi": "lähteessä ei ole vuoden {year} lukua tällä aluetasolla",
        "sv": "källan har ingen siffra för {year} på den här nivån",
        "en": "no figure for {year} at this level in the source",
    },
    "note.suppressed": {
        "fi": "salattu ({reason})",
        "sv": "skyddad ({reason})",
        "en": "suppressed ({reason})",
    },
    "suppression.source": {
        "fi": "lähde on salannut luvun",
        "sv": "källan har skyddat siffran",
        "en": "suppressed by the source",
    },
    "suppression.small-count": {
        "fi": "1–4 henkilöä",
        "sv": "1–4 personer",
        "en": "1–4 persons",
    },
    "suppression.complementary": {
        "fi": "vastinsalaus: muuten salattu luku voitaisiin laskea",
        "sv": "komplementär skyddning: annars kunde en skyddad siffra räknas ut",
        "en": "complementary: otherwise a hidden figure could be worked out",
    },
    "suppression_rule": {
        "fi": "Alle viiden henkilön lukumäärät (1–4) ja niistä lasketut osuudet on salattu. Jos "
        "ryhmässä (saman ylemmän alueen alueet samana vuonna) on vain yksi salattu solu ja "
        "ryhmän summa näytetään, myös seuraavaksi pienin solu salataan, jottei salattua lukua "
        "voi laskea summasta vähentämällä (komplementaarinen salaus). Lähteen omat salaukset "
        "(Tilastokeskuksen '...') säilytetään.",
        "sv": "Antal på 1–4 personer och andelar som beräknats av dem är skyddade. Om bara en "
        "cell i en grupp (områdena inom samma överordnade område under samma period) är skyddad "
        "medan gruppens summa visas, skyddas också den näst minsta cellen, så att ingen skyddad "
        "siffra kan räknas fram genom att dra av från summan (komplementär skyddsåtgärd). "
        "Källans egna skyddade uppgifter (Statistikcentralens '...') behålls.",
        "en": "Counts of 1–4 people and rates computed from them are suppressed. If exactly one "
        "cell of a group (the areas inside one higher-level area in one period) is suppressed "
        "while the group total is shown, the next-smallest cell is suppressed too, so that no "
        "suppressed figure can be recovered by subtracting from the total (complementary "
        "suppression). The source's own suppressions (Statistics Finland's '...') are kept.",
    },
    # -- one language per page and per file (issue 13): the files' sheets, metadata labels and
    #    words for codes; the notes of missing figures (kgservice/indicators/views.py, export.py)
    "note.not_in_service": {
        "fi": "palvelun aineistossa ei ole lukua",
        "sv": "tjänstens data har ingen siffra",
        "en": "no figure in the service's data",
    },
    "note.gap.no_numerator": {
        "fi": "lähde ei anna tälle alueelle osoittajaa",
        "sv": "källan anger ingen täljare för det här området",
        "en": "the source does not give the numerator for this area",
    },
    # s6-gaps: a rate whose population figure is missing (coded gap, not an English note)
    "note.gap.no_population": {
        "fi": "alueelle ja jaksolle ei ole väestölukua",
        "sv": "det finns ingen befolkningssiffra för området och perioden",
        "en": "no population figure for this area and period",
    },
    "note.gap.values": {
        "fi": "luku on {with} alueella {of} alueesta (taso: {level})",
        "sv": "{with} av {of} områden på nivån {level} har en siffra",
        "en": "{with} of {of} areas at level {level} have a value",
    },
    "note.gap.numerators": {
        "fi": "osoittaja on {with} alueella {of} alueesta (taso: {level})",
        "sv": "{with} av {of} områden på nivån {level} har en täljare",
        "en": "{with} of {of} areas at level {level} have a numerator",
    },
    "yes": {"fi": "kyllä", "sv": "ja", "en": "yes"},
    "no": {"fi": "ei", "sv": "nej", "en": "no"},
    "sheet.data": {"fi": "tiedot", "sv": "data", "en": "data"},
    "sheet.trend": {"fi": "kehitys", "sv": "utveckling", "en": "trend"},
    "sheet.metadata": {"fi": "metatiedot", "sv": "metadata", "en": "metadata"},
    "file.subject": {
        "fi": "Rakenteellisen sosiaalityön ilmiöpohjaiset indikaattorit",
        "sv": "Fenomenbaserade indikatorer för strukturellt socialt arbete",
        "en": "Phenomenon-based indicators of structural social work",
    },
    "file.keywords": {
        "fi": "rakenteellinen sosiaalityö, indikaattorit, hyvinvointialueet",
        "sv": "strukturellt socialt arbete, indikatorer, välfärdsområden",
        "en": "structural social work, indicators, wellbeing services counties",
    },
    "file.language": {"fi": "Kieli: suomi", "sv": "Språk: svenska", "en": "Language: English"},
    "meta.title": {"fi": "Otsikko", "sv": "Rubrik", "en": "Title"},
    "meta.view": {"fi": "Näkymä", "sv": "Vy", "en": "View"},
    "meta.generated": {"fi": "Luotu", "sv": "Skapad", "en": "Generated"},
    "meta.data_version": {"fi": "Aineiston versio", "sv": "Dataversion", "en": "Data version"},
    "meta.data_modified": {
        "fi": "Aineisto päivitetty",
        "sv": "Data uppdaterade",
        "en": "Data updated",
    },
    "meta.data_sha256": {
        "fi": "Rivien tarkistussumma (SHA-256)",
        "sv": "Radernas kontrollsumma (SHA-256)",
        "en": "Checksum of the rows (SHA-256)",
    },
    "meta.rows": {"fi": "Rivejä", "sv": "Rader", "en": "Rows"},
    "meta.classification_year": {
        "fi": "Alueluokituksen vuosi",
        "sv": "Regionindelningens år",
        "en": "Year of the region classification",
    },
    "meta.citation": {"fi": "Lähdeviite", "sv": "Källhänvisning", "en": "Citation"},
    "meta.empty_cells": {
        "fi": "Tyhjät arvot",
        "sv": "Tomma värden",
        "en": "Empty values",
    },
    "meta.definition": {"fi": "Määritelmä", "sv": "Definition", "en": "Definition"},
    "meta.unit": {"fi": "Yksikkö", "sv": "Enhet", "en": "Unit"},
    "meta.rule": {"fi": "Koontisääntö", "sv": "Aggregeringsregel", "en": "Aggregation rule"},
    "meta.polarity": {"fi": "Suunta", "sv": "Riktning", "en": "Direction"},
    "meta.source": {"fi": "Lähde", "sv": "Källa", "en": "Source"},
    "meta.availability": {
        "fi": "Tiedon saatavuus",
        "sv": "Datatillgång",
        "en": "Data availability",
    },
    "meta.source_title": {"fi": "Aineisto", "sv": "Datamängd", "en": "Dataset"},
    "meta.publisher": {"fi": "Julkaisija", "sv": "Utgivare", "en": "Publisher"},
    "meta.licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "meta.retrieved": {"fi": "Haettu", "sv": "Hämtad", "en": "Retrieved"},
    "meta.source_year": {"fi": "Tilastovuosi", "sv": "Statistikår", "en": "Statistics year"},
    "rule.AggregateBySum": {
        "fi": "summa: ylemmän alueen luku on sen alueiden lukujen summa",
        "sv": "summa: det överordnade områdets siffra är summan av dess områdens siffror",
        "en": "sum: a higher area's figure is the sum of its areas' figures",
    },
    "rule.AggregateByRatioOfSums": {
        "fi": "suhdeluku summista: ylemmän alueen osuus lasketaan osoittajien ja nimittäjien "
        "summista, ei osuuksien keskiarvona",
        "sv": "kvot av summor: det överordnade områdets andel räknas ur summorna av täljare och "
        "nämnare, inte som ett medeltal av andelar",
        "en": "ratio of sums: a higher area's share is computed from the sums of numerators and "
        "denominators, never as an average of shares",
    },
    "rule.AggregateBySeparateSums": {
        "fi": "erillisten summien suhde: osoittaja ja nimittäjä haetaan kumpikin erikseen (alueen "
        "oma julkaistu luku tai täysin katettu summa alemmalta tasolta)",
        "sv": "kvot av separata summor: täljaren och nämnaren hämtas var för sig (områdets egen "
        "publicerade siffra eller en helt täckt summa från nivån under)",
        "en": "ratio of separate sums: numerator and denominator are each taken on their own (the "
        "area's own published figure or a fully covered sum from the level below)",
    },
    "rule.NotAggregable": {
        "fi": "ei koottavissa: kunkin aluetason luku on lähteen julkaisema",
        "sv": "kan inte aggregeras: varje regional nivå visar källans publicerade siffra",
        "en": "not aggregable: each regional level shows the source's published figure",
    },
    "polarity.HigherIsWorse": {
        "fi": "suurempi luku on huonompi",
        "sv": "en högre siffra är sämre",
        "en": "a higher figure is worse",
    },
    "polarity.HigherIsBetter": {
        "fi": "suurempi luku on parempi",
        "sv": "en högre siffra är bättre",
        "en": "a higher figure is better",
    },
    "polarity.NoPolarity": {
        "fi": "ei suuntaa",
        "sv": "ingen riktning",
        "en": "no direction",
    },
    "meta.empty_cells_text": {
        "fi": "Tyhjä arvosolu ei ole koskaan nolla: Tila-sarake kertoo, puuttuuko luku vai onko se "
        "salattu.",
        "sv": "En tom värdecell är aldrig noll: kolumnen Status säger om siffran saknas eller är "
        "skyddad.",
        "en": "An empty value cell is never zero: the Status column says whether the figure is "
        "missing or suppressed.",
    },
    # -- the phenomenon view and its client-data level (issue 13, phenomenon view):
    #    templates/views/phenomenon-view.html, kgservice/web/phenomenon_page.py
    "pv.choose_option": {"fi": "valitse alue", "sv": "välj område", "en": "choose an area"},
    "pv.all_areas": {
        "fi": "kaikki alueet (koko Suomi)",
        "sv": "alla områden (hela Finland)",
        "en": "all areas (whole country)",
    },
    "pv.choose_heading": {
        "fi": "Valitse hyvinvointialue",
        "sv": "Välj välfärdsområde",
        "en": "Choose a wellbeing services county",
    },
    "pv.choose_intro": {
        "fi": "Ilmiönäkymä näyttää yhden alueen kunnat. Valitse hyvinvointialue tai "
        "yhteistyöalue, niin näet sen kunnat, alueen oman luvun ja vertailun koko Suomeen.",
        "sv": "Fenomenvyn visar kommunerna i ett område. Välj ett välfärdsområde eller ett "
        "samarbetsområde för att se dess kommuner, områdets egen siffra och jämförelsen med "
        "hela Finland.",
        "en": "The phenomenon view shows the municipalities of one area. Choose a wellbeing "
        "services county or a cooperation area to see its municipalities, the area's own "
        "figure and the comparison with the whole country.",
    },
    "pv.show_all": {
        "fi": "Näytä kaikki Suomen kunnat",
        "sv": "Visa alla kommuner i Finland",
        "en": "Show every municipality of Finland",
    },
    "pv.total": {"fi": "alue yhteensä", "sv": "området totalt", "en": "area total"},
    "pv.missing_count": {
        "fi": "{n} alueella ei lukua",
        "sv": "{n} områden utan siffra",
        "en": "{n} areas without a figure",
    },
    "pv.chart_heading": {"fi": "Pylväskuvio", "sv": "Stapeldiagram", "en": "Bar chart"},
    "pv.chart_caption": {
        "fi": "{indicator}: alueet suurimmasta pienimpään; katkoviivat ovat selitteen nimeämät "
        "vertailuluvut. Alueet, joilla ei ole lukua, puuttuvat kuviosta.",
        "sv": "{indicator}: områdena från störst till minst; de streckade linjerna är de "
        "jämförelsetal som förklaringen nämner. Områden utan siffra saknas i diagrammet.",
        "en": "{indicator}: the areas from largest to smallest; the dashed lines are the "
        "reference figures the legend names. Areas without a figure are left out of the chart.",
    },
    "pv.index_reference": {
        "fi": "indeksin vertailutaso (mediaanialue)",
        "sv": "indexets jämförelsenivå (medianområdet)",
        "en": "the index's reference (median area)",
    },
    "pv.chart_caption_count": {
        "fi": "{indicator}: alueet suurimmasta pienimpään. Lukumäärä riippuu alueen koosta, joten "
        "sitä ei verrata alueen omaan eikä koko Suomen lukuun. Alueet, joilla ei ole lukua, "
        "puuttuvat kuviosta.",
        "sv": "{indicator}: områdena från störst till minst. Ett antal beror på områdets storlek, "
        "så det jämförs inte med områdets egen siffra eller hela Finlands. Områden utan siffra "
        "saknas i diagrammet.",
        "en": "{indicator}: the areas from largest to smallest. A count depends on the area's "
        "size, so it is not compared with the area's own or the whole country's count. Areas "
        "without a figure are left out of the chart.",
    },
    "pv.chart_table": {
        "fi": "Pylväskuvion tiedot taulukkona",
        "sv": "Stapeldiagrammets uppgifter som tabell",
        "en": "The bar chart as a table",
    },
    "pv.client_heading": {
        "fi": "Asiakastietojen taso",
        "sv": "Klientuppgifternas nivå",
        "en": "Client-data level",
    },
    "pv.client_intro": {
        "fi": "Hyvinvointialueen omista asiakasasiakirjoista lasketut luvut vuosittain. "
        "Asiakirjat on pseudonymisoitu; vain salatut koosteet näytetään, ei yksittäisiä "
        "asiakkaita.",
        "sv": "Siffror räknade ur välfärdsområdets egna klienthandlingar, per år. Handlingarna är "
        "pseudonymiserade; endast skyddade sammandrag visas, aldrig enskilda klienter.",
        "en": "Figures counted from the county's own client documents, by year. The documents "
        "are pseudonymised; only suppressed aggregates are shown, never single clients.",
    },
    "pv.client_none": {
        "fi": "Tälle ilmiölle ei ole asiakastietoihin perustuvia indikaattoreita.",
        "sv": "Detta fenomen har inga indikatorer som bygger på klientuppgifter.",
        "en": "This phenomenon has no indicators based on client data.",
    },
    "pv.client_not_loaded": {
        "fi": "Näiden hyvinvointialueiden asiakastietoja ei ole ladattu palveluun, joten niiden "
        "asiakastietojen tason lukuja ei ole. Palvelun ylläpitäjä voi ladata alueen "
        "pseudonymisoidut asiakasasiakirjat; ohje on ylläpitäjien ohjeissa.",
        "sv": "Klientuppgifterna för dessa välfärdsområden har inte lästs in i tjänsten, så det "
        "finns inga siffror på klientuppgifternas nivå. Tjänstens administratör kan läsa in "
        "områdets pseudonymiserade klienthandlingar; anvisningen finns i "
        "administratörsdokumentationen.",
        "en": "The client data of these wellbeing services counties is not loaded into the "
        "service, so there are no figures at the client-data level. The service's operator can "
        "load the county's pseudonymised client documents; the operators' documentation says "
        "how.",
    },
    "pv.client_suppressed.small-count": {
        "fi": "alle 5 (salattu)",
        "sv": "under 5 (skyddad)",
        "en": "under 5 (suppressed)",
    },
    "pv.client_suppressed.complementary": {
        "fi": "salattu (vastinsalaus)",
        "sv": "skyddad (komplementär)",
        "en": "suppressed (complementary)",
    },
    "pv.client_rule": {
        "fi": "Luku, jossa on 1–4 asiakasta, näytetään muodossa ”alle 5”. Jos alueiden "
        "ryhmässä olisi vain yksi salattu luku ja ryhmän summa näytetään, myös seuraavaksi "
        "pienin luku salataan (vastinsalaus), jottei salattua lukua voi laskea vähentämällä.",
        "sv": "En siffra med 1–4 klienter visas som ”under 5”. Om en grupp av områden "
        "skulle ha bara en skyddad siffra medan gruppens summa visas, skyddas också den näst "
        "minsta siffran (komplementär skyddsåtgärd), så att ingen skyddad siffra kan räknas ut "
        "genom subtraktion.",
        "en": "A figure of 1–4 clients is shown as “under 5”. If a group of areas would "
        "have only one suppressed figure while the group total is shown, the next-smallest "
        "figure is suppressed too (complementary suppression), so that no suppressed figure can "
        "be worked out by subtraction.",
    },
    # -- honest values (issue 14, homelessness): qualifiers, source documents, other sources'
    #    figures and coverage, in the pages, the JSON and the Excel/CSV files
    "column.qualifier": {"fi": "Tarkenne", "sv": "Precisering", "en": "Qualifier"},
    "column.source": {"fi": "Lähdejulkaisu", "sv": "Källpublikation", "en": "Source document"},
    "column.source_url": {"fi": "Lähteen osoite", "sv": "Källans adress", "en": "Source address"},
    "column.alternatives": {
        "fi": "Muiden lähteiden luvut",
        "sv": "Andra källors siffror",
        "en": "Other sources' figures",
    },
    "meta.source_document": {
        "fi": "Lähdejulkaisu",
        "sv": "Källpublikation",
        "en": "Source document",
    },
    "meta.date": {"fi": "Päivämäärä", "sv": "Datum", "en": "Date"},
    "meta.address": {"fi": "Osoite", "sv": "Adress", "en": "Address"},
    "meta.coverage": {"fi": "Kattavuus", "sv": "Täckning", "en": "Coverage"},
    "qualifier.noin": {"fi": "noin", "sv": "cirka", "en": "about"},
    "qualifier.pyoristetty": {"fi": "pyöristetty", "sv": "avrundat", "en": "rounded"},
    "qualifier.yli": {"fi": "yli", "sv": "över", "en": "over"},
    "qualifier.runsaat": {"fi": "runsaat", "sv": "drygt", "en": "a little over"},
    "qualifier.vajaa": {"fi": "vajaa", "sv": "knappt", "en": "just under"},
    "qualifier.lahes": {"fi": "lähes", "sv": "nästan", "en": "almost"},
    "qualifier.alle": {"fi": "alle", "sv": "under", "en": "under"},
    "qualifier_mark.noin": {"fi": "n.", "sv": "ca", "en": "c."},
    "qualifier_mark.pyoristetty": {"fi": "pyör.", "sv": "avr.", "en": "rnd."},
    "qualifier_mark.yli": {"fi": "yli", "sv": "över", "en": ">"},
    "qualifier_mark.runsaat": {"fi": "yli", "sv": "över", "en": ">"},
    "qualifier_mark.vajaa": {"fi": "alle", "sv": "under", "en": "<"},
    "qualifier_mark.lahes": {"fi": "alle", "sv": "under", "en": "<"},
    "qualifier_mark.alle": {"fi": "alle", "sv": "under", "en": "<"},
    "qualifier_legend": {
        "fi": "Merkityt luvut lähde ilmoittaa likimääräisinä",
        "sv": "Källan anger de märkta siffrorna ungefärligt",
        "en": "The source gives the marked figures approximately",
    },
    "source_documents": {
        "fi": "Lähdejulkaisut",
        "sv": "Källpublikationer",
        "en": "Source documents",
    },
    "other_sources": {"fi": "Muut lähteet", "sv": "Andra källor", "en": "Other sources"},
    "coverage.municipality": {
        "fi": "{indicator}: {count}/{total} kunnalla on julkaistu luku.",
        "sv": "{indicator}: {count} av {total} kommuner har en publicerad siffra.",
        "en": "{indicator}: {count} of {total} municipalities have a published figure.",
    },
    # the brief's note on the covered municipalities (issue 14: the survey's covered cities)
    "coverage.municipality.named": {
        "fi": "{indicator}: {count}/{total} kunnalla on julkaistu luku: {names}.",
        "sv": "{indicator}: {count} av {total} kommuner har en publicerad siffra: {names}.",
        "en": "{indicator}: {count} of {total} municipalities have a published figure: {names}.",
    },
    "coverage.wellbeing-county": {
        "fi": "{indicator}: {count}/{total} hyvinvointialueella on luku.",
        "sv": "{indicator}: {count} av {total} välfärdsområden har en siffra.",
        "en": "{indicator}: {count} of {total} wellbeing services counties have a figure.",
    },
    "coverage.cooperation-area": {
        "fi": "{indicator}: {count}/{total} yhteistyöalueella on luku.",
        "sv": "{indicator}: {count} av {total} samarbetsområden har en siffra.",
        "en": "{indicator}: {count} of {total} cooperation areas have a figure.",
    },
    # -- issue 15: phenomena in the Sosmeta documents (term pages) --
    "recorded_in": {
        "fi": "Kirjataan asiakirjoihin",
        "sv": "Registreras i klienthandlingarna",
        "en": "Recorded in the client documents",
    },
    "recorded_in_summary": {
        "fi": "{entries} kirjausta {structures} asiakirjarakenteen versiossa",
        "sv": "{entries} uppgifter i {structures} versioner av handlingsstrukturer",
        "en": "{entries} entries in {structures} document-structure versions",
    },
    "serves_phenomena": {
        "fi": "Kirjaa ilmiötä",
        "sv": "Registrerar fenomen",
        "en": "Records the phenomena",
    },
    # -- vocabulary information pages and whole-vocabulary downloads (issue 16)
    "vocab_info": {
        "fi": "Tietoja sanastosta",
        "sv": "Om vokabulären",
        "en": "About the vocabulary",
    },
    "vocab_description": {"fi": "Kuvaus", "sv": "Beskrivning", "en": "Description"},
    "vocab_publisher": {"fi": "Julkaisija", "sv": "Utgivare", "en": "Publisher"},
    "vocab_licence": {"fi": "Lisenssi", "sv": "Licens", "en": "Licence"},
    "vocab_rights": {"fi": "Oikeudet", "sv": "Rättigheter", "en": "Rights"},
    "vocab_version": {"fi": "Versio", "sv": "Version", "en": "Version"},
    "vocab_modified": {"fi": "Muokattu viimeksi", "sv": "Senast ändrad", "en": "Last modified"},
    "vocab_built": {
        "fi": "palvelun tietojen koontipäivä; sanasto ei kerro muokkauspäiväänsä",
        "sv": "datum då tjänstens data byggdes; vokabulären anger inget ändringsdatum",
        "en": "date the service's data was built; the vocabulary states no modification date",
    },
    "vocab_not_stated": {"fi": "ei ilmoitettu", "sv": "inte angivet", "en": "not stated"},
    "vocab_by_status": {
        "fi": "Käsitteet tilan mukaan",
        "sv": "Begrepp enligt status",
        "en": "Concepts by status",
    },
    "vocab_no_status": {"fi": "tila puuttuu", "sv": "status saknas", "en": "no status"},
    "vocab_download": {
        "fi": "Lataa koko sanasto",
        "sv": "Ladda ner hela vokabulären",
        "en": "Download the whole vocabulary",
    },
    "vocab_download_table": {
        "fi": "taulukkona: käsite riveittäin, nimet ja määritelmät kielittäin",
        "sv": "som tabell: ett begrepp per rad, termer och definitioner per språk",
        "en": "as a table: one concept a row, labels and definitions per language",
    },
    "vocab_col.uri": {"fi": "URI", "sv": "URI", "en": "URI"},
    "vocab_col.label": {"fi": "Nimi", "sv": "Term", "en": "Label"},
    "vocab_col.definition": {"fi": "Määritelmä", "sv": "Definition", "en": "Definition"},
    "vocab_col.broader": {"fi": "Yläkäsite", "sv": "Överordnat begrepp", "en": "Broader"},
    "vocab_col.status": {"fi": "Tila", "sv": "Status", "en": "Status"},
    "sheet.concepts": {"fi": "käsitteet", "sv": "begrepp", "en": "concepts"},
    # -- the front page for its three audiences (issue 16)
    "front_analyst": {
        "fi": "Analyytikolle: vertaa ilmiöitä, alueita ja vuosia tilannekuvassa ja ilmiönäkymissä.",
        "sv": "För analytiker: jämför fenomen, områden och år i lägesbilden och fenomenvyerna.",
        "en": "For analysts: compare phenomena, areas and years in the situation picture and "
        "the phenomenon views.",
    },
    "front_analyst_link": {"fi": "Näkymät", "sv": "Vyerna", "en": "The views"},
    "front_terminologist": {
        "fi": "Terminologille: selaa sanastoja, niiden tietoja ja tiloja, ja lataa koko sanasto "
        "taulukkona tai RDF:nä.",
        "sv": "För terminologer: bläddra i vokabulärerna, deras uppgifter och status, och "
        "ladda ner en hel vokabulär som tabell eller RDF.",
        "en": "For terminologists: browse the vocabularies, their details and statuses, and "
        "download a whole vocabulary as a table or as RDF.",
    },
    "front_terminologist_link": {"fi": "Sanastot", "sv": "Vokabulärerna", "en": "Vocabularies"},
    "front_developer": {
        "fi": "Kehittäjälle: kysy tietograafilta SPARQLilla, käytä Skosmos-yhteensopivaa REST-"
        "rajapintaa ja näkymien rajapintaa, tai lataa koko julkinen aineisto.",
        "sv": "För utvecklare: fråga kunskapsgrafen med SPARQL, använd det Skosmos-kompatibla "
        "REST-gränssnittet och vyernas gränssnitt, eller ladda ner hela det offentliga "
        "datamaterialet.",
        "en": "For developers: query the knowledge graph with SPARQL, use the Skosmos-compatible "
        "REST API and the views API, or download the whole public dataset.",
    },
    "front_rest": {"fi": "REST-rajapinta", "sv": "REST-gränssnitt", "en": "REST API"},
    "front_views_api": {"fi": "Näkymien rajapinta", "sv": "Vyernas gränssnitt", "en": "Views API"},
    "front_dump": {
        "fi": "Koko aineisto (N-Quads, gzip)",
        "sv": "Hela datamaterialet (N-Quads, gzip)",
        "en": "Whole dataset (N-Quads, gzip)",
    },
    "vocab_group.model": {
        "fi": "Rakenteellisen sosiaalityön käsitemalli",
        "sv": "Begreppsmodellen för strukturellt socialt arbete",
        "en": "The structural social work concept model",
    },
    "vocab_group.codes": {"fi": "Koodistot", "sv": "Kodlistor", "en": "Code lists"},
    # -- the SPARQL page (issue 16)
    "sparql.heading": {
        "fi": "SPARQL-kyselypalvelu",
        "sv": "SPARQL-frågetjänst",
        "en": "SPARQL endpoint",
    },
    "sparql.intro": {
        "fi": "Vain lukeva SPARQL 1.1 -kyselypalvelu. Oletusgraafi on julkisten graafien yhdiste. "
        "Kysely saa kestää {seconds} s ja palauttaa {rows} riviä; SERVICE ja päivitykset "
        "torjutaan.",
        "sv": "Skrivskyddad SPARQL 1.1-frågetjänst. Standardgrafen är unionen av de offentliga "
        "graferna. En fråga får pågå {seconds} s och returnera {rows} rader; SERVICE och "
        "uppdateringar avvisas.",
        "en": "Read-only SPARQL 1.1 endpoint. The default graph is the union of the public "
        "graphs. A query may run {seconds} s and return {rows} rows; SERVICE and updates are "
        "refused.",
    },
    "sparql.address": {"fi": "Osoite", "sv": "Adress", "en": "Address"},
    "sparql.protocol": {
        "fi": "SPARQL 1.1 -protokolla",
        "sv": "SPARQL 1.1-protokollet",
        "en": "SPARQL 1.1 Protocol",
    },
    "sparql.query_heading": {"fi": "Kysely", "sv": "Fråga", "en": "Query"},
    "sparql.editor_label": {
        "fi": "SPARQL-kysely (esimerkit esittelevät etuliitteensä: rake:, skos:, qb: …)",
        "sv": "SPARQL-fråga (exemplen deklarerar sina prefix: rake:, skos:, qb: …)",
        "en": "SPARQL query (the examples declare their prefixes: rake:, skos:, qb: …)",
    },
    "sparql.show_as": {"fi": "Näytä tulos", "sv": "Visa resultatet som", "en": "Show result as"},
    "sparql.table_on_page": {
        "fi": "taulukkona tällä sivulla",
        "sv": "tabell på den här sidan",
        "en": "table on this page",
    },
    "sparql.run": {"fi": "Suorita kysely", "sv": "Kör frågan", "en": "Run query"},
    "sparql.ctrl_enter": {
        "fi": "Ctrl+Enter editorissa suorittaa kyselyn.",
        "sv": "Ctrl+Enter i editorn kör frågan.",
        "en": "Ctrl+Enter in the editor runs the query.",
    },
    "sparql.results": {"fi": "Tulokset", "sv": "Resultat", "en": "Results"},
    "sparql.result": {"fi": "Tulos", "sv": "Resultat", "en": "Result"},
    "sparql.truncated": {
        "fi": "Vain {rows} ensimmäistä riviä näytetään (riviraja).",
        "sv": "Endast de {rows} första raderna visas (radgräns).",
        "en": "Only the first {rows} rows are shown (row limit).",
    },
    "sparql.rows_in": {
        "fi": "{n} riviä, {seconds} s",
        "sv": "{n} rader på {seconds} s",
        "en": "{n} rows in {seconds} s",
    },
    "sparql.row_in": {
        "fi": "1 rivi, {seconds} s",
        "sv": "1 rad på {seconds} s",
        "en": "1 row in {seconds} s",
    },
    "sparql.result_graph": {
        "fi": "Tulosgraafi ({n} kolmikkoa, Turtle)",
        "sv": "Resultatgraf ({n} tripler, Turtle)",
        "en": "Result graph ({n} triples, Turtle)",
    },
    "sparql.examples": {"fi": "Esimerkkikyselyt", "sv": "Exempelfrågor", "en": "Example queries"},
    "sparql.examples_intro": {
        "fi": "Valitse kysely, niin se tulee editoriin; vaihda sen arvot (ilmiö, alue, vuosi, "
        "päivämäärä) ja suorita.",
        "sv": "Välj en fråga så hamnar den i editorn; byt dess värden (fenomen, område, år, "
        "datum) och kör den.",
        "en": "Choose a query to put it in the editor; change its values (phenomenon, area, "
        "year, date) and run it.",
    },
    "sparql.maintainers": {
        "fi": "Ylläpitäjille: projektin nimetyt kyselyt ja eheystarkistukset",
        "sv": "För förvaltare: projektets namngivna frågor och konsistenskontroller",
        "en": "For maintainers: the project's named queries and consistency checks",
    },
    "sparql.maintainers_intro": {
        "fi": "Kansion queries/ kyselyt; kunkin tiedoston otsake kertoo, mitä se palauttaa. "
        "Parametrit (@param) jäävät editorissa sitomatta.",
        "sv": "Frågorna i mappen queries/; varje fils huvud säger vad den returnerar. "
        "Parametrarna (@param) lämnas obundna i editorn.",
        "en": "The queries of queries/; each file's header says what it returns. Parameters "
        "(@param) are left unbound in the editor.",
    },
    "sparql.parameters": {"fi": "parametrit", "sv": "parametrar", "en": "parameters"},
    "sparql_ex.indicators-of-a-phenomenon": {
        "fi": "Ilmiön indikaattorit",
        "sv": "Ett fenomens indikatorer",
        "en": "Indicators of a phenomenon",
    },
    "sparql_ex.indicators-of-a-phenomenon.about": {
        "fi": "Taloudellisen tilanteen ja toimeentulon indikaattorit, yksiköt ja tieto siitä, "
        "onko luku indeksi.",
        "sv": "Indikatorerna för ekonomisk situation och utkomst, deras enheter och om talet är "
        "ett index.",
        "en": "The indicators of economic situation and livelihood, their units and whether "
        "each is an index.",
    },
    "sparql_ex.county-figures-in-2024": {
        "fi": "Yhden hyvinvointialueen luvut vuodelta 2024",
        "sv": "Ett välfärdsområdes siffror för 2024",
        "en": "One county's figures in 2024",
    },
    "sparql_ex.county-figures-in-2024.about": {
        "fi": "Pirkanmaan hyvinvointialueen jokaisen indikaattorin arvo, tila ja alkuperä "
        "vuodelta 2024.",
        "sv": "Värdet, statusen och ursprunget för varje indikator i Birkalands välfärdsområde "
        "2024.",
        "en": "Every indicator's value, status and origin for Pirkanmaa wellbeing services "
        "county in 2024.",
    },
    "sparql_ex.entries-feeding-an-indicator": {
        "fi": "Mitkä asiakirjamerkinnät tuottavat indikaattorin",
        "sv": "Vilka dokumentuppgifter som ger en indikator",
        "en": "Which document entries feed an indicator",
    },
    "sparql_ex.entries-feeding-an-indicator.about": {
        "fi": "Sosmeta-asiakirjarakenteiden merkinnät, joista toimeentulotukipäätösten "
        "indikaattori lasketaan (tyhjä, kunnes asiakasasiakirjoja on tuotu).",
        "sv": "Uppgifterna i Sosmeta-dokumentstrukturerna som indikatorn för beslut om "
        "utkomststöd räknas från (tom tills klienthandlingar har lyfts in).",
        "en": "The Sosmeta document entries the social-assistance decision indicator is "
        "counted from (empty until client documents are lifted).",
    },
    "sparql_ex.concepts-changed-since": {
        "fi": "Tietyn päivän jälkeen muuttuneet käsitteet",
        "sv": "Begrepp som ändrats sedan ett datum",
        "en": "Concepts changed since a date",
    },
    "sparql_ex.concepts-changed-since.about": {
        "fi": "Käsitteet, joiden muokkauspäivä tai Sosmeta-rakenteen versiopäivä on 1.1.2023 "
        "tai myöhemmin.",
        "sv": "Begrepp vars ändringsdatum eller Sosmeta-strukturens versionsdatum är "
        "1.1.2023 eller senare.",
        "en": "Concepts whose modification date or Sosmeta structure version date is "
        "1 January 2023 or later.",
    },
    "vocab_group.sosmeta": {
        "fi": "Sosmeta-asiakirjarakenteet",
        "sv": "Sosmeta-dokumentstrukturer",
        "en": "Sosmeta document structures",
    },
    # issue 13, the last pieces: the rank's one denominator per level
    "note.not_ranked": {
        "fi": "ei sijoitusta: alue ei kuulu vertailtaviin alueisiin (ei yhteistyöalueella)",
        "sv": "ingen rang: området hör inte till de jämförda områdena (inget samarbetsområde)",
        "en": "not ranked: the area is not among the compared areas (in no cooperation area)",
    },
    # -- releases and concept history (issue 17: /releases/, /page?release=, web/releases.py)
    "releases_title": {"fi": "Julkaisut", "sv": "Utgåvor", "en": "Releases"},
    "releases_intro": {
        "fi": "Sanastojen julkaistut versiot, uusin ensin, ja kunkin muutokset edelliseen nähden.",
        "sv": "Vokabulärernas utgivna versioner, den nyaste först, och ändringarna i var och en.",
        "en": "The released versions of the vocabularies, newest first, and what each one changed.",
    },
    "releases_none": {
        "fi": "Sanastoista ei ole vielä julkaisuja.",
        "sv": "Vokabulärerna har inga utgåvor ännu.",
        "en": "The vocabularies have no release yet.",
    },
    "release_title": {"fi": "Julkaisu", "sv": "Utgåva", "en": "Release"},
    "release_version": {"fi": "Versio", "sv": "Version", "en": "Version"},
    "release_issued": {"fi": "Julkaistu", "sv": "Utgiven", "en": "Issued"},
    "release_compared_to": {
        "fi": "muutokset edellisestä julkaisusta",
        "sv": "ändringar sedan utgåvan",
        "en": "changes since release",
    },
    "release_first": {
        "fi": "ensimmäinen julkaisu: kaikki käsitteet ovat uusia",
        "sv": "första utgåvan: alla begrepp är nya",
        "en": "the first release: every concept is new",
    },
    "release_added": {"fi": "Uudet", "sv": "Nya", "en": "Added"},
    "release_deprecated": {
        "fi": "Poistettu käytöstä",
        "sv": "Utgångna",
        "en": "Deprecated",
    },
    "release_removed": {"fi": "Poistetut", "sv": "Borttagna", "en": "Removed"},
    "release_changed": {"fi": "Muuttuneet", "sv": "Ändrade", "en": "Changed"},
    "release_unchanged": {"fi": "ei muutoksia", "sv": "oförändrat", "en": "unchanged"},
    "release_prop_deprecated": {
        "fi": "Poistettu käytöstä",
        "sv": "Utgånget",
        "en": "Deprecated",
    },
    "release_unknown": {"fi": "Tuntematon julkaisu", "sv": "Okänd utgåva", "en": "Unknown release"},
    "release_known": {"fi": "Julkaisut", "sv": "Utgåvor som finns", "en": "The releases there are"},
    "release_history_title": {"fi": "Historia", "sv": "Historik", "en": "History"},
    "release_view": {
        "fi": "käsite tässä julkaisussa",
        "sv": "begreppet i den här utgåvan",
        "en": "the concept in this release",
    },
    "release_as_released": {
        "fi": "Käsite sellaisena kuin se oli julkaisussa",
        "sv": "Begreppet så som det var i utgåvan",
        "en": "The concept as it was in release",
    },
    "release_current_version": {
        "fi": "Käsitteen nykyinen versio",
        "sv": "Begreppets aktuella version",
        "en": "The concept as it is now",
    },
    "release_deprecated_in": {
        "fi": "Poistettiin käytöstä julkaisussa",
        "sv": "Utgick i utgåvan",
        "en": "Deprecated in release",
    },
    # --- s6-gaps: THL's register estimates in the views (kgservice/indicators/register.py) ---
    "register.heading": {
        "fi": "Sosiaalihuollon asiakkaat koko maassa (THL:n rekisteriarvio)",
        "sv": "Socialvårdens klienter i hela landet (THL:s registeruppskattning)",
        "en": "Social-welfare clients in the whole country (THL register estimate)",
    },
    "register.intro": {
        "fi": "THL:n ensimmäiset arviot sosiaalihuollon seurantarekisteristä: vain koko maan "
        "luvut, ei alueittain. Jokainen luku on arvio; väli on julkaistu välinä.",
        "sv": "THL:s första uppskattningar ur socialvårdens uppföljningsregister: endast siffror "
        "för hela landet, inte per område. Varje siffra är en uppskattning; ett intervall har "
        "publicerats som intervall.",
        "en": "THL's first estimates from the social-welfare monitoring register: whole-country "
        "figures only, not by area. Every figure is an estimate; a range was published as a "
        "range.",
    },
    "register.sheet": {
        "fi": "rekisteriarviot",
        "sv": "registeruppskattningar",
        "en": "register estimates",
    },
    "register.col.figure": {"fi": "luku", "sv": "siffra", "en": "figure"},
    "register.col.version": {
        "fi": "arvion versio",
        "sv": "uppskattningens version",
        "en": "estimate version",
    },
    "register.col.value": {"fi": "arvo", "sv": "värde", "en": "value"},
    "register.col.lower": {"fi": "alaraja", "sv": "nedre gräns", "en": "lower bound"},
    "register.col.upper": {"fi": "yläraja", "sv": "övre gräns", "en": "upper bound"},
    "register.col.unit": {"fi": "yksikkö", "sv": "enhet", "en": "unit"},
    "register.col.kind": {"fi": "arvon laji", "sv": "typ av värde", "en": "kind of value"},
    "register.col.period": {"fi": "viitejakso", "sv": "referensperiod", "en": "reference period"},
    "register.col.source": {"fi": "lähde", "sv": "källa", "en": "source"},
    "register.kind.estimate": {
        "fi": "arvio, pyöristetty",
        "sv": "uppskattning, avrundad",
        "en": "estimate, rounded",
    },
    "register.kind.range": {
        "fi": "arvio, julkaistu välinä",
        "sv": "uppskattning, publicerad som intervall",
        "en": "estimate, published as a range",
    },
    "register.kind.about": {"fi": "noin", "sv": "cirka", "en": "about"},
    "register.unit.persons": {"fi": "henkilöä", "sv": "personer", "en": "persons"},
    "register.measure.asiakkaat": {"fi": "asiakkaita", "sv": "klienter", "en": "clients"},
    "register.measure.osuus": {
        "fi": "osuus väestöryhmästä",
        "sv": "andel av befolkningsgruppen",
        "en": "share of the population group",
    },
    "register.version.ensimmainen-arvio": {
        "fi": "ensimmäinen arvio",
        "sv": "första uppskattningen",
        "en": "first estimate",
    },
    "register.version.tarkennettu-arvio": {
        "fi": "tarkennettu arvio",
        "sv": "preciserad uppskattning",
        "en": "refined estimate",
    },
    "register.version.kokonaismaaran-arvio": {
        "fi": "ensimmäinen arvio kokonaismäärästä",
        "sv": "första uppskattningen av det totala antalet",
        "en": "first estimate of the total",
    },
    "register.group.kaikki": {
        "fi": "kaikki ikäryhmät",
        "sv": "alla åldersgrupper",
        "en": "all ages",
    },
    "register.group.yli-65": {"fi": "yli 65-vuotiaat", "sv": "över 65 år", "en": "over 65"},
    "register.group.yli-85": {"fi": "yli 85-vuotiaat", "sv": "över 85 år", "en": "over 85"},
    "register.group.18-64": {"fi": "18–64-vuotiaat", "sv": "18–64 år", "en": "aged 18–64"},
    "register.group.alle-65": {"fi": "alle 65-vuotiaat", "sv": "under 65 år", "en": "under 65"},
    "register.group.0-17": {"fi": "0–17-vuotiaat", "sv": "0–17 år", "en": "aged 0–17"},
    "register.coverage": {
        "fi": "arvio laskettu {pct} %:n väestön tiedoista",
        "sv": "uppskattningen bygger på uppgifter om {pct} % av befolkningen",
        "en": "estimated from the data of {pct} % of the population",
    },
    "register.source": {
        "fi": "THL: Sosiaalihuollon asiakkaat (arviot seurantarekisteristä)",
        "sv": "THL: Socialvårdens klienter (uppskattningar ur uppföljningsregistret)",
        "en": "THL: Social-welfare clients (estimates from the monitoring register)",
    },
    # --- end s6-gaps register estimates ---
    # --- s7-regdate: the register estimates' publisher and publication date ---
    "register.col.publisher": {"fi": "julkaisija", "sv": "utgivare", "en": "publisher"},
    "register.col.date": {
        "fi": "julkaisupäivä",
        "sv": "publiceringsdatum",
        "en": "date of publication",
    },
    # an estimate version the source leaves undated: no date, only the one it precedes
    "register.undated_before": {
        "fi": "ei päivätty; julkaistu ennen {date}",
        "sv": "odaterad; publicerad före {date}",
        "en": "not dated; published before {date}",
    },
    # --- end s7-regdate ---
    # --- s6-gaps: a concept's SKOS collections (Åland: outside the cooperation areas) ---
    "member_of_group": {"fi": "Kuuluu ryhmään", "sv": "Hör till gruppen", "en": "Member of group"},
    # --- s6-gaps: the status of the project's translations (rake:translationStatus) ---
    "translation_status": {
        "fi": "Käännösten tila",
        "sv": "Översättningarnas status",
        "en": "Status of the translations",
    },
}


#: Labels of standard terms that vocabularies use but do not label themselves.
TERM_LABELS: dict[str, dict[str, str]] = {
    SKOS + "Concept": {"fi": "käsite", "sv": "begrepp", "en": "concept"},
    SKOS + "ConceptScheme": {"fi": "sanasto", "sv": "vokabulär", "en": "concept scheme"},
    SKOS + "exactMatch": {
        "fi": "täsmällinen vastaavuus",
        "sv": "exakt matchning",
        "en": "exact match",
    },
    SKOS + "closeMatch": {
        "fi": "läheinen vastaavuus",
        "sv": "nära matchning",
        "en": "close match",
    },
    SKOS + "broadMatch": {
        "fi": "laajempi vastaavuus",
        "sv": "bredare matchning",
        "en": "broad match",
    },
    SKOS + "narrowMatch": {
        "fi": "suppeampi vastaavuus",
        "sv": "snävare matchning",
        "en": "narrow match",
    },
    SKOS + "relatedMatch": {
        "fi": "assosiatiivinen vastaavuus",
        "sv": "relaterad matchning",
        "en": "related match",
    },
    SKOS + "note": {"fi": "huomautus", "sv": "anmärkning", "en": "note"},
    SKOS + "scopeNote": {
        "fi": "käyttöhuomautus",
        "sv": "användningsanvisning",
        "en": "scope note",
    },
    SKOS + "example": {"fi": "esimerkki", "sv": "exempel", "en": "example"},
    SKOS + "changeNote": {
        "fi": "muutoshuomautus",
        "sv": "ändringsanmärkning",
        "en": "change note",
    },
    SKOS + "historyNote": {"fi": "historiatieto", "sv": "historik", "en": "history note"},
    SKOS + "editorialNote": {
        "fi": "toimituksellinen huomautus",
        "sv": "redaktionell anmärkning",
        "en": "editorial note",
    },
    DCT + "source": {"fi": "lähde", "sv": "källa", "en": "source"},
    DCT + "references": {"fi": "viittaa", "sv": "hänvisar till", "en": "references"},
    DCT + "created": {"fi": "luotu", "sv": "skapad", "en": "created"},
    DCT + "modified": {"fi": "muokattu", "sv": "ändrad", "en": "modified"},
    DCT + "license": {"fi": "lisenssi", "sv": "licens", "en": "licence"},
    DCT + "replaces": {"fi": "korvaa", "sv": "ersätter", "en": "replaces"},
    OWL + "Class": {"fi": "luokka", "sv": "klass", "en": "class"},
    OWL + "ObjectProperty": {
        "fi": "objektiominaisuus",
        "sv": "objektegenskap",
        "en": "object property",
    },
    OWL + "DatatypeProperty": {
        "fi": "tietotyyppiominaisuus",
        "sv": "datatypsegenskap",
        "en": "datatype property",
    },
    OWL + "versionInfo": {"fi": "versio", "sv": "version", "en": "version"},
    RDFS + "seeAlso": {"fi": "katso myös", "sv": "se även", "en": "see also"},
    RDFS + "comment": {"fi": "kommentti", "sv": "kommentar", "en": "comment"},
    RDFS + "subClassOf": {"fi": "yläluokka", "sv": "överklass", "en": "subclass of"},
    RDFS + "domain": {"fi": "kohdeluokka", "sv": "domän", "en": "domain"},
    RDFS + "range": {"fi": "arvoalue", "sv": "värdemängd", "en": "range"},
}


def translate(key: str, lang: str) -> str:
    """The text of ``key`` in ``lang`` (Finnish if ``lang`` is not a UI language); an unknown key
    is shown as itself."""
    texts = STRINGS.get(key)
    if texts is None:
        return key
    return texts.get(lang) or texts[FALLBACK_LANG]
