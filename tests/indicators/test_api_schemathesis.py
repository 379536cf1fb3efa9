"""``/api/openapi.yaml`` drives the API with schemathesis: generated valid (positive) and invalid
(negative) requests for every operation of the views API and the Skosmos REST API, against the
real-figure fixture store through the Flask app (no sockets). For every input: no 5xx; status,
content type, headers and body conform to the description; invalid input is refused with a
4xx; no response over :data:`MAX_BODY`; no header over :data:`MAX_HEADER`."""

from __future__ import annotations

from importlib import resources

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

#: The largest body an answer may have (the municipal table of a phenomenon is ~1.3 MB).
MAX_BODY = 4 * 1024 * 1024
#: The largest header (name, value and separator) an answer may have.
MAX_HEADER = 8 * 1024
EXAMPLES = 12

SPEC = yaml.safe_load(resources.files("kgservice.web").joinpath("openapi.yaml").read_text("utf-8"))
PATHS = sorted(SPEC["paths"])
#: Negative cases need a parameter to break.
PATHS_WITH_PARAMETERS = [p for p in PATHS if SPEC["paths"][p]["get"].get("parameters")]


#: Operations with an IRI parameter: its pattern in the description is necessary, not sufficient
#: (RFC 3987 as Oxigraph parses it also constrains percent-escapes, hosts and ports), so a
#: pattern-valid but unparsable IRI is a documented 400 there.
IRI_PARAMETERS = {"uri", "scheme", "graph"}


def _parameters(path: str) -> list[dict]:
    components = SPEC["components"]["parameters"]
    listed = SPEC["paths"][path]["get"].get("parameters", [])
    return [components[p["$ref"].rsplit("/", 1)[-1]] if "$ref" in p else p for p in listed]


@pytest.fixture(scope="module")
def api_schema(fixture_app):
    config = schemathesis.Config.from_dict(
        {"checks": {"negative_data_rejection": {"expected-statuses": [400, 404, 406, 414]}}}
    )
    return schemathesis.openapi.from_wsgi("/api/openapi.yaml", fixture_app, config=config)


@schemathesis.check
def bounded_size(ctx, response, case) -> None:
    """No body over MAX_BODY, no header over MAX_HEADER."""
    assert len(response.content) <= MAX_BODY, f"a body of {len(response.content)} bytes"
    for name, values in response.headers.items():
        for value in values if isinstance(values, list) else [values]:
            assert len(name) + len(value) + 2 <= MAX_HEADER, f"{name}: {len(value)} bytes"


def _run(api_schema, path: str, mode: GenerationMode) -> None:
    operation = api_schema[path]["GET"]
    excluded = []
    if {p["name"] for p in _parameters(path)} & IRI_PARAMETERS:
        excluded.append(positive_data_acceptance)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case) -> None:
        case.call_and_validate(additional_checks=[bounded_size], excluded_checks=excluded)

    run()


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS)
def test_every_api_operation_answers_valid_input_as_described(api_schema, path):
    _run(api_schema, path, GenerationMode.POSITIVE)


@pytest.mark.slow
@pytest.mark.parametrize("path", PATHS_WITH_PARAMETERS)
def test_every_api_operation_refuses_invalid_input_with_a_4xx(api_schema, path):
    _run(api_schema, path, GenerationMode.NEGATIVE)
