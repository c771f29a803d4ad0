"""A published table drawn as an SVG on the server.

The pages' Content-Security-Policy allows no scripts and no inline styles, so the
chart uses SVG presentation attributes only (as the audit's charts do). Every figure
is drawn with its 95% interval as an error bar; a figure the noise swamps is drawn
hollow. Months on the x axis give one line per series (a branch, or a branch and
collection); a table without months is drawn as bars. The <title> and <desc> carry
the same figures in words for a screen reader; the table under the chart has them too.
"""

from __future__ import annotations

from collections import OrderedDict
from html import escape

from django.utils.safestring import SafeString, mark_safe

from .present import Presented

FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'
INK, MUTED, GRID = "#1b1b1b", "#4a4a4a", "#d0d0d0"
# Okabe and Ito's colour-blind-safe palette, each with its own dash so greyscale print still tells them apart.
STYLES = (("#0072b2", ""), ("#d55e00", "6 3"), ("#009e73", "2 2"), ("#cc79a7", "8 3 2 3"),
          ("#e69f00", "4 4"), ("#56b4e9", "1 3"), ("#000000", "10 4"))
MAX_SERIES = len(STYLES)


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", fill: str = INK) -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}">{escape(str(text))}</text>')


def _open(width: int, height: int, title: str, desc: str, ident: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" aria-labelledby="{ident}-t" aria-describedby="{ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _ticks(top: int) -> list[int]:
    """Round steps from 0 to at least ``top`` (about five)."""
    top = max(top, 1)
    step = 1
    while top / step > 5:
        for mult in (2, 5, 10):
            if top / (step * mult) <= 5:
                step *= mult
                break
        else:
            step *= 10
    return list(range(0, top + step, step))


def _describe(presented: Presented) -> str:
    return "; ".join(f"{' · '.join(f.keys)}: {f.count} (95% interval {f.interval})"
                     + (", too noisy" if f.swamped else "") for f in presented.figures) or "No figures."


def series_chart(presented: Presented, month_index: int, ident: str = "series") -> str:
    """One line per series across the months, each point with its 95% error bar."""
    groups: OrderedDict[tuple, list] = OrderedDict()
    months: list[str] = []
    for f in presented.figures:
        key = f.keys[:month_index] + f.keys[month_index + 1:]
        groups.setdefault(key, []).append(f)
        if f.keys[month_index] not in months:
            months.append(f.keys[month_index])
    shown = list(groups.items())[:MAX_SERIES]
    left, right, top_pad, plot_h = 56, 20, 34, 220
    plot_w = max(320, 64 * len(months))
    legend_h = 22 * len(shown) + 26
    width, height = left + plot_w + right, top_pad + plot_h + 40 + legend_h
    ticks = _ticks(max((f.high for f in presented.figures), default=1))
    y_top = ticks[-1] or 1

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / y_top

    def x(i: int) -> float:
        return left + (plot_w * (i + 0.5) / len(months))

    out = _open(width, height, f"{presented.label}, with 95% intervals", _describe(presented), ident)
    out.append(_text(0, 18, f"{presented.label} (95% intervals as bars)", 13))
    for t in ticks:
        out.append(f'<line x1="{left}" y1="{y(t):.1f}" x2="{left + plot_w}" y2="{y(t):.1f}" stroke="{GRID}"/>')
        out.append(_text(left - 6, y(t) + 4, f"{t:,}", 11, "end", MUTED))
    for i, month in enumerate(months):
        out.append(_text(x(i), top_pad + plot_h + 18, month, 11, "middle", MUTED))
    for n, (key, figs) in enumerate(shown):
        colour, dash = STYLES[n]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        points = [(months.index(f.keys[month_index]), f) for f in figs]
        path = " ".join(f"{x(i):.1f},{y(f.count):.1f}" for i, f in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dashed}/>')
        for i, f in points:
            out.append(f'<line x1="{x(i):.1f}" y1="{y(f.low):.1f}" x2="{x(i):.1f}" y2="{y(f.high):.1f}" '
                       f'stroke="{colour}" stroke-width="1.5"/>')
            fill = "#ffffff" if f.swamped else colour
            out.append(f'<circle cx="{x(i):.1f}" cy="{y(f.count):.1f}" r="4" fill="{fill}" stroke="{colour}" '
                       'stroke-width="2"/>')
        ly = top_pad + plot_h + 40 + 22 * n
        out.append(f'<line x1="{left}" y1="{ly - 4}" x2="{left + 28}" y2="{ly - 4}" stroke="{colour}" '
                   f'stroke-width="2"{dashed}/>')
        out.append(_text(left + 36, ly, " · ".join(key) or presented.label, 12))
    note_y = top_pad + plot_h + 40 + 22 * len(shown)
    more = len(groups) - len(shown)
    note = "Hollow points: too noisy to read on their own."
    if more > 0:
        note += f" {more} more series in the table below."
    out.append(_text(left, note_y, note, 11, fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def bar_chart(presented: Presented, ident: str = "bars") -> str:
    """One bar per figure (a table without months), with its 95% error bar."""
    figs = presented.figures
    label_w, bar_w, row = 220, 360, 26
    width, height = label_w + bar_w + 90, 34 + row * max(1, len(figs)) + 30
    ticks = _ticks(max((f.high for f in figs), default=1))
    top = ticks[-1] or 1
    out = _open(width, height, f"{presented.label}, with 95% intervals", _describe(presented), ident)
    out.append(_text(0, 18, f"{presented.label} (95% intervals as whiskers)", 13))
    for i, f in enumerate(figs):
        y = 30 + i * row
        out.append(_text(label_w - 8, y + 16, " · ".join(f.keys), 12, "end"))
        w = bar_w * f.count / top
        fill = "#ffffff" if f.swamped else STYLES[0][0]
        out.append(f'<rect x="{label_w}" y="{y + 5}" width="{w:.1f}" height="{row - 10}" fill="{fill}" '
                   f'stroke="{STYLES[0][0]}"/>')
        lo, hi = label_w + bar_w * f.low / top, label_w + bar_w * f.high / top
        mid = y + row / 2
        out.append(f'<line x1="{lo:.1f}" y1="{mid:.1f}" x2="{hi:.1f}" y2="{mid:.1f}" stroke="{INK}" stroke-width="1.5"/>')
        for end in (lo, hi):
            out.append(f'<line x1="{end:.1f}" y1="{mid - 5:.1f}" x2="{end:.1f}" y2="{mid + 5:.1f}" stroke="{INK}"/>')
        out.append(_text(hi + 6, y + 16, f"{f.count:,}", 12))
    out.append(_text(label_w, height - 8, "Hollow bars: too noisy to read on their own.", 11, fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def draw(presented: Presented, dims: list[str]) -> SafeString:
    """The chart for a page: every text in it went through ``escape`` above."""
    months = {f.keys[dims.index("month")] for f in presented.figures} if "month" in dims else set()
    svg = series_chart(presented, dims.index("month")) if len(months) > 1 else bar_chart(presented)
    return mark_safe(svg)  # noqa: S308 (built here, every text escaped)
