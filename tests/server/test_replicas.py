"""Read replicas behind one real nginx: two ``kgservice serve --from-dump`` processes loaded from
one ``kgservice publish`` answer alike, and a replica switches to a newly published build under a
stream of requests without failing one (docs/scaling.md)."""

from __future__ import annotations

import gzip
import signal
import threading
import time
from urllib.parse import quote

import pytest
import requests
from fixtures.kgservice_server import kgservice_serve
from fixtures.nginx import nginx_proxy
from pyoxigraph import RdfFormat

from kgservice.pipeline import replica
from kgservice.pipeline.build import build
from kgservice.pipeline.dump import dump_step
from kgservice.pipeline.steps import Step
from kgservice.store.served import DUMP_FILE, served_dir

#: Each test loads the bundled build into one or two replica processes (about a million quads
#: each) besides the session's build: longer than the suite's 600 s on a busy 2-core machine.
pytestmark = [pytest.mark.slow, pytest.mark.timeout(1800)]

SKOS_ALT = "http://www.w3.org/2004/02/skos/core#altLabel"
API = "/api/views/situation-picture?area=20&year=2024&lang=fi"
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


def _concept(settings) -> str:
    return settings.base_iri + "concept/indicator/pienituloisuusaste"


def _paths(settings) -> list[str]:
    query = (
        "SELECT ?l WHERE { <" + _concept(settings) + "> "
        "<http://www.w3.org/2004/02/skos/core#prefLabel> ?l } ORDER BY ?l"
    )
    return [
        API,
        "/sparql?query=" + quote(query),
        f"/page?uri={quote(_concept(settings), safe='')}&lang=fi",
    ]


@pytest.fixture(scope="module")
def published(built_settings, tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    replica.publish(built_settings, out)
    return out


def _replica(settings_factory, source, *args: str, env: dict[str, str] | None = None):
    settings = settings_factory()
    return settings, kgservice_serve(settings, env=env, args=("--from-dump", str(source), *args))


def test_two_replicas_behind_nginx_answer_alike_and_like_the_origin(
    built_settings, settings_factory, published, client, tmp_path
):
    _, first = _replica(settings_factory, published)
    _, second = _replica(settings_factory, published)
    with first as a, second as b, nginx_proxy(tmp_path / "nginx", [a.port, b.port]) as nginx:
        for path in _paths(built_settings):
            headers = SPARQL_JSON if path.startswith("/sparql") else {}
            answers = [
                requests.get(base + path, headers=headers, timeout=60) for base in (a.base, b.base)
            ]
            assert [r.status_code for r in answers] == [200, 200], path
            assert answers[0].content == answers[1].content, path
            assert answers[0].headers.get("ETag") == answers[1].headers.get("ETag"), path
            through = {
                requests.get(nginx.base + path, headers=headers, timeout=60).content
                for _ in range(4)
            }  # round-robin: both replicas answer
            assert through == {answers[0].content}, path
        origin = client.get(API)
        assert origin.get_json() == requests.get(a.base + API, timeout=60).json()


def _second_build(origin_settings, settings_factory, label: str):
    """A real build (the pipeline with two steps) of the origin's dump plus one ``altLabel``."""
    settings = settings_factory()
    graph = settings.base_iri + "graph/replica-test"
    extra = f'<{_concept(settings)}> <{SKOS_ALT}> "{label}"@fi <{graph}> .\n'

    def copy_origin(s, store, report) -> None:
        with gzip.open(served_dir(origin_settings) / DUMP_FILE, "rb") as stream:
            store.bulk_load(stream, RdfFormat.N_QUADS)
        store.bulk_load(extra.encode(), RdfFormat.N_QUADS)

    build(settings, [Step("copy-origin", copy_origin), Step("dump", dump_step)])
    return settings


def _stream(base: str, paths: list[str], stop: threading.Event, codes: list) -> None:
    """GET ``paths`` in turn until ``stop``; every answer's (status, path) into ``codes``."""
    with requests.Session() as session:
        i = 0
        while not stop.is_set():
            path = paths[i % len(paths)]
            headers = SPARQL_JSON if path.startswith("/sparql") else {}
            try:
                code = session.get(base + path, headers=headers, timeout=120).status_code
            except requests.RequestException as exc:
                code = repr(exc)
            codes.append((code, path))
            i += 1


def _has_label(base: str, settings, label: str) -> bool:
    ask = f'ASK {{ <{_concept(settings)}> <{SKOS_ALT}> "{label}"@fi }}'
    r = requests.get(base + "/sparql?query=" + quote(ask), headers=SPARQL_JSON, timeout=60)
    return r.status_code == 200 and r.json()["boolean"] is True


def test_a_replica_switches_to_a_new_build_under_load_without_a_failed_request(
    built_settings, settings_factory, tmp_path
):
    source = tmp_path / "published"
    first = replica.publish(built_settings, source)
    label = "toisessa koonnissa julkaistu"  # "published in the second build"
    # SIGHUP only: the test says when. Every request comes from nginx, one client: without a
    # SPARQL budget per minute, a slow moment on a busy machine cannot turn into a fair 429.
    _, served = _replica(settings_factory, source, env={"KG_QUERY_CLIENT_BUDGET": "0"})
    with served as server, nginx_proxy(tmp_path / "nginx", server.port) as nginx:
        assert not _has_label(server.base, built_settings, label)
        etag = requests.get(server.base + API, timeout=60).headers["ETag"]
        second = replica.publish(_second_build(built_settings, settings_factory, label), source)
        assert second.build_id != first.build_id
        stop, codes = threading.Event(), []
        streams = [
            threading.Thread(target=_stream, args=(nginx.base, _paths(built_settings), stop, codes))
            for _ in range(2)
        ]
        for t in streams:
            t.start()
        time.sleep(1)
        before = len(codes)
        server.process.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 180
        # watched by the view's ETag (the build id), not by SPARQL: the streams already use this
        # client's share of the SPARQL workers
        while requests.get(server.base + API, timeout=60).headers["ETag"] == etag:
            assert time.monotonic() < deadline, "the replica did not switch in 180 s"
            time.sleep(0.2)
        switched = len(codes)
        time.sleep(2)  # and requests go on being answered from the new build
        stop.set()
        for t in streams:
            t.join(timeout=150)
        assert _has_label(nginx.base, built_settings, label)
    failed = [c for c in codes if c[0] != 200]
    assert 0 < before < switched < len(codes)
    assert failed == [], f"{len(failed)} of {len(codes)} requests failed: {failed[:10]}"
