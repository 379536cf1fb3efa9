"""The views on the remote backend: a real ``oxigraph serve`` holding the fixture graphs gives
the same tables as the embedded store (parameters bound through VALUES, not text)."""

from __future__ import annotations

import pytest
from fixtures.oxigraph_server import oxigraph_server
from indicator_fixture import load_fixture_graphs

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step

pytestmark = pytest.mark.remote

URLS = [
    "/api/views/situation-picture?area=20&year=2024",
    "/api/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
    "&level=cooperation-area",
    "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=20",
]


@pytest.fixture(scope="module")
def remote_client(app_factory, settings_factory, tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph") / "db") as server:
        settings = settings_factory(sparql_endpoint=server.query)
        build(settings, [Step("fixture", lambda s, st, _r: load_fixture_graphs(st, s))])
        yield app_factory(settings).test_client()


@pytest.mark.parametrize("url", URLS)
def test_remote_backend_gives_the_same_table_as_the_embedded_store(
    remote_client, fixture_client, url
):
    remote = remote_client.get(url)
    assert remote.status_code == 200, remote.data[:500]
    local = fixture_client.get(url).get_json()
    assert remote.get_json()["rows"] == local["rows"]
    assert remote.get_json()["rows"]  # not vacuous
    assert remote.headers["ETag"]
