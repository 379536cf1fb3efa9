"""Identity codes: checked with python-stdnum, replaced by keyed pseudonyms (HMAC-SHA-256).

The key comes only from :attr:`Settings.pseudonym_key` (``KG_PSEUDONYM_KEY``); without it nothing
is lifted. Error messages never contain the identity code itself.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import date

from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fi import hetu

from kgservice.config import Settings
from kgservice.errors import ConfigError, ValidationError

_CENTURY = {"+": 1800, "-": 1900, "A": 2000}
AGE_GROUPS = ((0, 17), (18, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, None))


def require_key(settings: Settings) -> bytes:
    if not settings.pseudonym_key:
        raise ConfigError(
            "KG_PSEUDONYM_KEY is not set: client documents are never lifted without a "
            "pseudonymisation key (keep the key outside the repository)",
            rule="pseudonym-key",
        )
    return settings.pseudonym_key.encode("utf-8")


def check_hetu(value: str, where: str = "") -> str:
    """The compact identity code; :class:`ValidationError` (without the value) when invalid."""
    try:
        return hetu.validate(value)
    except StdnumError as exc:
        raise ValidationError(
            f"Henkilötunnus ei ole kelvollinen ({type(exc).__name__})",
            file=where or None,
            rule="hetu-checksum",
        ) from None


def pseudonym(key: bytes, identifier: str, kind: str = "hetu") -> str:
    """Keyed, stable pseudonym of an identifier (hex HMAC-SHA-256 of ``kind:identifier``)."""
    return hmac.new(key, f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()


def birth_date(compact_hetu: str) -> date:
    """Birth date encoded in a valid, compact identity code."""
    sign = compact_hetu[6]
    century = _CENTURY.get(sign, 1900 if sign in "YXWVU" else 2000)
    return date(century + int(compact_hetu[4:6]), int(compact_hetu[2:4]), int(compact_hetu[0:2]))


def age_group(born: date, on: date) -> str:
    """Age band (e.g. ``25-34``, ``65-``) on the date ``on``."""
    age = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    for low, high in AGE_GROUPS:
        if high is None or age <= high:
            return f"{low}-{high if high is not None else ''}"
    raise AssertionError("unreachable")
