"""PDFs (fpdf2 with the DejaVu fonts, so every script a patron's name uses prints).

DejaVu has no Chinese, Japanese or Korean characters: when Debian's CJK fonts are
installed (fonts-noto-cjk, or one of the other packages in ``CJK_FONTS``), the first
one found is the fallback font for those characters.

A document is a list of blocks: ("h1", text), ("h2", text), ("p", text),
("kv", [(label, value), ...]) and ("rows", columns, rows). Rows print as labelled
blocks rather than wide tables, so long values never run off the page; a column key
prints as its name (``words.field``: "First name", not ``given_name``), and ``when``
prints a moment in the library's time zone.
"""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils import timezone
from fpdf import FPDF

from . import words

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
CJK = "CJK"
# (regular, bold) from Debian packages: fonts-noto-cjk, fonts-wqy-zenhei, fonts-droid-fallback.
CJK_FONTS = (
    (Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
     Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc")),
    (Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"), None),
    (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), None),
)


def when(moment: datetime.datetime | None, fmt: str = "%Y-%m-%d %H:%M %Z") -> str:
    """A moment in the library's time zone (settings.TIME_ZONE), as printed: never UTC."""
    return timezone.localtime(moment).strftime(fmt) if moment else "-"


def cjk_font() -> tuple[Path, Path | None] | None:
    """The first installed CJK font (regular, bold or None), or None."""
    for regular, bold in CJK_FONTS:
        if regular.is_file():
            return regular, bold if bold is not None and bold.is_file() else None
    return None


class _Doc(FPDF):
    def __init__(self, footer: str):
        super().__init__(format="Letter")
        self._footer_text = footer
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        cjk = cjk_font()
        if cjk is not None:
            regular, bold = cjk
            self.add_font(CJK, "", str(regular))
            if bold is not None:
                self.add_font(CJK, "B", str(bold))
            # Bold text falls back to the regular face when there is no bold one.
            self.set_fallback_fonts([CJK], exact_match=bold is not None)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self):
        self.set_y(-12)
        self.set_font(FONT, "", 8)
        self.cell(0, 6, f"{self._footer_text} · page {self.page_no()}/{{nb}}", align="C")


def _line(pdf: FPDF, text: str, size: float = 10, style: str = "", height: float = 5.5) -> None:
    pdf.set_font(FONT, style, size)
    pdf.multi_cell(0, height, text or "", new_x="LMARGIN", new_y="NEXT")


def _kv(pdf: FPDF, pairs) -> None:
    for label, value in pairs:
        pdf.set_font(FONT, "B", 9.5)
        pdf.multi_cell(0, 5, str(label), new_x="LMARGIN", new_y="NEXT")
        _line(pdf, str(value) if value not in (None, "") else "-", 10)
    pdf.ln(1.5)


def render(blocks, *, title: str, footer: str, created: datetime.datetime | None = None) -> bytes:
    pdf = _Doc(footer)
    pdf.set_title(title)
    pdf.set_author("quietdesk")
    if created is not None:
        pdf.set_creation_date(created)
    pdf.add_page()
    for block in blocks:
        kind = block[0]
        if kind == "h1":
            _line(pdf, block[1], 16, "B", 8)
            pdf.ln(2)
        elif kind == "h2":
            pdf.ln(2)
            _line(pdf, block[1], 12.5, "B", 7)
        elif kind == "p":
            _line(pdf, block[1])
            pdf.ln(1)
        elif kind == "kv":
            _kv(pdf, block[1])
        elif kind == "rows":
            columns, rows = block[1], block[2]
            if not rows:
                _line(pdf, "No records.")
            for i, row in enumerate(rows, 1):
                _line(pdf, f"Record {i}", 9, "B")
                # Columns by their names on paper ("First name"); CSV and JSON keep the keys.
                _kv(pdf, [(words.field(c), row.get(c, "")) for c in columns])
        else:
            raise ValueError(f"unknown block {kind!r}")
    return bytes(pdf.output())
