"""Read replicas: a finished build published as a dump, and loaded elsewhere to serve it.

A finished build is immutable, so serving scales by copying it. ``kgservice publish OUT_DIR``
copies the served build's public dump (``dump.nq.gz``, written by the build step ``dump``,
:mod:`kgservice.pipeline.dump`) byte for byte to ``OUT_DIR/<build id>.nq.gz`` and then writes
``OUT_DIR/manifest.json`` (atomically, last):

.. code-block:: json

    {"format": "rake-kg-replica/1", "build_id": "build-20261207T…", "built_at": 1796…,
     "created": "2026-12-07T15:02:11Z", "base_iri": "https://rake-kg.example/",
     "dump": {"file": "build-20261207T….nq.gz", "sha256": "…", "bytes": 2345678},
     "quads": 1234567, "graphs": {"https://…/graph/ontology/core": 4321, …}}

``kgservice serve --from-dump SOURCE`` (SOURCE: that directory, its ``manifest.json``, or the
same as an ``http(s)://`` URL) calls :func:`sync`: read the manifest, download the dump next to a
fresh build directory while hashing it, refuse it unless its SHA-256 and size match, bulk-load it
into a new embedded store, add the dump's description graph, compare every graph's triple count
with the manifest, and only then swap the build in (:mod:`kgservice.pipeline.swap`). The replica's
build directory has the published build id as its name and the origin's build time as its date,
so every replica gives the same ``ETag`` and ``Last-Modified`` as the others. A new build is
picked up by polling (``--follow``) or at once on ``SIGHUP``; the serving processes follow the
store link (:class:`kgservice.store.served.ServedStore`), so the switch costs no request.

The dump holds the public graphs only: client data (``graph/client/…``) never leaves the origin.
It holds the frozen releases too (``graph/release/…``): the replica moves them into its own release
store (:mod:`kgservice.store.releases`), never into the store it serves.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import re
import threading
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, cast

from pyoxigraph import RdfFormat, serialize

from kgservice.config import Settings
from kgservice.errors import BuildError, KgError
from kgservice.pipeline import dump, swap
from kgservice.store.embedded import EmbeddedStore
from kgservice.store.releases import frozen_graphs, move_frozen_graphs, release_store_path
from kgservice.store.served import DUMP_FILE, served_dir

FORMAT = "rake-kg-replica/1"
MANIFEST = "manifest.json"
#: What a build id may look like; anything else in a manifest is refused (it names a directory).
BUILD_ID = re.compile(r"build-[A-Za-z0-9][A-Za-z0-9._-]{0,120}")
#: Published dumps kept in OUT_DIR: the current one and the one before (a replica may be
#: downloading it while a new build is published).
KEEP_PUBLISHED = 2
CHUNK = 1 << 20
HTTP_TIMEOUT_S = 60

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Manifest:
    """What ``manifest.json`` says about one published build."""

    build_id: str
    built_at: float
    created: str
    base_iri: str
    file: str
    sha256: str
    bytes: int
    quads: int
    graphs: dict[str, int]

    def as_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "build_id": self.build_id,
            "built_at": self.built_at,
            "created": self.created,
            "base_iri": self.base_iri,
            "dump": {"file": self.file, "sha256": self.sha256, "bytes": self.bytes},
            "quads": self.quads,
            "graphs": self.graphs,
        }

    @classmethod
    def from_json(cls, data: Any, where: str) -> Manifest:
        try:
            if data["format"] != FORMAT:
                raise BuildError(
                    f"unknown manifest format {data['format']!r}; expected {FORMAT!r}",
                    file=where,
                    rule="replica-manifest",
                )
            manifest = cls(
                build_id=str(data["build_id"]),
                built_at=float(data["built_at"]),
                created=str(data["created"]),
                base_iri=str(data["base_iri"]),
                file=str(data["dump"]["file"]),
                sha256=str(data["dump"]["sha256"]).lower(),
                bytes=int(data["dump"]["bytes"]),
                quads=int(data["quads"]),
                graphs={str(g): int(n) for g, n in data["graphs"].items()},
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BuildError(
                f"the manifest lacks or garbles a field ({exc}); it needs format, build_id, "
                "built_at, created, base_iri, dump {file, sha256, bytes}, quads, graphs",
                file=where,
                rule="replica-manifest",
            ) from exc
        if not BUILD_ID.fullmatch(manifest.build_id) or manifest.file != manifest.build_id + (
            ".nq.gz"
        ):
            raise BuildError(
                f"the manifest's build id {manifest.build_id!r} or file {manifest.file!r} is not "
                "a published build's (build-<letters, digits, . _ ->, file <build id>.nq.gz)",
                file=where,
                rule="replica-manifest",
            )
        return manifest


# -- publish ----------------------------------------------------------------------------------
def publish(settings: Settings, out_dir: Path, build_dir: Path | None = None) -> Manifest:
    """Publish ``build_dir`` (default: the served build) into ``out_dir``; the manifest last."""
    build_dir = build_dir or served_dir(settings)
    if build_dir is None or not build_dir.is_dir():
        raise BuildError(
            "no finished build to publish: run `kgservice build` first",
            file=str(build_dir or settings.store_path),
            rule="publish-no-build",
        )
    source = build_dir / DUMP_FILE
    if not source.is_file():
        raise BuildError(
            f"the build has no {DUMP_FILE} (made by the build step `dump`): rebuild it",
            file=str(build_dir),
            rule="publish-no-dump",
        )
    build_id = build_dir.name
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{build_id}.nq.gz"
    tmp = target.with_name(target.name + ".tmp")
    digest = hashlib.sha256()
    with source.open("rb") as src, tmp.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            dst.write(chunk)
    os.replace(tmp, target)
    graphs = _public_counts(settings, build_dir)
    manifest = Manifest(
        build_id=build_id,
        built_at=build_dir.stat().st_mtime,
        created=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        base_iri=settings.base_iri,
        file=target.name,
        sha256=digest.hexdigest(),
        bytes=target.stat().st_size,
        quads=sum(graphs.values()),
        graphs=graphs,
    )
    _write_json(out_dir / MANIFEST, manifest.as_json())
    _prune_published(out_dir, keep=target.name)
    return manifest


def _public_counts(settings: Settings, build_dir: Path) -> dict[str, int]:
    """Triples per graph of the build's dump: the store's counts of the public graphs."""
    store = EmbeddedStore(build_dir, read_only=True, base_iri=settings.base_iri)
    frozen = release_store_path(build_dir)
    releases = EmbeddedStore(frozen, read_only=True) if frozen.is_dir() else None
    try:
        counts = store.stats()
        found = {g: counts[g] for g in dump.public_graphs(settings, store)}
        if releases is not None:
            held = releases.stats()
            found |= {g: held[g] for g in frozen_graphs(settings, releases)}
        return found
    finally:
        store.close()
        if releases is not None:
            releases.close()


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _prune_published(out_dir: Path, keep: str) -> None:
    dumps = sorted(out_dir.glob("build-*.nq.gz"), key=lambda p: p.stat().st_mtime)
    old = [p for p in dumps if p.name != keep]
    for path in old[: max(len(old) - (KEEP_PUBLISHED - 1), 0)]:
        path.unlink(missing_ok=True)


# -- replica ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class SyncResult:
    """What :func:`sync` did: ``loaded`` is False when the published build was already served."""

    build_id: str
    loaded: bool
    quads: int = 0
    seconds: float = 0.0


def manifest_location(source: str) -> str:
    """The manifest's URL or path for SOURCE (a publish directory, its manifest, or a URL)."""
    if source.endswith(".json"):
        return source
    if _is_url(source):
        return source.rstrip("/") + "/" + MANIFEST
    return str(Path(source) / MANIFEST)


