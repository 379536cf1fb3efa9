"""rake-kg: knowledge graph and terminology service for Finnish structural social work."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rake-kg")
except PackageNotFoundError:  # pragma: no cover - running from a source tree without install
    __version__ = "0.0.0"
