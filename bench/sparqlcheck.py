"""What the SPARQL checks cost and what layer 2 (rdflib) can read, measured in this run.

For every query of ``queries/**/*.rq`` and every query in the W3C SPARQL 1.1 Protocol tests
(``../shared/conformance/sparql11-protocol``): does Oxigraph parse it (run on an empty in-memory
store), does rdflib's SPARQL 1.1 parser read it (layer 2), and how long do layer 1
(``sparqlguard.analyse``), layer 2 (``sparqlalgebra.check_parsed``) and Oxigraph's own
parse-and-run on an empty store take (median of ``--repeat`` runs each; ratios against the
token scan, the baseline of the same run).

    .venv/bin/python bench/sparqlcheck.py
    .venv/bin/python bench/sparqlcheck.py --repeat 20
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pyoxigraph import Store  # noqa: E402

from kgservice.errors import KgError  # noqa: E402
from kgservice.web.sparqlalgebra import check_parsed  # noqa: E402
from kgservice.web.sparqlguard import analyse  # noqa: E402

PROTOCOL = ROOT.parent / "shared" / "conformance" / "sparql11-protocol"


def named_queries() -> dict[str, str]:
    return {
        str(p.relative_to(ROOT)): p.read_text(encoding="utf-8")
        for p in sorted((ROOT / "queries").rglob("*.rq"))
    }


def protocol_queries() -> dict[str, str]:
    import rdflib

    ht = rdflib.Namespace("http://www.w3.org/2011/http#")
    cnt = rdflib.Namespace("http://www.w3.org/2011/content#")
    g = rdflib.Graph().parse(PROTOCOL / "manifest.ttl", format="turtle")
    out: dict[str, str] = {}
    for req in g.subjects(ht.methodName, None):
        texts = parse_qs(urlsplit(str(g.value(req, ht.absolutePath) or "")).query).get("query", [])
        body = g.value(req, ht.body)
        if body is not None:
            chars = str(g.value(body, cnt.chars) or "")
            if chars.startswith("query="):  # a form body
                texts += parse_qs(chars).get("query", [])
            elif chars.lstrip().upper().startswith(("PREFIX", "SELECT", "ASK", "CONSTRUCT")):
                texts.append(chars)  # an application/sparql-query body
        for i, t in enumerate(texts):
            out[f"protocol:{str(req).rsplit('/', 1)[-1]}:{i}"] = t
    return out


def median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            fn()
        except Exception:  # noqa: BLE001, S110 - refusals are timed too
            pass
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def oxigraph_accepts(store: Store, text: str) -> str:
    try:
        result = store.query(text, base_iri="http://127.0.0.1/sparql")
        if hasattr(result, "__iter__"):
            for _ in result:
                break
        return "ok"
    except SyntaxError:
        return "syntax"
    except Exception as exc:  # noqa: BLE001
        return type(exc).__name__


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    args = ap.parse_args()
    store = Store()
    queries = {**named_queries(), **protocol_queries()}
    check_parsed("ASK {}")  # grammar built once, as in a started worker
    rows = []
    disagree = []
    for name, text in queries.items():
        ox = oxigraph_accepts(store, text)
        try:
            check_parsed(text, "http://127.0.0.1/sparql")
            rd = "ok"
        except KgError as exc:
            rd = exc.rule or "refused"
        if (ox == "ok") != (rd == "ok"):
            disagree.append((name, ox, rd))
        t1 = median_ms(lambda t=text: analyse(t), args.repeat)
        t2 = median_ms(lambda t=text: check_parsed(t, "http://127.0.0.1/sparql"), args.repeat)
        t3 = median_ms(lambda t=text: oxigraph_accepts(store, t), args.repeat)
        rows.append((name, len(text), ox, rd, t1, t2, t3))
    print(f"{len(rows)} queries ({len(named_queries())} named, the rest from the protocol tests)")
    head = ("", "bytes", "oxigraph", "rdflib", "L1 ms", "L2 ms", "oxi ms")
    print("{:>44} {:>6} {:>9} {:>14} {:>7} {:>7} {:>7}".format(*head))
    for name, size, ox, rd, t1, t2, t3 in rows:
        print(f"{name[-44:]:>44} {size:>6} {ox:>9} {rd:>14} {t1:7.2f} {t2:7.2f} {t3:7.2f}")
    l1 = [r[4] for r in rows]
    l2 = [r[5] for r in rows]
    ox_t = [r[6] for r in rows]
    print()
    print(f"layer 1 token scan   median {statistics.median(l1):6.2f} ms  max {max(l1):6.2f} ms")
    print(f"layer 2 rdflib       median {statistics.median(l2):6.2f} ms  max {max(l2):6.2f} ms")
    print(
        f"oxigraph, empty store median {statistics.median(ox_t):6.2f} ms  max {max(ox_t):6.2f} ms"
    )
    ratio = statistics.median(b / a for a, b in zip(l1, l2, strict=True))
    print(f"layer 2 / layer 1 (median of per-query ratios): {ratio:.0f}x")
    print(f"Oxigraph and rdflib disagree on {len(disagree)} of {len(rows)}:")
    for name, ox, rd in disagree:
        print(f"  {name}: oxigraph {ox}, rdflib {rd}")


if __name__ == "__main__":
    main()
