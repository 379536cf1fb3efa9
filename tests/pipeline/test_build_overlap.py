"""The build's read-only last steps (dump, Data Cube ICs) beside ``persist`` in a forked process:
the same store as when they run one after another, their failures fail the build."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from pyoxigraph import Dataset, NamedNode, RdfFormat, parse

from kgservice.errors import KgError
from kgservice.pipeline.build import build, datacube_integrity, default_steps, load_ontology
from kgservice.pipeline.dump import as_quads, dump_graph, dump_step
from kgservice.pipeline.steps import Step
from kgservice.store.served import DUMP_FILE, served_dir

DCAT = "http://www.w3.org/ns/dcat#"
CUBE = "conformance/datacube-ic/testdata/abbrv-cube.ttl"
BROKEN = "conformance/datacube-ic/testdata/missing-measure-on-obs.ttl"


def steps_with(cube, *concurrent_extra: Step) -> list[Step]:
    """Ontology and one W3C test cube, then the build's own dump and IC steps."""

    def load_cube(settings, store, report):
        store.load(cube, RdfFormat.TURTLE, "https://rake-kg.example/graph/source/cube")

    return [
        Step("ontology", load_ontology),
        Step("cube", load_cube),
        Step("dump", dump_step, concurrent=True),
        *concurrent_extra,
        Step("datacube-integrity", datacube_integrity, concurrent=True),
    ]


def canonical_quads(directory) -> set[str]:
    """The store's quads with canonical blank-node labels (RDFC-1.0), the dump's byte size
    left out (the dump holds each build's own blank-node labels)."""
    from pyoxigraph import CanonicalizationAlgorithm
    from pyoxigraph import Store as OxStore

    store = OxStore.read_only(str(directory))
    dataset = Dataset(q for q in store if q.predicate.value != DCAT + "byteSize")
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    return {str(q) for q in dataset}


def byte_size(directory, settings) -> int:
    from pyoxigraph import Store as OxStore

    store = OxStore.read_only(str(directory))
    graph = NamedNode(dump_graph(settings))
    (size,) = [q.object.value for q in store if q.graph_name == graph and "byteSize" in str(q)]
    return int(size)


def test_dump_and_integrity_are_the_read_only_steps_that_end_the_build():
    steps = default_steps()
    assert [s.name for s in steps if s.concurrent] == ["dump", "datacube-integrity"]
    assert [s.concurrent for s in steps[-2:]] == [True, True]


def test_the_steps_beside_persist_build_the_same_store_as_in_order(settings_factory, shared_dir):
    in_order, beside = settings_factory(), settings_factory()
    steps = steps_with(shared_dir / CUBE)
    sequential = build(in_order, steps=steps, overlap=False)
    overlapped = build(beside, steps=steps, overlap=True)
    assert sequential.overlapped == []
    assert overlapped.overlapped == ["dump", "datacube-integrity"]
    # each step still reported on its own, in the documented order, persist last
    assert [s.name for s in overlapped.steps] == [s.name for s in sequential.steps]
    assert [s.name for s in overlapped.steps][-3:] == ["dump", "datacube-integrity", "persist"]
    assert all(s.seconds > 0 for s in overlapped.steps)
    assert canonical_quads(served_dir(beside)) == canonical_quads(served_dir(in_order))
    # the dump's description (written by the child, replayed by the parent) is the served file's
    assert byte_size(served_dir(beside), beside) == (served_dir(beside) / DUMP_FILE).stat().st_size
    assert overlapped.graphs == sequential.graphs


def test_one_build_process_runs_every_step_in_order(settings_factory, shared_dir):
    settings = settings_factory(build_processes=1)
    report = build(settings, steps=steps_with(shared_dir / CUBE))
    assert report.overlapped == []
    assert [s.name for s in report.steps][-3:] == ["dump", "datacube-integrity", "persist"]
    assert all("beside persist" not in note for s in report.steps for note in s.notes)


def test_the_dump_written_beside_persist_holds_every_public_quad(settings_factory, shared_dir):
    settings = settings_factory()
    build(settings, steps=steps_with(shared_dir / CUBE), overlap=True)
    directory = served_dir(settings)
    dumped = set(parse(gzip.decompress((directory / DUMP_FILE).read_bytes()), RdfFormat.N_QUADS))
    from pyoxigraph import Store as OxStore

    stored = {
        q for q in OxStore.read_only(str(directory)) if q.graph_name.value != dump_graph(settings)
    }
    assert len(dumped) == len(stored)
    assert {str(q.graph_name) for q in dumped} == {str(q.graph_name) for q in stored}


