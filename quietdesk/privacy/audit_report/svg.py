"""SVG drawn on the server (no scripts, no styles: presentation attributes only, so
the pages' Content-Security-Policy allows them and fpdf2 can place them in the PDF).

* ``bars``: records held per category (horizontal bars).
* ``stacked``: records held per category by age.
* ``flow``: the data flow map, one row per category: enters, stored, read by,
  leaves or destroyed.
"""

from __future__ import annotations

import textwrap
from html import escape

FONT = 'font-family="DejaVu Sans, Verdana, sans-serif"'
INK, MUTED, LINE = "#1b1b1b", "#4a4a4a", "#8a8a8a"
# Blues to oranges, distinguishable in greyscale print as well.
AGE_COLOURS = ("#0b5394", "#3d85c6", "#9fc5e8", "#f6b26b", "#b45f06")


def _open(width: int, height: int, title: str, desc: str, ident: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-labelledby="{ident}-t" aria-describedby="{ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
    ]


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", fill: str = INK,
          bold: bool = False) -> str:
    weight = ' font-weight="bold"' if bold else ""
    return (f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" fill="{fill}" '
            f'text-anchor="{anchor}"{weight}>{escape(str(text))}</text>')


def bars(items: list[tuple[str, int]], *, title: str, ident: str = "held") -> str:
    label_w, bar_w, row = 170, 380, 24
    width, height = label_w + bar_w + 80, 30 + row * max(1, len(items)) + 10
    top = max([n for _, n in items] or [0]) or 1
    desc = "; ".join(f"{label}: {n}" for label, n in items) or "No records."
    out = _open(width, height, title, desc, ident)
    out.append(_text(0, 16, title, 13, bold=True))
    for i, (label, n) in enumerate(items):
        y = 30 + i * row
        out.append(_text(label_w - 8, y + 15, label, anchor="end"))
        w = bar_w * n / top
        out.append(f'<rect x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{AGE_COLOURS[0]}"/>')
        out.append(_text(label_w + w + 6, y + 15, f"{n:,}"))
    if not items:
        out.append(_text(label_w, 45, "No records held.", fill=MUTED))
    out.append("</svg>")
    return "".join(out)


def stacked(rows: list[tuple[str, list[int]]], buckets: list[str], *, title: str, ident: str = "ages") -> str:
    label_w, bar_w, row = 170, 380, 24
    legend_h = 22 * ((len(buckets) + 2) // 3)
    width = label_w + bar_w + 80
    height = 30 + row * max(1, len(rows)) + 16 + legend_h
    top = max([sum(v) for _, v in rows] or [0]) or 1
    desc = "; ".join(f"{label}: " + ", ".join(f"{b} {n}" for b, n in zip(buckets, v, strict=True))
                     for label, v in rows) or "No records."
    out = _open(width, height, title, desc, ident)
    out.append(_text(0, 16, title, 13, bold=True))
    for i, (label, values) in enumerate(rows):
        y = 30 + i * row
        out.append(_text(label_w - 8, y + 15, label, anchor="end"))
        x = float(label_w)
        for colour, n in zip(AGE_COLOURS, values, strict=False):
            w = bar_w * n / top
            if w > 0:
                out.append(f'<rect x="{x:.1f}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>')
            x += w
        out.append(_text(x + 6, y + 15, f"{sum(values):,}"))
    y0 = 30 + row * max(1, len(rows)) + 12
    for j, (colour, bucket) in enumerate(zip(AGE_COLOURS, buckets, strict=False)):
        x, y = (j % 3) * 210, y0 + (j // 3) * 22
        out.append(f'<rect x="{x}" y="{y}" width="14" height="14" fill="{colour}" stroke="{LINE}"/>')
        out.append(_text(x + 20, y + 12, bucket))
    out.append("</svg>")
    return "".join(out)


def flow(rows: list[dict], *, title: str, ident: str = "flow") -> str:
    """rows: {"label", "enters", "stored", "read_by", "leaves"} (plain strings)."""
    cols = (("enters", "Enters"), ("stored", "Stored"), ("read_by", "Who can read it"), ("leaves", "Leaves or destroyed"))
    label_w, box_w, gap, line_h, wrap = 120, 250, 26, 14, 38
    width = label_w + len(cols) * box_w + (len(cols) - 1) * gap + 10
    layout, y = [], 44
    for row in rows:
        cells = [textwrap.wrap(str(row[key]), wrap) or ["-"] for key, _ in cols]
        h = 12 + line_h * max(len(c) for c in cells)
        layout.append((row, cells, y, h))
        y += h + 12
    height = y + 4
    desc = " | ".join(f"{r['label']}: enters {r['enters']}; stored {r['stored']}; read by {r['read_by']}; "
                      f"leaves {r['leaves']}" for r in rows)
    out = _open(width, height, title, desc, ident)
    out.append('<defs><marker id="qd-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
               f'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{MUTED}"/></marker></defs>')
    out.append(_text(0, 16, title, 13, bold=True))
    for i, (_key, heading) in enumerate(cols):
        out.append(_text(label_w + i * (box_w + gap) + 6, 36, heading, 12, bold=True, fill=MUTED))
    for row, cells, y, h in layout:
        out.append(_text(0, y + 16, row["label"], 12, bold=True))
        for i, lines in enumerate(cells):
            x = label_w + i * (box_w + gap)
            fill = "#fdecea" if i == 3 else "#eef3f8"
            out.append(f'<rect x="{x}" y="{y}" width="{box_w}" height="{h}" rx="4" fill="{fill}" stroke="{LINE}"/>')
            for k, line in enumerate(lines):
                out.append(_text(x + 6, y + 15 + k * line_h, line, 11))
            if i:
                out.append(f'<line x1="{x - gap + 2}" y1="{y + h / 2:.1f}" x2="{x - 3}" y2="{y + h / 2:.1f}" '
                           f'stroke="{MUTED}" stroke-width="1.5" marker-end="url(#qd-arrow)"/>')
    out.append("</svg>")
    return "".join(out)
