"""The last steps of a build beside ``persist``, on the second core, in a forked child process.

After the last step that changes the store, a build writes the staged (in-memory) store to its
directory with one bulk load (step ``persist``, the longest step), and the steps marked
``concurrent`` (``dump``, ``datacube-integrity``) only read the store. pyoxigraph's bulk load
holds the GIL, so a thread would wait for it; a forked process does not, and it sees the staged
store as it is at the fork (copy-on-write: nothing is copied or reloaded).

The child runs the concurrent steps in their order against a :class:`RecordingStore`: their one
kind of write, a whole graph replaced (the dump's description in ``graph/dump``), goes into the
child's copy, so the next step sees it, and is recorded. The child sends back, through a pipe,
each step's :class:`StepReport` and the recorded graphs, or the error that stopped it (a
:class:`KgError` such as a broken Data Cube IC is re-raised in the parent as it was, so the build
fails and the served store is untouched), then leaves with ``os._exit`` (no ``atexit`` handlers,
no flush of the parent's buffers, no destructor of a store the parent owns). The parent, once
``persist`` is done, writes the recorded graphs into the staged store and the persisted
directory: the built quads are the same as when the steps run one after another. The child
prints its steps through the build's ``echo`` like the parent, dies with the builder
(``PR_SET_PDEATHSIG``: a killed build leaves no orphan) and closes its copies of the build
lock's descriptor, so the lock still ends with the builder (:func:`swap.close_locks_in_child`).

When not to fork (the build reads the setting, :func:`can_fork` the rest): with
``KG_BUILD_PROCESSES=1`` (the overlap costs memory: the child's Data Cube copy beside
``persist``'s bulk loader); on one core (nothing to gain); where ``os.fork`` does not exist; and
in a process with more Python threads than the main one and tqdm's monitor (a web server, a test
process serving pages): a thread may hold a lock (logging, an import, a stream) at the fork,
which the child would then wait for forever. There the steps run one after another, before
``persist``. A build for a remote endpoint has no ``persist`` to overlap and always runs
sequentially; a write on ``/graphs`` runs the derived steps itself
(:mod:`kgservice.pipeline.graphwrite`), sequentially.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path

from pyoxigraph import RdfFormat

from kgservice.config import Settings
from kgservice.errors import BuildError, KgError
from kgservice.pipeline import swap
from kgservice.pipeline.steps import Step, StepReport
from kgservice.store.base import BinaryOutput, Bindings, Row, Store, to_bytes
from kgservice.store.embedded import EmbeddedStore

#: One graph a concurrent step replaced: its IRI, its data and their format's media type (an
#: ``RdfFormat`` does not pickle).
GraphWrite = tuple[str, bytes, str]


#: prctl(2) option: the signal this process gets when its parent dies.
PR_SET_PDEATHSIG = 1


#: Threads that do not stop a fork: tqdm's monitor, which the first progress bar of a process
#: starts (the statistics step's, :mod:`kgservice.pipeline.lift`: so from the second build of a
#: process on) and which only wakes now and then to look at its bars; the child shows no
#: progress bar, so it never waits for that thread's lock.
HARMLESS_THREADS = frozenset({"tqdm_monitor"})


def can_fork() -> bool:
    """Whether the concurrent steps may run in a forked child here (see the module docstring)."""
    others = [
        t
        for t in threading.enumerate()
        if t is not threading.current_thread() and t.name not in HARMLESS_THREADS
    ]
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and not others


class RecordingStore(Store):
    """The staged store as a concurrent step sees it: reads go through, whole-graph
    replacements are applied and recorded, any other write is refused (a step that needs one is
    not ``concurrent``)."""

    def __init__(self, inner: EmbeddedStore) -> None:
        self.inner = inner
        self.path = inner.path
        self.base_iri = inner.base_iri
        self.writes: list[GraphWrite] = []

    def query(self, query: str, bindings: Bindings | None = None) -> list[Row] | bool:
        return self.inner.query(query, bindings)

    def construct(self, query: str, bindings: Bindings | None = None):
        return self.inner.construct(query, bindings)

    def query_serialized(self, *args, **kwargs):
        return self.inner.query_serialized(*args, **kwargs)

    def graphs(self) -> list[str]:
        return self.inner.graphs()

    def dump(self, fmt: RdfFormat, graph: str | None = None) -> bytes:
        return self.inner.dump(fmt, graph)

    def dump_to(self, output: BinaryOutput, fmt: RdfFormat, graph: str | None = None) -> None:
        self.inner.dump_to(output, fmt, graph)

    def replace_graph(self, graph: str, data: bytes | Path, fmt: RdfFormat) -> None:
        data = to_bytes(data)
        self.inner.replace_graph(graph, data, fmt)
        self.writes.append((graph, data, fmt.media_type))

    def update(self, update: str) -> None:
        raise self._refused("update")

    def load(self, data, fmt, graph=None) -> None:
        raise self._refused("load")

    def bulk_load(self, data, fmt, graph=None, *, lenient=False) -> None:
        raise self._refused("bulk_load")

    def drop_graph(self, graph: str) -> None:
        raise self._refused("drop_graph")

    @staticmethod
    def _refused(what: str) -> BuildError:
        return BuildError(
            f"a concurrent build step may only replace whole graphs, not {what}",
            rule="concurrent-step",
        )


def run_beside(
    settings: Settings,
    store: EmbeddedStore,
    steps: list[Step],
    main: Callable[[], None],
    echo: Callable[[str], None] | None = None,
) -> tuple[list[StepReport], list[tuple[str, bytes, RdfFormat]]]:
    """``steps`` in a forked child while ``main()`` runs here; their reports and the graphs
    they replaced. Raises the child's error (after ``main`` is done) if a step failed."""
    for stream in (sys.stdout, sys.stderr):  # nothing buffered twice
        stream.flush()
    parent = os.getpid()
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_fd)
        _child(settings, store, steps, write_fd, parent, echo)
    os.close(write_fd)
    reaped = False
    try:
        with os.fdopen(read_fd, "rb") as pipe:
            main()
            payload = pipe.read()
        os.waitpid(pid, 0)
        reaped = True
    finally:
        if not reaped:  # main() failed: the child's work is of no use
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
    if not payload:
        raise BuildError("the concurrent build steps stopped without a result", rule="build")
    kind, result = pickle.loads(payload)
    if kind == "error":
        raise result
    reports, writes = result
    return reports, [(graph, data, _format(media_type)) for graph, data, media_type in writes]


