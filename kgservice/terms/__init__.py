"""The terminology read model, apart from HTTP: what the term browser, the Skosmos REST API and
concept dereferencing know about vocabularies.

``index`` the concept index of one store build (labels, schemes, hierarchy, incoming links) and
the holder that rebuilds it for a new build · ``search`` label search over it (prefix and base
form) · ``lemmas`` base forms of words (Voikko, Snowball) · ``results`` the search results page
with snippets and facets · ``skos`` walks of the hierarchy · ``describe`` one resource's triples,
changes and structure entries from the store · ``page`` the model of a resource's page, section
by section · ``lang`` the vocabularies' languages, Finnish collation and labels of standard terms.

Nothing here imports Flask or :mod:`kgservice.web` (``tests/web/test_terms_package.py``).
"""