def read_manifest(source: str) -> Manifest:
    where = manifest_location(source)
    with _open(where) as stream:
        raw = stream.read()
    try:
        data = json.loads(raw)
    except ValueError as exc:
        raise BuildError(
            f"the manifest is not JSON: {exc}", file=where, rule="replica-manifest"
        ) from exc
    return Manifest.from_json(data, where)


def sync(settings: Settings, source: str) -> SyncResult:
    """Serve the build published at ``source``: load it unless it is the build served now.

    On any error the served build is untouched and the new directory is removed."""
    manifest = read_manifest(source)
    served = served_dir(settings)
    if served is not None and served.name == manifest.build_id:
        return SyncResult(manifest.build_id, loaded=False)
    if manifest.base_iri != settings.base_iri:
        raise BuildError(
            f"the published build's IRIs are under {manifest.base_iri}, this replica's "
            f"KG_BASE_IRI is {settings.base_iri}: set KG_BASE_IRI to the origin's",
            file=manifest_location(source),
            rule="replica-base-iri",
        )
    started = time.perf_counter()
    existing = swap.stores_dir(settings) / manifest.build_id
    if swap.is_finished(existing):  # loaded before (e.g. switching back): serve it again
        swap.swap_in(settings, existing)
        return SyncResult(manifest.build_id, loaded=False)
    new_dir = swap.new_store_dir(settings, name=manifest.build_id)
    try:
        _download(manifest, _dump_location(source, manifest), new_dir / DUMP_FILE)
        _load(settings, manifest, new_dir)
        os.utime(new_dir, (manifest.built_at, manifest.built_at))
        swap.swap_in(settings, new_dir)
    except KgError:
        swap.discard(new_dir)
        raise
    except Exception as exc:
        swap.discard(new_dir)
        raise BuildError(
            f"loading build {manifest.build_id} failed: {exc}", rule="replica-load"
        ) from exc
    return SyncResult(
        manifest.build_id, loaded=True, quads=manifest.quads, seconds=time.perf_counter() - started
    )


