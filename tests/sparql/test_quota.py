"""Per-client shares of the query workers (kgservice/web/sparqlquota.py), on a clock the test moves.

Time here is a :class:`ManualClock`: nothing sleeps to let a window pass. Only the wait for a
client's own running query uses real time (a fraction of a second).
"""

from __future__ import annotations

import threading
import time

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from kgservice.config import Settings
from kgservice.errors import ConfigError, QueryLimited
from kgservice.web.sparqlquota import MAX_INTERVALS, QueryQuota, client_id

TIMEOUT_S = 30.0


class ManualClock:
    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def quota(clock: ManualClock, **changes: float) -> QueryQuota:
    options = {"running": 1, "waiting": 0, "budget_s": 10.0, "query_timeout_s": TIMEOUT_S}
    options.update(changes)
    return QueryQuota(clock=clock, **options)  # type: ignore[arg-type]


def run(q: QueryQuota, clock: ManualClock, client: str, seconds: float) -> None:
    """One query of ``client`` that holds a worker for ``seconds`` of the clock."""
    with q.slot(client) as slot:
        slot.start()
        clock.now += seconds


def refusal(q: QueryQuota, client: str) -> QueryLimited:
    with pytest.raises(QueryLimited) as caught:
        with q.slot(client):
            pass
    return caught.value


def test_a_second_concurrent_query_of_a_client_is_refused_with_the_seconds_to_its_slot():
    clock = ManualClock()
    q = quota(clock)
    with q.slot("a") as slot:
        slot.start()
        clock.now += 4
        refused = refusal(q, "a")
    assert refused.status == 429
    assert refused.rule == "query-concurrency-limited"
    assert refused.retry_after_s == TIMEOUT_S - 4  # the running query ends by its limit
    problem = refused.problem()
    assert problem["retry_after"] == 26
    assert (problem["running_limit"], problem["waiting_limit"]) == (1, 0)


def test_another_client_is_admitted_while_one_is_at_its_limit():
    clock = ManualClock()
    q = quota(clock)
    with q.slot("a") as a:
        a.start()
        with q.slot("b") as b:
            b.start()
            assert q.in_flight("a") == (1, 0)
            assert q.in_flight("b") == (1, 0)


def test_the_waiting_query_runs_when_the_first_ends_and_a_third_is_refused_at_once():
    clock = ManualClock()
    q = quota(clock, waiting=1, wait_s=10.0)
    order: list[str] = []
    first = q.slot("a")
    first.__enter__().start()

    def second() -> None:
        with q.slot("a") as slot:
            slot.start()
            order.append("second ran")

    t = threading.Thread(target=second)
    t.start()
    deadline = time.monotonic() + 5
    while q.in_flight("a") != (1, 1) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert q.in_flight("a") == (1, 1)
    started = time.monotonic()
    third = refusal(q, "a")
    assert time.monotonic() - started < 1.0  # refused at once, not after a wait
    assert third.rule == "query-concurrency-limited"
    assert order == []
    first.__exit__(None, None, None)
    t.join(5)
    assert order == ["second ran"]
    assert q.in_flight("a") == (0, 0)


def test_a_waiting_query_is_refused_after_the_wait_with_the_seconds_to_a_slot():
    clock = ManualClock()
    q = quota(clock, waiting=1, wait_s=0.2)
    with q.slot("a") as slot:
        slot.start()
        clock.now += 5
        refused = refusal(q, "a")
    assert refused.rule == "query-concurrency-limited"
    assert "waited 0.2 s" in refused.message
    assert refused.retry_after_s == TIMEOUT_S - 5


def test_a_client_over_its_budget_is_refused_until_the_window_has_moved_past_it():
    """12 s used from t=0 against 10 s per 60 s: the overlap of [0, 12] with (t-60, t] drops
    below 10 only after t=62, so at t=12 Retry-After is 51 (t=63)."""
    clock = ManualClock(0.0)
    q = quota(clock)
    run(q, clock, "a", 12)
    refused = refusal(q, "a")
    assert refused.rule == "query-rate-limited"
    assert refused.retry_after_s == 51
    assert refused.problem()["used_s"] == 12
    assert (refused.problem()["budget_s"], refused.problem()["window_s"]) == (10, 60)
    clock.now = 12 + 50
    assert refusal(q, "a").retry_after_s == 1
    clock.now = 12 + 51
    with q.slot("a"):
        pass
    assert q.usage("a") == pytest.approx(9)


def test_the_budget_counts_a_running_query_so_far():
    clock = ManualClock(0.0)
    q = quota(clock, running=2)
    with q.slot("a") as slot:
        slot.start()
        clock.now += 11
        refused = refusal(q, "a")
    assert refused.rule == "query-rate-limited"
    # running until its limit (t=30), it would leave the window below 10 s at t=81
    assert refused.retry_after_s == 81 - 11


