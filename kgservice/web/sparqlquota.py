"""Each client's fair share of the SPARQL worker pool: concurrency and query time per minute.

The pool (:mod:`kgservice.web.sparqlworker`) has a few workers, and a heavy query holds one for up
to the query time limit. Without shares, one client sending six heavy queries at once holds every
worker and the waiting room, and everybody else's cheap ``ASK`` is refused. So every free-form
query is charged to a client (:func:`client_id`) and admitted by :class:`QueryQuota`:

* **Concurrency**: at most ``running`` queries of a client hold or ask for a worker at once, and
  at most ``waiting`` more wait (up to ``wait_s``) for one of those to finish; anything beyond is
  refused at once with **429** ``query-concurrency-limited``. ``running`` is kept below the pool
  size (checked in :class:`kgservice.config.Settings`), so one client always leaves a worker free.
* **Budget**: the worker time a client used in the sliding window (``window_s``, a minute) —
  finished queries and the time so far of running ones, each counted by its overlap with the
  window — must be below ``budget_s`` for a new query to start; otherwise **429**
  ``query-rate-limited``.
* ``Retry-After`` is the number of whole seconds until what refused the request frees — the
  client's slot (for ``query-concurrency-limited``) or its budget (``query-rate-limited``) — if it
  sends nothing else meanwhile, assuming its running queries run to the time limit (an upper
  bound: either may free earlier).
* Queries admitted are handed to the pool with a *priority*, the client's recent usage: when
  several wait for a worker, the one whose client used least goes first.

State is in memory, per web process, under one lock; a client idle for a whole window (nothing
running, nothing in the window) is forgotten, and at most ``MAX_INTERVALS`` time records are kept
per client (older ones are merged into later ones, so a client is never under-charged).
"""

from __future__ import annotations

import ipaddress
import itertools
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import Request

from kgservice.config import Settings
from kgservice.errors import QueryLimited

#: The sliding window of the time budget, in seconds.
WINDOW_S = 60.0
#: How long a client's extra query may wait for its own running one to finish.
WAIT_S = 5.0
#: Time records kept per client; beyond this the oldest two are merged (usage moves later).
MAX_INTERVALS = 64


def client_id(req: Request) -> str:
    """The client a free-form query is charged to.

    Today the client's address (``remote_addr``, which is the real client behind a reverse proxy
    when ``KG_TRUSTED_PROXIES`` is set); an IPv6 client by its /64 network, as one host usually
    has a whole /64 to pick addresses from. When the API gets tokens, a token's id goes here
    first (``"token:<id>"``), so a token holder has one share wherever it connects from.
    """
    addr = req.remote_addr or ""
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return "addr:" + (addr or "unknown")
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return f"addr:{ip.ipv4_mapped}"
        return f"addr:{ipaddress.IPv6Network((ip, 64), strict=False)}"
    return f"addr:{ip}"


@dataclass
class _Active:
    admitted: float
    started: float | None = None


@dataclass
class _Client:
    active: dict[int, _Active] = field(default_factory=dict)
    queued: int = 0
    #: (start, end) of finished queries that may still overlap the window, oldest first.
    used: list[tuple[float, float]] = field(default_factory=list)
    last_seen: float = 0.0

    def idle(self) -> bool:
        return not self.active and not self.queued


@dataclass
class Slot:
    """A query admitted for a client; call :meth:`start` when it gets a worker."""

    priority: float
    start: Callable[[], None]


