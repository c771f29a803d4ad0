"""The privacy audit as a PDF (fpdf2, DejaVu fonts, the SVG charts placed as vector images).

Built from the same data as the HTML report, so the two always say the same thing;
no browser is needed, so `quietdesk audit report` makes it anywhere (CI included).

Codes in the data (``computer_use``, ``person_in_charge``, ``given_name``) print as the
words staff know, from the vocabulary's own tables (``quietdesk.legal.words``, the
roles' labels); times were put in the library's time zone when the audit ran. Table
columns are widened until no word has to break in the middle (``_fit``).
"""

from __future__ import annotations

import io
import logging
import re
from pathlib import Path

from fpdf import FPDF
from fpdf.fonts import FontFace

from quietdesk.legal import words
from quietdesk.staff.roles import role_label

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONT = "DejaVu"
STATUS = {"pass": "PASS", "fail": "FAIL", "person": "NEEDS A PERSON", "n/a": "-"}


class _Doc(FPDF):
    def __init__(self, footer: str):
        super().__init__(format="Letter")
        self._footer = footer
        self.add_font(FONT, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_auto_page_break(auto=True, margin=16)
        self.set_margins(15, 14, 15)
        self.alias_nb_pages()

    def footer(self):
        self.set_y(-11)
        self.set_font(FONT, "", 7.5)
        self.cell(0, 5, f"{self._footer} · page {self.page_no()}/{{nb}}", align="C")


def _h(pdf: FPDF, text: str, size: float = 13) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", size)
    pdf.multi_cell(0, size * 0.55, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _p(pdf: FPDF, text: str, size: float = 9) -> None:
    pdf.set_font(FONT, "", size)
    pdf.multi_cell(0, 4.6, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _counts(counts: dict) -> str:
    return ", ".join(f"{words.category(k)} {v}" for k, v in counts.items())


PADDING = 0.8
SIZES = (7.5, 7, 6.5, 6)


def _longest_word(pdf: FPDF, text: str, style: str) -> float:
    pdf.set_font(FONT, style, pdf.font_size_pt)
    return max((pdf.get_string_width(w) for w in text.split()), default=0.0)


def _fit(pdf: FPDF, headings: list[str], rows: list[list[str]], widths: tuple[int, ...]) -> tuple[float, list[float]]:
    """A font size and column widths (mm) with room for each column's longest word.

    fpdf2 breaks a word that is wider than its cell in the middle ("Reg-istration" with
    no hyphen): give such a column what it needs, taken from the columns with room to
    spare, at the largest size where that is possible."""
    room = pdf.epw
    for size in SIZES:
        pdf.set_font(FONT, "", size)
        need = []
        for i, heading in enumerate(headings):
            body = max((_longest_word(pdf, row[i], "") for row in rows), default=0.0)
            need.append(max(body, _longest_word(pdf, heading, "B")) + 2 * PADDING + 0.6)
        if sum(need) <= room:
            break
    total = sum(widths)
    out = [room * w / total for w in widths]
    short = [i for i, w in enumerate(out) if w < need[i]]
    while short:
        lack = sum(need[i] - out[i] for i in short)
        for i in short:
            out[i] = need[i]
        spare = {i: out[i] - need[i] for i in range(len(out)) if i not in short and out[i] > need[i]}
        room_spare = sum(spare.values())
        if room_spare <= 0:
            break
        take = min(lack, room_spare)
        for i, extra in spare.items():
            out[i] -= take * extra / room_spare
        short = [i for i, w in enumerate(out) if w < need[i] - 1e-6]
    pdf.set_font(FONT, "", 7.5)
    return size, out


def _table(pdf: FPDF, headings: list[str], rows: list[list], widths: tuple[int, ...]) -> None:
    if not rows:
        _p(pdf, "None.")
        return
    rows = [["-" if value in (None, "") else str(value) for value in row] for row in rows]
    size, fitted = _fit(pdf, headings, rows, widths)
    pdf.set_font(FONT, "", size)
    with pdf.table(col_widths=fitted, width=min(sum(fitted), pdf.epw), text_align="LEFT", line_height=3.8, padding=0.8,
                   headings_style=FontFace(emphasis="BOLD", fill_color=(230, 236, 243))) as table:
        head = table.row()
        for h in headings:
            head.cell(h)
        for row in rows:
            r = table.row()
            for value in row:
                r.cell(value)
    pdf.ln(2)


def _svg(pdf: FPDF, markup: str, width: float) -> None:
    # fpdf2 ignores <title>, <desc> and markers (with a warning each): drop them first.
    markup = re.sub(r"<title\b.*?</title>|<desc\b.*?</desc>|<defs>.*?</defs>|\smarker-end=\"[^\"]*\"", "", markup,
                    flags=re.S)
    logging.getLogger("fpdf.svg").setLevel(logging.ERROR)
    box = re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', markup)
    room = pdf.h - pdf.b_margin - pdf.get_y() - 2
    if box:
        ratio = float(box.group(2)) / float(box.group(1))
        width = min(width, (pdf.h - pdf.t_margin - pdf.b_margin - 12) / ratio)  # never taller than a page
        if width * ratio > room:
            pdf.add_page(orientation=pdf.cur_orientation.value)
    pdf.image(io.BytesIO(markup.encode("utf-8")), w=width)
    pdf.ln(2)


def render(data: dict) -> bytes:
    meta, summary = data["meta"], data["summary"]
    pdf = _Doc(f"Privacy audit · {meta['library']} · {meta['generated_at']}")
    pdf.set_title(f"Privacy audit, {meta['library']}")
    pdf.set_author("quietdesk")
    pdf.add_page()
    _h(pdf, f"Privacy audit: {meta['library']}", 16)
    _p(pdf, f"Generated {meta['generated_at']} by {meta['generated_by']}. Retention schedule: {meta['schedule']}. "
            "Patrons appear only by pseudonym; no record's content is shown anywhere in this report.")
    c = summary["checklist"]
    _p(pdf, f"Summary: {summary['past_limit']} record(s) past their retention rule; {summary['flagged_staff']} staff "
            f"member(s) flagged; {summary['findings']} field(s) with high-risk data; checklist {c['pass']} pass, "
            f"{c['fail']} fail, {c['person']} need a person; {summary['vendors_incomplete']} vendor entr(ies) incomplete.")

    _h(pdf, "1. Data inventory and retention compliance")
    _table(pdf, ["Category", "Records", "How many", "Oldest", "Rule", "Past rule", "Kept by hold", "Result"],
           [[words.category(r["category"]), r["what"], r["count"], r["oldest"], r["limit"], "-" if r["past"] is None else r["past"],
             r["held"], STATUS[r["verdict"]]] for r in data["inventory"]], (14, 26, 9, 12, 27, 9, 9, 10))
    _p(pdf, "Legal holds in force: " + (", ".join(f"{h['label']} ({h['reference']}; {words.categories(h['categories'])}; "
                                                  f"{h['from']} to {h['to']})" for h in data["legal_holds"]) or "none")
            + ". Records kept for requests under non-disclosure are not itemized here.")
    band = data.get("band") or {}
    if band.get("band"):
        _p(pdf, f"National security process and sealed orders, {band['period']}: {band['band']} (reported only as a band).")
    _svg(pdf, data["charts"]["held"], 150)
    _svg(pdf, data["charts"]["ages"], 150)

    access = data["access"]
    _h(pdf, "2. Staff access review")
    _p(pdf, f"Access log since {access['since']} ({access['days']} days). Staff hours {access['hours']}. Flags: "
            f"{access['thresholds']['outside_hours']}+ reads outside hours, {access['thresholds']['outside_branch']}+ "
            f"patrons of other branches, {access['thresholds']['bulk']}+ records in one hour. {data['log']['summary']}")
    _table(pdf, ["Who", "Role", "Entries", "Patrons", "Categories", "Flags"],
           [[p["actor"], role_label(p["role"]), p["entries"], p["patrons"], _counts(p["categories"]),
             "; ".join(p["flags"]) or "none"]
            for p in access["people"]], (25, 20, 11, 11, 50, 40))

    scan = data["scan"]
    _h(pdf, "3. High-risk data scan")
    _p(pdf, f"Every free-text field, sealed ones decrypted in memory through the vault's reader (logged as "
            f"\"{scan['purpose']}\"). Findings name the record and field, never the value.")
    _table(pdf, ["Where", "Fields", "Rows", "Values", "Findings", "Note"],
           [[s["label"], ", ".join(words.field(f) for f in s["fields"]), s["rows"], s["values"], s["findings"],
             s["problem"] or (f"{s['unreadable']} unreadable" if s["unreadable"] else s["note"])]
            for s in scan["sources"]], (35, 35, 12, 12, 14, 49))
    _table(pdf, ["Where", "Record", "Field", "What was found"],
           [[f["source"], f["record"], words.field(f["field"]), ", ".join(f"{scan['labels'][k]} x{n}" for k, n in f["kinds"].items())]
            for f in scan["findings"]], (40, 30, 25, 62))

    _h(pdf, "4. Checklist (ALA privacy checklists, NISO Consensus Principles)")
    _table(pdf, ["Result", "Item", "Source", "Evidence"],
           [[STATUS[i["status"]], i["text"], i["source"], i["evidence"]] for i in data["checklist"]], (16, 45, 38, 58))

    _h(pdf, "5. Vendor register")
    _table(pdf, ["Vendor", "Service", "Holds", "Clauses confirmed", "Next review", "Missing"],
           [[v["name"] or "(unnamed)", v["service"], v["holds"], f"{sum(v['clauses'].values())}/{len(v['clauses'])}",
             (v["next_review_on"] or "-") + (" (due)" if v["review_due"] else ""), "; ".join(v["missing"]) or "nothing"]
            for v in data["vendors"]], (25, 22, 30, 15, 17, 48))

    pdf.add_page(orientation="L")
    _h(pdf, "6. Data flow map")
    _svg(pdf, data["charts"]["flow"], 245)
    _p(pdf, data.get("flows_note", ""))
    koha = data.get("koha")
    if koha:
        pdf.add_page()
        _h(pdf, "7. The library's Koha")
        if koha["error"]:
            _p(pdf, f"Koha could not be read: {koha['error']}")
        else:
            k = koha["summary"]
            _p(pdf, f"What a demand served today could reach ({koha['source']}, as of {koha['as_of']}): "
                    f"{k['past_retention']} row(s) past the [koha] retention rules, {k['linked_rows']} row(s) naming "
                    f"patrons, {k['high_risk_text']} value(s) with high-risk data.")
            _table(pdf, ["Severity", "Where", "Rows", "Patrons", "Oldest", "Past rule", "What to do"],
                   [[f["severity"], f["label"] + (f" = {f['value']}" if f["preference"] else ""), f["rows"],
                     f["linked"], f["oldest"], f["past_retention"], f["recommendation"]] for f in koha["findings"]],
                   (14, 38, 12, 14, 18, 12, 72))
    return bytes(pdf.output())
