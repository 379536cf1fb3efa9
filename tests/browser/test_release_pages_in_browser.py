"""The release page in real headless Chromium (issue 17), on a store built from the documented
round trip (release → edit → release): a reader opens the newest release, sees the deprecated
concept with its replacement and the Swedish relabelling, follows the concept to its history and
from there to the concept as the first release had it."""

from __future__ import annotations

import pytest
from fixtures.vocab_edits import DEPRECATED, NEW_SV_LABEL, RELABELLED, released_round_trip

from kgservice.texts import translate

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory, live_server_factory):
    with pytest.MonkeyPatch.context() as mp:
        settings, _ = released_round_trip(
            tmp_path_factory.mktemp("vocab"), tmp_path_factory.mktemp("var"), mp
        )
    return live_server_factory(settings)


def test_a_reader_goes_from_the_release_to_the_concept_as_it_was(page, server):
    page.goto(f"{server}/releases/?lang=sv")
    page.get_by_role("link", name="1.1.0").click()
    assert page.locator("h1").inner_text() == f"{translate('release_title', 'sv')} 1.1.0"
    retired = page.locator(f'li[data-uri="{DEPRECATED}"][data-kind="deprecated"]')
    assert translate("replaced_by", "sv") in retired.inner_text()
    relabelled = page.locator(f'li[data-uri="{RELABELLED}"]')
    assert relabelled.locator("ins").first.inner_text() == NEW_SV_LABEL
    relabelled.locator("a").first.click()
    page.wait_for_url("**release=1.1.0**")
    history = page.locator("section.release-history")
    assert history.locator('li[data-version="1.0.0"]').is_visible()
    history.locator('li[data-version="1.0.0"] a.as-released').click()
    page.wait_for_url("**release=1.0.0**")
    assert page.locator("#as-released").is_visible()
    assert NEW_SV_LABEL not in page.locator("table.labels").inner_text()
