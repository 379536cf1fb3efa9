"""The HTTP layer of the fetch clients: one ``requests`` session with timeouts, a user agent and
retries with exponential backoff (urllib3 ``Retry``) on the statuses that mean "try again later".

Every failure becomes a :class:`FetchError` that names the URL and a rule (``http-<status>``,
``http-retries``, ``http-timeout``, ``http-connection``, ``http-json``), so ``kgservice fetch``
prints e.g. ``https://sotkanet.fi/rest/1.1/indicators/99999: [http-404] HTTP 404 Not Found``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ConnectTimeoutError, ReadTimeoutError
from urllib3.util.retry import Retry

from kgservice.errors import KgError

USER_AGENT = "rake-kg/0.1 (+https://rake-kg.example/; open-data fetch)"
#: Statuses retried: rate limiting and server-side trouble. 4xx otherwise fails at once.
RETRY_STATUSES = (429, 500, 502, 503, 504)


@dataclass
class FetchError(KgError):
    """A download failed or returned something that is not the documented format."""

    status: int = 502


class HttpClient:
    """GET/POST JSON with retries. ``backoff`` is urllib3's backoff factor in seconds
    (waits ``backoff * 2 ** (attempt - 1)``); tests pass 0."""

    def __init__(
        self,
        *,
        retries: int = 4,
        backoff: float = 1.0,
        timeout: float = 60.0,
        user_agent: str = USER_AGENT,
    ) -> None:
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": user_agent, "Accept": "application/json"})
        retry = Retry(
            total=retries,
            connect=retries,
            read=retries,
            status=retries,
            backoff_factor=backoff,
            status_forcelist=RETRY_STATUSES,
            allowed_methods=frozenset({"GET", "POST"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("http://", adapter)
        self.session.mount("https://", adapter)

    def get_json(self, url: str, params: Any = None) -> Any:
        return self._json(self._send("GET", url, params=params))

    def get_json_verbatim(self, url: str, params: Any = None) -> tuple[Any, bytes]:
        """The parsed answer and its bytes exactly as received (to store a download as is)."""
        response = self._send("GET", url, params=params)
        return self._json(response), response.content

    def post_json_verbatim(self, url: str, body: Any) -> tuple[Any, bytes]:
        """The parsed answer and its bytes exactly as received (to store a download as is)."""
        response = self._send("POST", url, json=body)
        return self._json(response), response.content

    def _send(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.exceptions.RetryError as exc:
            raise FetchError(
                f"gave up after retries: {exc}", file=url, rule="http-retries"
            ) from exc
        except requests.exceptions.RequestException as exc:
            if _timed_out(exc):
                raise FetchError(
                    f"no answer within {self.timeout:g} s (also after the retries)",
                    file=url,
                    rule="http-timeout",
                ) from exc
            raise FetchError(
                f"request failed: {type(exc).__name__}: {exc}", file=url, rule="http-connection"
            ) from exc
        if response.status_code >= 400:
            raise FetchError(
                f"HTTP {response.status_code} {response.reason}: {response.text[:200].strip()}",
                file=response.url,
                rule=f"http-{response.status_code}",
            )
        return response

    @staticmethod
    def _json(response: requests.Response) -> Any:
        try:
            return response.json()
        except ValueError as exc:
            raise FetchError(
                f"response is not JSON ({response.headers.get('Content-Type', '?')})",
                file=response.url,
                rule="http-json",
            ) from exc

    def close(self) -> None:
        self.session.close()


def _timed_out(exc: requests.exceptions.RequestException) -> bool:
    """A connect or read timeout, also when urllib3 reports it as its last retry's reason."""
    if isinstance(exc, requests.exceptions.Timeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, TimeoutError | ReadTimeoutError | ConnectTimeoutError)
