"""The production HTTP server: waitress set up so that idle or slow sockets cannot stall it.

waitress reads every request in one event loop and hands only *complete* requests to its worker
threads, so a connection that sends nothing, or half a header, costs a socket and no thread. What
stalls it is its defaults: it stops accepting at 100 open connections and keeps a silent one for
120 s. :func:`waitress_options` turns the settings (``KG_CONNECTION_LIMIT``, ``KG_IDLE_TIMEOUT``,
``KG_MAX_REQUEST_HEADER_SIZE``, ``KG_MAX_REQUEST_BODY_SIZE``, ``KG_THREADS``) into waitress's
adjustments; :func:`fit_fd_limit` makes room for that many sockets in the process's file limit.
waitress's idle timeout restarts with every byte, so a client trickling a header slowly would keep
its connection for ever: :func:`create_server` adds a deadline for reading a whole request
(``KG_REQUEST_READ_TIMEOUT``). ``docs/operators.md`` ("In short", then in detail) says why
each one matters.
"""

from __future__ import annotations

import resource
import weakref
from dataclasses import dataclass
from typing import Any

from kgservice.config import Settings

#: File descriptors the process needs besides client connections: the embedded store's files
#: (RocksDB keeps many open), the SPARQL workers' pipes, the listening socket, logs.
FD_RESERVE = 512


@dataclass(frozen=True)
class FdLimit:
    """The outcome of :func:`fit_fd_limit`."""

    before: int
    after: int
    hard: int
    #: The connection limit that fits into ``after`` (the requested one when it fits).
    connection_limit: int


def fit_fd_limit(connection_limit: int) -> FdLimit:
    """Raise the soft ``RLIMIT_NOFILE`` so ``connection_limit`` sockets fit, up to the hard limit.

    When even the hard limit is too low, the connection limit that fits is returned instead (the
    caller warns): accepting sockets the process cannot open would fail in the event loop.
    """
    infinity = resource.RLIM_INFINITY
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connection_limit + FD_RESERVE
    after = soft
    if soft != infinity and soft < wanted:
        after = wanted if hard == infinity else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (after, hard))
    fits = connection_limit
    if after != infinity and after < wanted:
        fits = max(1, after - FD_RESERVE)
    return FdLimit(before=soft, after=after, hard=hard, connection_limit=fits)


def waitress_options(settings: Settings) -> dict[str, Any]:
    """waitress adjustments for ``settings`` (see the module docstring)."""
    return {
        "host": settings.host,
        "port": settings.port,
        "threads": settings.threads,
        "connection_limit": settings.connection_limit,
        # A connection with no request in progress and nothing received for this long is closed:
        # idle keep-alive connections and half-sent requests alike (waitress's "channel timeout").
        "channel_timeout": settings.idle_timeout_s,
        # How often that (and the read deadline) is checked; the default 30 s would let a short
        # timeout run long.
        "cleanup_interval": max(
            1, min(30, settings.idle_timeout_s // 3, settings.request_read_timeout_s // 3)
        ),
        "max_request_header_size": settings.max_request_header_bytes,
        # The app answers bodies over the limit with 413 problem+json (MAX_CONTENT_LENGTH); the
        # server stops reading at twice the limit, so the bound holds even without the app's check.
        "max_request_body_size": 2 * settings.max_request_body_bytes,
        # X-Forwarded-* headers reach the app (and its ProxyFix, see create_app) only when
        # KG_TRUSTED_PROXIES says a proxy sets them; otherwise waitress drops them.
        "clear_untrusted_proxy_headers": settings.trusted_proxies == 0,
        # No "Server: waitress" header, no version in error pages.
        "ident": "",
        # poll() rather than select(): select() cannot watch a socket numbered 1024 or above.
        "asyncore_use_poll": True,
    }


class _ReadDeadline:
    """Wraps a waitress server's periodic ``maintenance``: a connection whose current request has
    not fully arrived ``timeout_s`` after it was first seen in progress is closed.

    waitress offers no such limit; this relies on its channel attributes ``request`` (the parser
    of the request being read, ``completed`` once whole) and ``will_close`` (close at the next
    turn of the event loop), which waitress's own idle timeout uses the same way.
    """

    def __init__(self, server: Any, timeout_s: int) -> None:
        self.server = server
        self.timeout_s = timeout_s
        self.idle_maintenance = server.maintenance
        #: request parser → when it was first seen unfinished (forgotten with the parser)
        self.first_seen: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()

    def __call__(self, now: float) -> None:
        self.idle_maintenance(now)
        cutoff = now - self.timeout_s
        for channel in list(self.server.active_channels.values()):
            request = channel.request
            if request is None or request.completed:
                continue
            if self.first_seen.setdefault(request, now) < cutoff:
                channel.will_close = True


def create_server(app: Any, settings: Settings) -> Any:
    """A waitress server for ``app`` with :func:`waitress_options` and the request read deadline."""
    import waitress
    from waitress.server import BaseWSGIServer

    server = waitress.create_server(app, **waitress_options(settings))
    # one listening server, or several (a host name with IPv4 and IPv6 addresses) in one map
    listeners = [server] if isinstance(server, BaseWSGIServer) else list(server.map.values())
    for listener in listeners:
        if isinstance(listener, BaseWSGIServer):
            listener.maintenance = _ReadDeadline(  # type: ignore[method-assign]
                listener, settings.request_read_timeout_s
            )
    return server


def serve(app: Any, settings: Settings) -> None:
    """Serve ``app`` until interrupted (``kgservice serve``)."""
    server = create_server(app, settings)
    server.print_listen("Serving on http://{}:{}")
    server.run()
