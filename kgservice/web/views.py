"""Blueprint `views` (filled in by its issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("views", __name__)