def test_the_budget_is_per_client():
    clock = ManualClock(0.0)
    q = quota(clock)
    run(q, clock, "a", 12)
    assert refusal(q, "a").rule == "query-rate-limited"
    with q.slot("b"):
        pass


def test_a_budget_of_zero_is_no_budget():
    clock = ManualClock(0.0)
    q = quota(clock, budget_s=0)
    for _ in range(5):
        run(q, clock, "a", 30)
    with q.slot("a"):
        pass


def test_waiting_for_a_worker_is_not_charged_only_the_time_on_it():
    clock = ManualClock(0.0)
    q = quota(clock)
    with q.slot("a") as slot:
        clock.now += 20  # asking the pool for a worker
        slot.start()
        clock.now += 2
    assert q.usage("a") == pytest.approx(2)


def test_the_priority_is_the_clients_recent_usage():
    clock = ManualClock(0.0)
    q = quota(clock)
    run(q, clock, "heavy", 8)
    with q.slot("heavy") as heavy, q.slot("light") as light:
        assert heavy.priority == pytest.approx(8)
        assert light.priority == 0


def test_idle_clients_are_forgotten_after_a_window():
    clock = ManualClock(0.0)
    q = quota(clock)
    for i in range(1000):
        run(q, clock, f"client-{i}", 0.001)
    assert len(q) == 1000
    clock.now += 61
    run(q, clock, "new", 0.001)
    assert len(q) == 1


def test_many_short_queries_keep_a_bounded_record_and_are_fully_charged():
    clock = ManualClock(0.0)
    q = quota(clock, budget_s=100)
    for _ in range(2000):
        run(q, clock, "a", 0.01)
        clock.now += 0.01
    record = q._clients["a"].used
    assert len(record) <= MAX_INTERVALS
    # 2 000 queries of 0.01 s over 40 s: all 20 s are inside the window, none is lost
    assert q.usage("a") == pytest.approx(20, abs=1e-6)


def test_a_client_at_its_limit_holds_no_lock_others_need():
    clock = ManualClock()
    q = quota(clock, waiting=1, wait_s=2.0)
    first = q.slot("a")
    first.__enter__()

    def second() -> None:
        with q.slot("a"):  # waits (up to 2 s) for the first to end
            pass

    t = threading.Thread(target=second)
    t.start()
    deadline = time.monotonic() + 5
    while q.in_flight("a") != (1, 1) and time.monotonic() < deadline:
        time.sleep(0.01)
    started = time.monotonic()
    with q.slot("b"):
        pass
    assert time.monotonic() - started < 0.5
    assert q.in_flight("a") == (1, 1)  # still waiting meanwhile
    first.__exit__(None, None, None)
    t.join(5)
    assert q.in_flight("a") == (0, 0)


@pytest.mark.parametrize(
    ("addr", "client"),
    [
        ("192.0.2.7", "addr:192.0.2.7"),
        ("2001:db8:1:2:aaaa::1", "addr:2001:db8:1:2::/64"),
        ("2001:db8:1:2:bbbb::9", "addr:2001:db8:1:2::/64"),
        ("::ffff:192.0.2.7", "addr:192.0.2.7"),
        (None, "addr:unknown"),
    ],
)
def test_clients_are_told_apart_by_address_and_ipv6_by_its_64_network(addr, client):
    environ = EnvironBuilder().get_environ()
    if addr is None:
        environ.pop("REMOTE_ADDR", None)
    else:
        environ["REMOTE_ADDR"] = addr
    assert client_id(Request(environ)) == client


def test_a_per_client_limit_that_could_take_every_worker_is_a_configuration_error():
    with pytest.raises(ConfigError) as caught:
        Settings.from_env({"KG_QUERY_WORKERS": "3", "KG_QUERY_CLIENT_RUNNING": "3"})
    assert caught.value.rule == "config-query-client-running"
    assert "between 1 and 2" in caught.value.message
    s = Settings.from_env(
        {
            "KG_QUERY_WORKERS": "4",
            "KG_QUERY_CLIENT_RUNNING": "3",
            "KG_QUERY_CLIENT_WAITING": "0",
            "KG_QUERY_CLIENT_BUDGET": "120",
        }
    )
    assert (s.query_workers, s.query_client_running, s.query_client_waiting) == (4, 3, 0)
    assert s.query_client_budget_s == 120
    with pytest.raises(ConfigError):
        Settings.from_env({"KG_QUERY_CLIENT_BUDGET": "lots"})
