"""Request size limits, no server banner, and the open-files limit of ``kgservice serve``."""

from __future__ import annotations

import json
import resource
import socket
import subprocess
import sys

import pytest
import requests
from fixtures.kgservice_server import in_process_server, kgservice_serve

from kgservice.config import Settings
from kgservice.errors import ConfigError
from kgservice.web.server import FD_RESERVE

ONE_AND_A_HALF_MIB = 3 * 512 * 1024


def _problem(r: requests.Response, status: int) -> dict:
    assert r.status_code == status, r.text[:300]
    assert r.headers["Content-Type"].startswith("application/problem+json")
    body = r.json()
    assert body["status"] == status
    return body


def test_a_sparql_body_over_the_limit_is_refused_with_413_problem_json(production_server):
    r = requests.post(
        production_server.base + "/sparql",
        data=b"ASK {}" + b" " * ONE_AND_A_HALF_MIB,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    _problem(r, 413)


def test_a_form_body_over_the_limit_is_refused_with_413_problem_json(production_server):
    r = requests.post(
        production_server.base + "/sparql",
        data={"query": "ASK {}" + " " * ONE_AND_A_HALF_MIB},
        timeout=30,
    )
    _problem(r, 413)


def test_a_body_within_the_limit_is_answered(production_server):
    r = requests.post(
        production_server.base + "/sparql",
        data=b"ASK {}" + b" " * 1000,
        headers={"Content-Type": "application/sparql-query"},
        timeout=30,
    )
    assert r.status_code == 200
    assert r.json()["boolean"] is True


def _declared_body_answer(base: str, length: int) -> bytes:
    """Send only the headers of a POST that declares ``length`` body bytes; read the answer."""
    host, port = base.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as s:
        s.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/sparql-query\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode()
        )
        return s.recv(4096)


def test_the_server_refuses_a_huge_body_even_when_the_app_does_not_check(
    app_factory, built_settings
):
    settings = built_settings.with_(max_request_body_bytes=64 * 1024)
    app = app_factory(settings, testing=False)
    app.config["MAX_CONTENT_LENGTH"] = None  # the first layer switched off
    with in_process_server(app, settings) as base:
        answer = _declared_body_answer(base, 10 * 1024 * 1024)
    assert answer.startswith(b"HTTP/1.1 413 ")


def test_a_header_over_the_limit_is_refused_with_431(production_server):
    r = requests.get(
        production_server.base + "/api/indicators", headers={"X-Big": "x" * 70_000}, timeout=30
    )
    assert r.status_code == 431


@pytest.mark.parametrize("path", ["/api/indicators", "/no-such-page", "/static/site.css"])
def test_responses_do_not_name_the_server_software(production_server, path):
    r = requests.get(production_server.base + path, timeout=30)
    assert "Server" not in r.headers
    assert "waitress" not in r.text.lower()


def test_an_error_page_of_the_server_itself_names_no_software(production_server):
    r = requests.get(
        production_server.base + "/api/indicators", headers={"X-Big": "x" * 70_000}, timeout=30
    )
    assert "Server" not in r.headers
    assert "waitress" not in r.text.lower()


def test_a_hard_open_files_limit_too_low_lowers_the_connection_limit():
    # in a child process: its limits are set before it starts, as a service manager would
    code = (
        "import json; from kgservice.web.server import fit_fd_limit;"
        "print(json.dumps(fit_fd_limit(2000).__dict__))"
    )

    def limits() -> None:
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, FD_RESERVE + 300))

    out = subprocess.run(
        [sys.executable, "-c", code], preexec_fn=limits, capture_output=True, check=True
    )
    fd = json.loads(out.stdout)
    assert fd["before"] == 256
    assert fd["after"] == FD_RESERVE + 300
    assert fd["connection_limit"] == 300


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("KG_CONNECTION_LIMIT", "0"),
        ("KG_IDLE_TIMEOUT", "soon"),
        ("KG_TRUSTED_PROXIES", "-1"),
        ("KG_MAX_REQUEST_BODY_SIZE", "1k"),
    ],
)
def test_a_bad_server_setting_names_the_variable_and_the_valid_range(var, value):
    with pytest.raises(ConfigError) as err:
        Settings.from_env({var: value})
    assert var in str(err.value)
    assert ">=" in str(err.value)
    assert err.value.rule == "bad-setting"


def test_server_settings_are_read_from_the_environment():
    s = Settings.from_env(
        {
            "KG_THREADS": "16",
            "KG_CONNECTION_LIMIT": "4000",
            "KG_IDLE_TIMEOUT": "15",
            "KG_REQUEST_READ_TIMEOUT": "20",
            "KG_MAX_REQUEST_HEADER_SIZE": "32768",
            "KG_MAX_REQUEST_BODY_SIZE": "2097152",
            "KG_TRUSTED_PROXIES": "1",
        }
    )
    assert (s.threads, s.connection_limit, s.idle_timeout_s) == (16, 4000, 15)
    assert s.request_read_timeout_s == 20
    assert (s.max_request_header_bytes, s.max_request_body_bytes) == (32768, 2097152)
    assert s.trusted_proxies == 1


def test_serve_warns_and_still_serves_when_the_hard_file_limit_is_too_low(built_settings):
    hard = FD_RESERVE + 200
    with kgservice_serve(built_settings, nofile=(256, hard)) as server:
        assert server.nofile_limit() == (hard, hard)
        log = server.log.read_text()
        assert "leaves room for 200 connections, not KG_CONNECTION_LIMIT=2000" in log
        assert requests.get(server.base + "/api/indicators", timeout=30).status_code == 200
