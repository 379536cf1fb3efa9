"""Blueprint `resolve` (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resolve", __name__)
