"""A small SVG chart of the run: p50 at one connection as a multiple of the floor's, one bar
per measured page."""

from xml.sax.saxutils import escape

WIDTH = 900
LABEL_W = 330
BAR_H = 18
GAP = 8
COLOURS = {"PASS": "#2e7d32", "MISS": "#c62828", "": "#757575", "n/a": "#9e9e9e"}


def svg(report: dict) -> str:
    bars = [r for r in report["rows"] if r.get("p50_ratio") is not None]
    others = [r for r in report["rows"] if r.get("p50_ratio") is None]
    top = 70
    height = top + len(bars) * (BAR_H + GAP) + 40 + len(others) * 18 + 30
    ratios = [r["p50_ratio"] for r in bars] + [r.get("target_ratio") or 0 for r in bars]
    scale_max = max([2.0, *ratios])
    scale_max = float(int(scale_max) + 1)
    plot_w = WIDTH - LABEL_W - 90

    def x(value: float) -> float:
        return LABEL_W + plot_w * value / scale_max

    machine = report.get("machine", {})
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="12">',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        '<text x="10" y="22" font-size="16" font-weight="bold">'
        "IOM UK portal benchmark: p50 at one connection as a multiple of the floor</text>",
        f'<text x="10" y="42" fill="#555">{escape(report.get("date", ""))} · '
        f"{machine.get('cores', '?')} cores · {escape(report.get('command', ''))} · "
        "floor = /healthz?checks=none under the same load</text>",
    ]
    step = 1.0 if scale_max <= 10 else float(int(scale_max / 10) + 1)
    tick = 0.0
    while tick <= scale_max + 1e-9:
        out.append(
            f'<line x1="{x(tick):.1f}" y1="{top - 8}" x2="{x(tick):.1f}" '
            f'y2="{top + len(bars) * (BAR_H + GAP)}" stroke="#e0e0e0"/>'
        )
        out.append(
            f'<text x="{x(tick):.1f}" y="{top - 12}" text-anchor="middle" fill="#555">'
            f"{tick:g}x</text>"
        )
        tick += step
    y = top
    for row in bars:
        colour = COLOURS.get(row.get("result", ""), "#757575")
        label = f"{row['scenario']}. {row['name']}"
        out.append(
            f'<text x="{LABEL_W - 8}" y="{y + BAR_H - 5}" text-anchor="end">'
            f"{escape(label[:52])}</text>"
        )
        out.append(
            f'<rect x="{LABEL_W}" y="{y}" width="{max(1.0, x(row["p50_ratio"]) - LABEL_W):.1f}" '
            f'height="{BAR_H}" fill="{colour}"/>'
        )
        if row.get("target_ratio"):
            tx = x(row["target_ratio"])
            out.append(
                f'<line x1="{tx:.1f}" y1="{y - 2}" x2="{tx:.1f}" y2="{y + BAR_H + 2}" '
                'stroke="#000" stroke-width="2" stroke-dasharray="3,2"/>'
            )
        out.append(
            f'<text x="{x(row["p50_ratio"]) + 6:.1f}" y="{y + BAR_H - 5}" fill="#333">'
            f"{row['p50_ratio']:.2f}x ({row['p50_ms']:.1f} ms) "
            f"{escape(row.get('result', ''))}</text>"
        )
        y += BAR_H + GAP
    y += 24
    out.append(
        f'<text x="10" y="{y}" fill="#555">Dashed line: the target. '
        "Green: met; red: missed; grey: the floor.</text>"
    )
    for row in others:
        y += 18
        text = f"{row['scenario']}. {row['name']}: {row.get('result', '')} {row.get('note', '')}"
        out.append(
            f'<text x="10" y="{y}" fill="{COLOURS.get(row.get("result", ""), "#333")}">'
            f"{escape(text[:150])}</text>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
