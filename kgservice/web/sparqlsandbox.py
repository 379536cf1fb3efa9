"""Layer 3 of the SPARQL checks: query workers that cannot open a network connection at all.

Layers 1 and 2 (:mod:`kgservice.web.sparqlguard`, :mod:`kgservice.web.sparqlalgebra`) refuse
``SERVICE`` before a query runs; this layer makes a missed one harmless. Each query worker calls
:func:`confine` once, first thing, before it imports pyoxigraph or reads a job:

1. **Network namespace** — ``unshare(CLONE_NEWNET)`` (Linux, needs ``CAP_SYS_ADMIN``, i.e. root);
   without that right, ``unshare(CLONE_NEWUSER | CLONE_NEWNET)`` (unprivileged user namespaces,
   where the kernel allows them). The worker is then alone in a namespace whose only interface,
   loopback, is down: ``connect()`` to any address, 127.0.0.1 included, fails with
   ``ENETUNREACH``. Files are unaffected (the store is read as before).
2. **seccomp** — a filter (libseccomp through ``pyseccomp``) that makes ``socket(2)`` fail with
   ``EACCES`` for every address family but ``AF_UNIX``, and ``io_uring_setup(2)`` with ``EPERM``
   (io_uring can open sockets without ``socket(2)``). It needs no privilege (``no_new_privs``).

Both are applied where possible; either alone stops pyoxigraph's HTTP client. The pipe to the web
process is an ``AF_UNIX`` socket pair made before either, so it keeps working. Where neither is
available (not Linux, no libseccomp, a container that forbids both), the worker runs unconfined,
says so in the log at start-up, and layers 1 and 2 are what remains.
"""

from __future__ import annotations

import ctypes
import errno
import os
import sys
from dataclasses import dataclass

CLONE_NEWUSER = 0x10000000
CLONE_NEWNET = 0x40000000

#: Mechanisms :func:`confine` may try, in order.
ALL_MECHANISMS = ("netns", "seccomp")


@dataclass(frozen=True)
class Confinement:
    """What is in force in this process, and why anything is missing."""

    applied: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def active(self) -> bool:
        return bool(self.applied)

    def describe(self) -> str:
        if not self.applied:
            return "NOT confined (outbound connections possible): " + "; ".join(self.notes)
        text = "outbound network blocked by " + " + ".join(self.applied)
        return text + (" (" + "; ".join(self.notes) + ")" if self.notes else "")


def confine(mechanisms: tuple[str, ...] = ALL_MECHANISMS) -> Confinement:
    """Cut this process off the network with every mechanism of ``mechanisms`` the OS allows."""
    applied: list[str] = []
    notes: list[str] = []
    if "netns" in mechanisms:
        how = _network_namespace(notes)
        if how:
            applied.append(how)
    if "seccomp" in mechanisms:
        if _seccomp(notes):
            applied.append("seccomp")
    return Confinement(tuple(applied), tuple(notes))


def _network_namespace(notes: list[str]) -> str | None:
    if not sys.platform.startswith("linux"):
        notes.append("network namespaces need Linux")
        return None
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNET) == 0:
        return "network namespace"
    first = ctypes.get_errno()
    if libc.unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0:
        return "user+network namespace"
    second = ctypes.get_errno()
    notes.append(
        f"unshare(CLONE_NEWNET): {errno.errorcode.get(first, first)}, "
        f"with CLONE_NEWUSER: {errno.errorcode.get(second, second)}"
    )
    return None


def _seccomp(notes: list[str]) -> bool:
    try:
        import socket

        import pyseccomp as seccomp
    except (ImportError, OSError) as exc:  # pyseccomp missing, or libseccomp.so.2 missing
        notes.append(f"seccomp unavailable: {exc}")
        return False
    try:
        flt = seccomp.SyscallFilter(defaction=seccomp.ALLOW)
        flt.add_rule(
            seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX)
        )
        try:
            flt.add_rule(seccomp.ERRNO(errno.EPERM), "io_uring_setup")
        except (RuntimeError, OSError, ValueError):  # an older libseccomp without the name
            notes.append("io_uring not filtered")
        flt.load()
    except (RuntimeError, OSError, ValueError) as exc:
        notes.append(f"seccomp filter not loaded: {exc}")
        return False
    return True


def can_connect(host: str, port: int, timeout_s: float = 2.0) -> str:
    """Try one TCP connection (for the tests and diagnostics): ``connected`` or the error name."""
    import socket

    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return "connected"
    except OSError as exc:
        return errno.errorcode.get(exc.errno or 0, type(exc).__name__)


def status_of(pid: int) -> dict[str, str]:
    """The network namespace and seccomp mode of process ``pid`` (Linux ``/proc``)."""
    out = {"netns": os.readlink(f"/proc/{pid}/ns/net")}
    with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("Seccomp:"):
                out["seccomp"] = line.split(":", 1)[1].strip()
    return out