def _dump_location(source: str, manifest: Manifest) -> str:
    where = manifest_location(source)
    if _is_url(where):
        return urllib.parse.urljoin(where, manifest.file)
    return str(Path(where).parent / manifest.file)


def _download(manifest: Manifest, where: str, target: Path) -> None:
    """Copy the dump to ``target`` while hashing it; refuse a wrong size or SHA-256."""
    tmp = target.with_name(target.name + ".part")
    digest = hashlib.sha256()
    size = 0
    with _open(where) as src, tmp.open("wb") as dst:
        while chunk := src.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            dst.write(chunk)
    if size != manifest.bytes or digest.hexdigest() != manifest.sha256:
        tmp.unlink(missing_ok=True)
        raise BuildError(
            f"the dump of build {manifest.build_id} does not match its manifest: "
            f"{size} bytes with SHA-256 {digest.hexdigest()}, the manifest says "
            f"{manifest.bytes} bytes with SHA-256 {manifest.sha256}; nothing was loaded",
            file=where,
            rule="replica-checksum",
        )
    os.replace(tmp, target)


def _load(settings: Settings, manifest: Manifest, build_dir: Path) -> None:
    """Bulk-load the verified dump, describe it, and check every graph's count."""
    store = EmbeddedStore(build_dir, base_iri=settings.base_iri)
    try:
        with gzip.open(build_dir / DUMP_FILE, "rb") as stream:
            store.bulk_load(cast(IO[bytes], stream), RdfFormat.N_QUADS)
        size = (build_dir / DUMP_FILE).stat().st_size
        data = serialize(dump.description(settings, size), format=RdfFormat.N_TRIPLES) or b""
        store.replace_graph(dump.dump_graph(settings), data, RdfFormat.N_TRIPLES)
        frozen = move_frozen_graphs(settings, store, build_dir)  # into the release store
        counts = {**store.stats(), **frozen}
        loaded = {g: counts.get(g, 0) for g in set(counts) - {"total", dump.dump_graph(settings)}}
        if loaded != manifest.graphs:
            differ = sorted(
                g
                for g in set(loaded) | set(manifest.graphs)
                if loaded.get(g) != manifest.graphs.get(g)
            )
            raise BuildError(
                f"the loaded build {manifest.build_id} differs from its manifest in "
                f"{len(differ)} graph(s), e.g. <{differ[0]}>: {loaded.get(differ[0], 0)} "
                f"triples loaded, {manifest.graphs.get(differ[0], 0)} published",
                rule="replica-counts",
            )
    finally:
        store.close()


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


@contextmanager
def _open(where: str) -> Iterator[Any]:
    """A binary stream of a local file or an http(s) URL."""
    if not _is_url(where):
        try:
            with open(where, "rb") as stream:
                yield stream
        except FileNotFoundError as exc:
            raise BuildError(
                "no published build there: run `kgservice publish` into that directory",
                file=where,
                rule="replica-source",
            ) from exc
        return
    import requests

    try:
        with requests.get(where, stream=True, timeout=HTTP_TIMEOUT_S) as response:
            if response.status_code != 200:
                raise BuildError(
                    f"GET answered {response.status_code}, not 200",
                    file=where,
                    rule="replica-source",
                )
            response.raw.decode_content = True
            yield response.raw
    except requests.RequestException as exc:
        raise BuildError(f"cannot fetch: {exc}", file=where, rule="replica-source") from exc


class Follower:
    """Keeps a replica on the newest published build: :func:`sync` every ``interval_s`` seconds
    (0: only when woken) and at once on :meth:`wake` (``SIGHUP``), in one daemon thread. A failed
    sync is logged and the build served stays; the next turn tries again."""

    def __init__(self, settings: Settings, source: str, interval_s: float) -> None:
        self.settings = settings
        self.source = source
        self.interval_s = interval_s
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="replica-follow", daemon=True)

    def start(self) -> Follower:
        self._thread.start()
        return self

    def wake(self, *_: object) -> None:
        self._wake.set()

    def _run(self) -> None:
        while True:
            self._wake.wait(self.interval_s or None)
            self._wake.clear()
            try:
                done = sync(self.settings, self.source)
            except KgError as exc:
                log.error("replica: keeping the served build: %s", exc.describe())
                continue
            if done.loaded:
                log.warning(
                    "replica: now serving %s (%d quads loaded in %.1f s)",
                    done.build_id,
                    done.quads,
                    done.seconds,
                )
