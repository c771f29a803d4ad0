"""The one-page desk card (PDF): what to say when officers arrive, and whom to call.

The scripts are the policy engine's own words (``procedure.desk_card_situations``).
Rendered with fpdf2 and Debian's DejaVu fonts (full Unicode, nothing fetched).
The text shrinks until everything fits on one page.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from quietdesk.legal import scripts
from quietdesk.policy import explain

from . import procedure

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
SIZES = (10, 9.5, 9, 8.5, 8, 7.5, 7, 6.5, 6)

# The few actions every visit needs, in the engine's wording.
DO = ("notify_director", "record_credentials", "ask_purpose", "copy_documents", "do_not_interfere",
      "incident_report")


class FontMissing(RuntimeError):
    pass


def _pdf() -> FPDF:
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_margins(36, 32, 36)
    pdf.set_auto_page_break(True, margin=32)
    pdf.set_creator("quietdesk")
    pdf.set_title("Desk card: when officers arrive")
    for style, name in FONTS.items():
        path = FONT_DIR / name
        if not path.is_file():
            raise FontMissing(f"{path} is missing: install Debian's fonts-dejavu-core.")
        pdf.add_font("DejaVu", style, str(path))
    return pdf


def _render(size: float, library_name: str, contacts) -> FPDF:
    pdf = _pdf()
    pdf.add_page()
    line = size * 1.3
    width = pdf.epw

    def heading(text: str, scale: float = 1.25) -> None:
        pdf.set_font("DejaVu", "B", size * scale)
        pdf.multi_cell(width, size * scale * 1.3, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(size * 0.2)

    def para(text: str, style: str = "", indent: float = 0) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(width - indent, line, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    heading(f"When officers arrive · {library_name}", 1.5)
    para("Stay calm. You need not answer on the spot: the director (or designee) decides. "
         "Never physically interfere. Say the words below, then call.")
    para(scripts.NEVER_DECEIVE, "B")
    pdf.ln(size * 0.5)

    heading("What to say")
    for situation in procedure.desk_card_situations():
        para(situation.title, "B")
        para(f"“{situation.say}”", indent=size)
        if scripts.IF_THEY_REFUSE in situation.after_say:
            para(scripts.IF_THEY_REFUSE, indent=size)
        pdf.ln(size * 0.3)

    heading("What to do, every time")
    for key in DO:
        para(f"•  {explain.ACTION_TEXT[key]}", indent=size * 0.5)
    para("•  Write it down as soon as you can (SALUTE), with the date and time:", indent=size * 0.5)
    for key, text in procedure.SALUTE:
        para(f"{key}: {text}", indent=size * 2)
    pdf.ln(size * 0.5)

    heading("Whom to call")
    if not contacts:
        para("No contacts yet: the director adds them in the guide (Contacts).")
    for c in contacts:
        numbers = "; ".join(x for x in (c.phone, f"after hours {c.after_hours}" if c.after_hours else "",
                                        c.email) if x)
        rest = " · ".join(x for x in (numbers, c.note) if x)
        pdf.set_font("DejaVu", "B", size)
        pdf.write(line, f"{c.get_kind_display()}: {c.name}")
        pdf.set_font("DejaVu", "", size)
        if rest:
            pdf.write(line, f"  {rest}")
        pdf.ln(line)
    return pdf


def render(library_name: str, contacts) -> bytes:
    """The desk card as PDF bytes: the largest text size at which everything fits on one page."""
    contacts = list(contacts)
    for size in SIZES:
        pdf = _render(size, library_name, contacts)
        if pdf.page == 1:
            break
    return bytes(pdf.output())
