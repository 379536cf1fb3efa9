"""The one-screen summary printed at the end of ``kgservice build``."""

from __future__ import annotations

from kgservice.pipeline.steps import BuildReport


def render_summary(report: BuildReport) -> str:
    lines = ["build finished" + (f" → {report.store_dir}" if report.store_dir else " (remote)")]
    lines.append(f"{'step':<28}{'seconds':>9}{'rows in':>10}{'loaded':>10}{'quarantined':>13}")
    for s in report.steps:
        lines.append(
            f"{s.name:<28}{s.seconds:>9.2f}{s.rows_in:>10}{s.rows_loaded:>10}{s.rows_quarantined:>13}"
        )
        lines.extend(f"    {note}" for note in s.notes)
    lines.append("")
    lines.append(f"{'graph':<70}{'triples':>10}")
    for graph, n in sorted(report.graphs.items()):
        if graph != "total":
            lines.append(f"{graph:<70}{n:>10}")
    lines.append(f"{'total':<70}{report.graphs.get('total', 0):>10}")
    lines.append(f"total time {report.seconds:.2f} s")
    return "\n".join(lines)
