"""Code the outbound tests run in spawned processes (importable by name, like a worker's code).

* :func:`unchecked_worker_main` — a query worker with layer 2 (the parsed-query check) switched
  off; layer 3 (the sandbox) stays, because :func:`kgservice.web.sparqlworker._worker_main`
  applies it first thing.
* :func:`confine_and_connect` — confine a fresh process (optionally as an unprivileged user) and
  report what is in force and what a TCP connection to a loopback port gives.
"""

from __future__ import annotations

import os
from multiprocessing.connection import Connection


def unchecked_worker_main(conn: Connection) -> None:
    from kgservice.web import sparqlworker
    from kgservice.web.sparqlalgebra import ParsedQuery

    def no_check(text: str, base_iri: str | None = None, *, max_depth: int = 64) -> ParsedQuery:
        return ParsedQuery(form="SELECT")

    sparqlworker.check_parsed = no_check  # type: ignore[assignment]
    sparqlworker._worker_main(conn)


def confine_and_connect(
    conn: Connection, port: int, mechanisms: tuple[str, ...], drop_root: bool
) -> None:
    import encodings.idna  # noqa: F401 - loaded while the interpreter's files are readable
    import socket  # noqa: F401

    import pyseccomp  # noqa: F401

    from kgservice.web import sparqlsandbox

    if drop_root and os.getuid() == 0:
        os.setgid(65534)
        # nobody: no CAP_SYS_ADMIN, as on a server run without root. (This interpreter may live
        # under /root, unreadable to nobody: everything needed is imported above.)
        os.setuid(65534)
    confinement = sparqlsandbox.confine(mechanisms)
    conn.send(
        {
            "uid": os.getuid(),
            "applied": confinement.applied,
            "notes": confinement.notes,
            "connect": sparqlsandbox.can_connect("127.0.0.1", port),
            "status": sparqlsandbox.status_of(os.getpid()),
        }
    )