def _format(media_type: str) -> RdfFormat:
    fmt = RdfFormat.from_media_type(media_type)
    if fmt is None:
        raise BuildError(f"unknown RDF media type {media_type!r}", rule="build")
    return fmt


def _error_payload(exc: BaseException) -> bytes:
    """A :class:`KgError` as it is (the parent re-raises it), anything else as a
    :class:`BuildError` naming it."""
    if isinstance(exc, KgError):
        try:
            return pickle.dumps(("error", exc))
        except Exception:  # noqa: BLE001 - an unpicklable detail: keep the text
            return pickle.dumps(("error", BuildError(exc.message, file=exc.file, rule=exc.rule)))
    detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return pickle.dumps(("error", BuildError(f"build failed: {detail}", rule="build")))


def _die_with(parent: int) -> None:
    """The child ends when the builder does (Linux ``PR_SET_PDEATHSIG``): a killed build leaves
    no orphan computing on."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the builder died before that
        os._exit(1)


def _child(
    settings: Settings,
    store: EmbeddedStore,
    steps: list[Step],
    fd: int,
    parent: int,
    echo: Callable[[str], None] | None,
) -> None:
    code = 0
    try:
        _die_with(parent)
        swap.close_locks_in_child()
        recording = RecordingStore(store)
        reports: list[StepReport] = []
        for step in steps:
            if echo:
                echo(f"→ {step.name} (beside persist)")
            report = StepReport(step.name)
            t0 = time.perf_counter()
            step.run(settings, recording, report)
            report.seconds = time.perf_counter() - t0
            report.notes.append("ran beside persist")
            reports.append(report)
        payload = pickle.dumps(("ok", (reports, recording.writes)))
    except BaseException as exc:  # noqa: BLE001 - every failure goes to the parent
        payload = _error_payload(exc)
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(payload)
        for stream in (sys.stdout, sys.stderr):  # what echo printed here
            stream.flush()
    except BaseException:  # noqa: BLE001 - the parent reports the missing result
        code = 1
    os._exit(code)
