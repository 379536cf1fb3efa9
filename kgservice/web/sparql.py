"""Blueprint `sparql` (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sparql", __name__)
