"""Server-rendered SVG charts. Every chart comes with the table it was drawn from
(templates show both: the table is the accessible view). Text is escaped."""

from __future__ import annotations

from django.utils.html import escape

PALETTE = ["#2f6fb5", "#1b7f3b", "#d18a00", "#c0392b", "#7d3c98", "#777777", "#16a085", "#a04000"]


def stacked_bars(categories: list[str], series: list[tuple[str, list[int]]], *, title: str,
                 width: int = 720, height: int = 240) -> str:
    """Vertical stacked bars: one bar per category, one colour per series."""
    left, bottom, top, legend = 36, 28, 10, 18 * ((len(series) + 3) // 4)
    plot_h = height - bottom - top - legend
    totals = [sum(values[i] for _name, values in series) for i in range(len(categories))]
    peak = max(totals or [0]) or 1
    step = (width - left - 8) / max(len(categories), 1)
    bar = max(step * 0.75, 1)
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" '
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>')]
    for tick in (0, peak / 2, peak):
        y = top + plot_h - tick / peak * plot_h
        out.append(f'<line x1="{left}" x2="{width - 4}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
                   f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{tick:.0f}</text>')
    label_every = max(1, len(categories) // 16)
    for i, category in enumerate(categories):
        x = left + i * step
        y = top + plot_h
        for s, (name, values) in enumerate(series):
            value = values[i]
            if not value:
                continue
            h = value / peak * plot_h
            y -= h
            out.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                       f'fill="{PALETTE[s % len(PALETTE)]}"><title>{escape(category)} · '
                       f'{escape(name)}: {value}</title></rect>')
        if i % label_every == 0:
            out.append(f'<text x="{x + bar / 2:.1f}" y="{top + plot_h + 14}" font-size="10" '
                       f'text-anchor="middle">{escape(category)}</text>')
    for s, (name, _values) in enumerate(series):
        lx = left + (s % 4) * ((width - left) / 4)
        ly = height - legend + 14 + 18 * (s // 4)
        out.append(f'<rect x="{lx:.1f}" y="{ly - 9}" width="10" height="10" fill="{PALETTE[s % len(PALETTE)]}"/>'
                   f'<text x="{lx + 14:.1f}" y="{ly}" font-size="11">{escape(name)}</text>')
    out.append("</svg>")
    return "".join(out)


def horizontal_bars(rows: list[tuple[str, float]], *, title: str, width: int = 520,
                    unit: str = "", max_value: float | None = None) -> str:
    bar_h, gap, label_w = 16, 6, 180
    height = max(len(rows), 1) * (bar_h + gap) + 8
    peak = max_value or max((v for _l, v in rows), default=0) or 1
    out = [(f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" '
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>')]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * (bar_h + gap)
        w = (width - label_w - 60) * (value / peak)
        shown = f"{value:.0f}{unit}" if unit == "%" else f"{value:g}{unit}"
        out.append(f'<text x="{label_w - 6}" y="{y + 12}" font-size="11" text-anchor="end">{escape(label[:32])}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{max(w, 0):.1f}" height="{bar_h}" fill="{PALETTE[i % 2]}"/>'
                   f'<text x="{label_w + w + 4:.1f}" y="{y + 12}" font-size="11">{escape(shown)}</text>')
    out.append("</svg>")
    return "".join(out)
