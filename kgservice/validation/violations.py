"""One finding of the quality gate, whatever step produced it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

VIOLATION = "violation"
WARNING = "warning"


@dataclass(frozen=True)
class Violation:
    """A broken rule: which rule, where (file, line, focus node, path) and why (message)."""

    rule: str
    message: str
    file: str = ""
    line: int | None = None
    focus: str = ""
    path: str = ""
    value: str = ""
    severity: str = VIOLATION
    #: The message in other languages (language tag → text), when the rule has them.
    messages: dict[str, str] = field(default_factory=dict, compare=False, hash=False)

    @property
    def failing(self) -> bool:
        return self.severity == VIOLATION

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sort_key(v: Violation) -> tuple[str, int, str, str, str]:
    return (v.file, v.line or 0, v.rule, v.focus, v.value)
