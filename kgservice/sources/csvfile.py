"""The CSV files the fetch clients write: comma-separated, a header row, ``\\n`` line ends, UTF-8
(the format of the bundled snapshot's CSV files)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable


def csv_bytes(header: Iterable[str], rows: Iterable[Iterable[object]]) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue().encode("utf-8")
