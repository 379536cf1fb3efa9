"""The small fixture vocabulary of the web tests, loaded as a build step (imported by tests)."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import RdfFormat, serialize

from kgservice.config import Settings
from kgservice.iris import rebase
from kgservice.pipeline.steps import StepReport
from kgservice.sources.rdf import read_quads
from kgservice.store.embedded import EmbeddedStore

FIXTURE = Path(__file__).parent / "fixtures" / "vocab.trig"


def load_fixture(settings: Settings, store: EmbeddedStore, report: StepReport) -> None:
    """Every quad of ``fixtures/vocab.trig``, rebased to the settings' base IRI."""
    quads = list(rebase(read_quads(FIXTURE), settings))
    store.bulk_load(serialize(quads, format=RdfFormat.N_QUADS) or b"", RdfFormat.N_QUADS)
    report.rows_loaded = len(quads)
