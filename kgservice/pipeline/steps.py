"""The step protocol of ``kgservice build`` and its reports: one type for every step.

A build is a list of :class:`Step` objects run in order against a new, empty store; each step's
``run(settings, store, report)`` loads its own named graphs and counts what it did in its
:class:`StepReport`. The steps are defined in this package (:mod:`.build`, :mod:`.lift`,
:mod:`.sosmeta`); the layers below them offer plain functions and know nothing of builds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kgservice.config import Settings
from kgservice.store.base import Store


@dataclass
class StepReport:
    """What one step did: rows read, loaded and quarantined, and notes for the summary."""

    name: str
    seconds: float = 0.0
    rows_in: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    notes: list[str] = field(default_factory=list)


#: A step's work: loads named graphs into the store, counts into the report.
StepRun = Callable[[Settings, Store, StepReport], None]


@dataclass(frozen=True)
class Step:
    """One build step, named in the build summary.

    ``concurrent``: the step only reads the store, apart from replacing whole graphs, so when it
    comes after the last step that changes the store it may run beside ``persist`` in a forked
    process (:mod:`kgservice.pipeline.overlap`)."""

    name: str
    run: StepRun
    concurrent: bool = False


@dataclass
class BuildReport:
    """A whole build: the finished store directory (``None`` for a remote store), each step's
    report, the triples per graph and the wall time."""

    store_dir: Path | None
    steps: list[StepReport] = field(default_factory=list)
    graphs: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    #: The steps that ran beside ``persist`` in a forked process (empty: one after another).
    overlapped: list[str] = field(default_factory=list)
