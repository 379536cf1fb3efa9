"""The views on the remote backend: a real ``oxigraph serve``, and a real Virtuoso, holding the
fixture graphs give the same tables as the embedded store (parameters bound through VALUES, not
text)."""

from __future__ import annotations

import pytest
from fixtures.engines import ENGINES, engine_server
from indicator_fixture import load_fixture_graphs

from kgservice.pipeline.build import build
from kgservice.pipeline.steps import Step

URLS = [
    "/api/views/situation-picture?area=20&year=2024",
    "/api/views/phenomenon-in-brief?phenomenon=taloudellinen-tilanne-ja-toimeentulo"
    "&level=cooperation-area",
    "/api/views/phenomenon-view?phenomenon=taloudellinen-tilanne-ja-toimeentulo&area=20",
]


@pytest.fixture(scope="module", params=ENGINES)
def remote_client(request, app_factory, settings_factory, tmp_path_factory):
    location = tmp_path_factory.mktemp("remote") / "db"
    with engine_server(request, request.param, location) as server:
        settings = settings_factory(**server.settings())
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
