"""Reading RDF source files with errors that name the file and line."""

from __future__ import annotations

from pathlib import Path

from pyoxigraph import Quad, RdfFormat, parse

from kgservice.errors import ParseError

FORMATS = {
    ".ttl": RdfFormat.TURTLE,
    ".nt": RdfFormat.N_TRIPLES,
    ".nq": RdfFormat.N_QUADS,
    ".trig": RdfFormat.TRIG,
    ".rdf": RdfFormat.RDF_XML,
    ".owl": RdfFormat.RDF_XML,
    ".jsonld": RdfFormat.JSON_LD,
}


def read_quads(path: Path) -> list[Quad]:
    """Parse one RDF file completely; a syntax error becomes a :class:`ParseError`.
    A ``.gz`` file (e.g. ``structures.nt.gz``) is read decompressed, its format from the suffix
    before ``.gz``."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes[-1:] == [".gz"] and len(suffixes) > 1:
        return _read_gzip(path, suffixes[-2])
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ParseError(
            f"unknown RDF file type {path.suffix!r}", file=str(path), rule="rdf-format"
        )
    try:
        return list(parse(path=str(path), format=fmt))
    except SyntaxError as exc:
        raise ParseError(
            str(exc.msg if hasattr(exc, "msg") else exc),
            file=str(path),
            line=exc.lineno,
            rule="rdf-syntax",
        ) from exc


def _read_gzip(path: Path, suffix: str) -> list[Quad]:
    import gzip

    fmt = FORMATS.get(suffix)
    if fmt is None:
        raise ParseError(f"unknown RDF file type {suffix!r}", file=str(path), rule="rdf-format")
    try:
        return list(parse(gzip.decompress(path.read_bytes()), format=fmt))
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise ParseError(
            f"not a readable gzip file: {exc}", file=str(path), rule="rdf-gzip"
        ) from exc
    except SyntaxError as exc:
        raise ParseError(
            str(exc.msg if hasattr(exc, "msg") else exc),
            file=str(path),
            line=exc.lineno,
            rule="rdf-syntax",
        ) from exc