class QueryQuota:
    """Admission of free-form queries per client (see the module docstring)."""

    def __init__(
        self,
        *,
        running: int,
        waiting: int,
        budget_s: float,
        query_timeout_s: float,
        window_s: float = WINDOW_S,
        wait_s: float = WAIT_S,
        clock: Callable[[], float] = time.monotonic,
        max_clients: int = 100_000,
    ) -> None:
        self.running = running
        self.waiting = waiting
        #: Worker seconds per window; 0 turns the budget off.
        self.budget_s = budget_s
        self.query_timeout_s = query_timeout_s
        self.window_s = window_s
        self.wait_s = wait_s
        self.clock = clock
        self.max_clients = max_clients
        self._cond = threading.Condition()
        self._clients: OrderedDict[str, _Client] = OrderedDict()
        self._ids = itertools.count()

    @classmethod
    def from_settings(cls, settings: Settings) -> QueryQuota:
        return cls(
            running=settings.query_client_running,
            waiting=settings.query_client_waiting,
            budget_s=settings.query_client_budget_s,
            query_timeout_s=settings.query_timeout_s,
        )

    # -- admission -----------------------------------------------------------------------------
    @contextmanager
    def slot(self, client: str) -> Iterator[Slot]:
        """Admit one query of ``client`` (or raise :class:`QueryLimited`) for the ``with`` body."""
        key = next(self._ids)
        with self._cond:
            now = self.clock()
            c = self._client(client, now)
            self._check_budget(c, now)
            if len(c.active) >= self.running:
                if c.queued >= self.waiting:
                    raise self._concurrency_refusal(c, now, waited=False)
                c.queued += 1
                try:
                    deadline = time.monotonic() + self.wait_s
                    while len(c.active) >= self.running:
                        remaining = deadline - time.monotonic()
                        if remaining <= 0:
                            raise self._concurrency_refusal(c, self.clock(), waited=True)
                        self._cond.wait(remaining)
                finally:
                    c.queued -= 1
                now = self.clock()
                self._check_budget(c, now)  # the query it waited for may have used it up
            active = c.active[key] = _Active(admitted=now)
            priority = self._usage(c, now)

        def start() -> None:
            with self._cond:
                active.started = self.clock()

        try:
            yield Slot(priority=priority, start=start)
        finally:
            with self._cond:
                now = self.clock()
                del c.active[key]
                if active.started is not None:
                    c.used.append((active.started, now))
                    self._trim(c, now)
                c.last_seen = now
                self._clients.move_to_end(client)
                self._cond.notify_all()

    def usage(self, client: str) -> float:
        """Worker seconds ``client`` used in the current window (running queries included)."""
        with self._cond:
            c = self._clients.get(client)
            return self._usage(c, self.clock()) if c else 0.0

    def in_flight(self, client: str) -> tuple[int, int]:
        """(queries holding or asking for a worker, queries waiting for those) of ``client``."""
        with self._cond:
            c = self._clients.get(client)
            return (len(c.active), c.queued) if c else (0, 0)

    def holding(self, client: str) -> int:
        """Queries of ``client`` that hold a worker now."""
        with self._cond:
            c = self._clients.get(client)
            return sum(a.started is not None for a in c.active.values()) if c else 0

    def __len__(self) -> int:
        """Clients currently remembered."""
        with self._cond:
            return len(self._clients)

    # -- bookkeeping (under the lock) ----------------------------------------------------------
    def _client(self, client: str, now: float) -> _Client:
        self._forget_idle(now)
        c = self._clients.get(client)
        if c is None:
            c = self._clients[client] = _Client(last_seen=now)
        c.last_seen = now
        self._clients.move_to_end(client)
        return c

    def _forget_idle(self, now: float) -> None:
        """Drop clients idle for a whole window, least recently seen first (amortised O(1))."""
        while self._clients:
            name, c = next(iter(self._clients.items()))
            stale = c.idle() and c.last_seen <= now - self.window_s
            if not stale and not (len(self._clients) >= self.max_clients and c.idle()):
                return
            del self._clients[name]

    def _trim(self, c: _Client, now: float) -> None:
        c.used = [(s, e) for s, e in c.used if e > now - self.window_s]
        while len(c.used) > MAX_INTERVALS:
            (s1, e1), (s2, e2) = c.used[0], c.used[1]
            # The older interval's time is moved to just before the newer one's end.
            c.used[0:2] = [(e2 - (e1 - s1) - (e2 - s2), e2)]

    def _intervals(self, c: _Client, now: float, *, project: bool) -> list[tuple[float, float]]:
        """Finished intervals, plus running queries: so far, or (``project``) to their limit."""
        spans = list(c.used)
        for a in c.active.values():
            if a.started is not None:
                spans.append((a.started, a.started + self.query_timeout_s if project else now))
            elif project:  # still asking the pool for a worker: it may wait, then run
                spans.append((now, a.admitted + self.wait_s + self.query_timeout_s))
        return spans

    def _usage(self, c: _Client, now: float) -> float:
        return _overlap(self._intervals(c, now, project=False), now, self.window_s)

    def _retry(self, c: _Client, now: float, *, budget: bool) -> int:
        """Whole seconds after which ``c`` has a free slot and (``budget``) budget left again,
        if it sends nothing else meanwhile.

        Running queries are assumed to run to the time limit, so this is an upper bound.
        """
        ends = [
            (a.started if a.started is not None else a.admitted + self.wait_s)
            + self.query_timeout_s
            for a in c.active.values()
        ]
        spans = self._intervals(c, now, project=True)
        budget = budget and self.budget_s > 0
        horizon = math.ceil(self.window_s + self.query_timeout_s + self.wait_s) + 1
        for d in range(1, horizon):
            at = now + d
            if sum(end > at for end in ends) < self.running and (
                not budget or _overlap(spans, at, self.window_s) < self.budget_s
            ):
                return d
        return horizon

    def _check_budget(self, c: _Client, now: float) -> None:
        if self.budget_s <= 0:
            return
        used = self._usage(c, now)
        if used < self.budget_s:
            return
        retry = self._retry(c, now, budget=True)
        raise QueryLimited(
            f"this client used {used:.1f} s of query time in the last {self.window_s:g} s; "
            f"the budget is {self.budget_s:g} s per {self.window_s:g} s. "
            f"Try again in {retry} s.",
            rule="query-rate-limited",
            retry_after_s=retry,
            limits={
                "budget_s": self.budget_s,
                "window_s": self.window_s,
                "used_s": round(used, 3),
            },
        )

    def _concurrency_refusal(self, c: _Client, now: float, *, waited: bool) -> QueryLimited:
        retry = self._retry(c, now, budget=False)
        how = f"waited {self.wait_s:g} s for a slot" if waited else "has no free slot"
        return QueryLimited(
            f"this client {how}: at most {self.running} query running and {self.waiting} "
            f"waiting per client. Try again in {retry} s.",
            rule="query-concurrency-limited",
            retry_after_s=retry,
            limits={"running_limit": self.running, "waiting_limit": self.waiting},
        )


def _overlap(spans: list[tuple[float, float]], at: float, window: float) -> float:
    """Seconds of ``spans`` inside the window ``(at - window, at]``."""
    lo = at - window
    return sum(max(0.0, min(end, at) - max(start, lo)) for start, end in spans)
