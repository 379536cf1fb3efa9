"""The model of a resource's page (``kgservice.terms.page``), built straight from the store and
the concept index of the bundled build: no Flask app, no request."""

from __future__ import annotations

import flask
import pytest

from kgservice.store.served import served_store
from kgservice.terms.index import ConceptIndex
from kgservice.terms.page import SHOWN_IN_SECTIONS, PageBuilder, ResourcePage, Value


def page_href(iri: str) -> str:
    return "page-of:" + iri


@pytest.fixture(scope="module")
def build_page(built_settings):
    store = served_store(built_settings)
    index = ConceptIndex.load(store, built_settings, "test-build", 0.0)

    def build(path: str, lang: str = "en") -> ResourcePage:
        builder = PageBuilder(index, built_settings, lang, page_href)
        return builder.build(store, built_settings.base_iri + path)

    return build


def linked(page: ResourcePage) -> list[Value]:
    values = page.types + page.status + page.schemes + page.broader + page.narrower + page.related
    for group in page.mappings + page.other + page.used_in:
        values += group.values
    return [v for v in values if v.iri is not None]


def test_page_model_builds_outside_any_flask_app(build_page):
    assert not flask.has_app_context()
    page = build_page("concept/phenomenon/mielenterveys")
    assert (page.title.text, page.title.lang) == ("mental health", "en")
    assert page.definition is not None and page.definition.lang == "en"


def test_links_to_described_resources_go_through_the_given_page_href(build_page):
    values = linked(build_page("concept/phenomenon/mielenterveys"))
    local = [v for v in values if not v.external]
    external = [v for v in values if v.external]
    assert local and external  # both kinds occur on this page
    assert {v.href for v in local} == {page_href(v.iri) for v in local if v.iri}
    assert all(v.href == v.iri for v in external)  # e.g. the YSO exact match


def test_used_in_lists_the_indicators_that_measure_the_phenomenon(build_page):
    page = build_page("concept/phenomenon/mielenterveys")
    measures = [g for g in page.used_in if g.prop.endswith("/ontology/measures")]
    assert len(measures) == 1
    assert all("/concept/indicator/" in (v.iri or "") for v in measures[0].values)


def test_other_properties_leave_out_what_a_section_of_its_own_shows(build_page):
    page = build_page("concept/phenomenon/mielenterveys")
    shown_apart = {g.prop for g in page.other} & SHOWN_IN_SECTIONS
    assert page.other and shown_apart == set()
    assert page.mappings and page.schemes and page.status