def test_a_broken_cube_found_beside_persist_fails_the_build_and_the_old_store_serves(
    settings_factory, shared_dir
):
    settings = settings_factory()
    good = build(settings, steps=steps_with(shared_dir / CUBE), overlap=True)
    builds_before = sorted(p.name for p in good.store_dir.parent.iterdir())
    with pytest.raises(KgError) as info:
        build(settings, steps=steps_with(shared_dir / BROKEN), overlap=True)
    assert info.value.rule == "datacube-ic"  # the child's own error, re-raised as it was
    assert "[IC-" in info.value.message
    assert served_dir(settings) == good.store_dir.resolve()
    assert sorted(p.name for p in good.store_dir.parent.iterdir()) == builds_before


def test_a_concurrent_step_that_writes_more_than_whole_graphs_fails_the_build(
    settings_factory, shared_dir
):
    def sneaky(settings, store, report):
        store.load(b"<urn:a> <urn:b> <urn:c> .\n", RdfFormat.N_TRIPLES, "urn:g")

    settings = settings_factory()
    with pytest.raises(KgError) as info:
        build(
            settings,
            steps=steps_with(shared_dir / CUBE, Step("sneaky", sneaky, True)),
            overlap=True,
        )
    assert info.value.rule == "concurrent-step"
    assert "load" in info.value.message


def test_an_unexpected_error_in_the_child_names_it_and_fails_the_build(
    settings_factory, shared_dir
):
    def broken(settings, store, report):
        raise ZeroDivisionError("no such ratio")

    settings = settings_factory()
    with pytest.raises(KgError) as info:
        build(
            settings,
            steps=steps_with(shared_dir / CUBE, Step("broken", broken, True)),
            overlap=True,
        )
    assert "ZeroDivisionError: no such ratio" in info.value.message


@pytest.mark.parametrize("cut", [1, 7, 40, 41, 42, 100])
def test_the_dump_stream_rewrites_lines_cut_anywhere_between_chunks(cut):
    from kgservice.pipeline.dump import GraphQuads

    class Sink:
        data = b""

        def write(self, b):
            self.data += b
            return len(b)

        def flush(self):
            pass

    ntriples = b"".join(
        f'<urn:s{i}> <urn:p> "line {i}\\nwith a break" .\n'.encode() for i in range(20)
    )
    sink = Sink()
    stream = GraphQuads(sink, "urn:g")
    for start in range(0, len(ntriples), cut):
        stream.write(ntriples[start : start + cut])
    stream.finish()
    assert sink.data == as_quads(ntriples, "urn:g")
    assert stream.quads == 20


#: A real build whose concurrent step says its pid and then waits to be killed.
WAITING_BUILDER = textwrap.dedent(
    """
    import os, time
    from kgservice.config import Settings
    from kgservice.pipeline.build import build, load_ontology
    from kgservice.pipeline.steps import Step

    def wait(settings, store, report):
        print("child", os.getpid(), flush=True)
        time.sleep(600)

    steps = [Step("ontology", load_ontology), Step("wait", wait, concurrent=True)]
    build(Settings.from_env(), steps=steps, overlap=True)
    """
)


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (nobody may reap an orphan in a container)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] in "ZX"
    except (FileNotFoundError, ProcessLookupError):
        return True


def test_a_killed_builder_takes_its_concurrent_child_with_it(settings_factory):
    settings = settings_factory()
    env = {**os.environ, "KG_VAR_DIR": str(settings.var_dir), "KG_STORE": str(settings.store_path)}
    proc = subprocess.Popen(
        [sys.executable, "-c", WAITING_BUILDER], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        line = proc.stdout.readline()  # type: ignore[union-attr]
        assert line.startswith("child "), line
        child = int(line.split()[1])
        assert child != proc.pid and not _gone(child)
    finally:
        proc.kill()
        proc.wait(timeout=30)
    deadline = time.monotonic() + 30
    while not _gone(child) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _gone(child)


def test_no_fork_while_another_thread_runs_but_tqdms_monitor_does_not_count():
    import threading

    from kgservice.pipeline import overlap

    def while_running(name: str) -> bool:
        stop = threading.Event()
        worker = threading.Thread(target=stop.wait, name=name)
        worker.start()
        try:
            return overlap.can_fork()
        finally:
            stop.set()
            worker.join()

    assert while_running("a-request-thread") is False
    assert while_running("tqdm_monitor") == overlap.can_fork()
