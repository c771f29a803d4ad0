"""Classify a legal document from its text. Pure: no Django, no I/O.

The safety property: an administrative warrant, a subpoena, a detainer, a Notice to
Appear or an unreadable document never comes out as judicial. Four gates enforce it,
whatever the scores say:

1. Any immigration (DHS, immigration court) marker rules every judicial kind out.
2. A subpoena whose issuer is a clerk or an attorney rules every judicial kind out,
   even when it names a judge ("WITNESS, Honorable ..., Judge of said Court").
3. A judicial kind needs a court caption AND a judge's or magistrate's signature
   line (an immigration judge's does not count: see markers.NOT_A_JUDGE).
4. When the evidence is thin or two kinds are close, the answer is ``unknown`` with
   ``signed_by_judge`` null, and the guidance says to treat it as not signed by a judge.

A detainer cites the I-200 or I-205 that goes with it; when the detainer's own markers
are present, the warrant it cites is not taken for the document itself.
"""

import datetime
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from . import addresses, document_guidance, fields
from . import markers as mk
from .classification import Classification
from .jurisdiction import issuing_state

MIN_SCORE = 4.0  # below this, not enough evidence for any kind
MIN_MARGIN = 1.5  # a judicial answer must beat the next kind by this much
MIN_LETTERS = 40  # fewer letters than this: nothing readable
PLAUSIBLE_AHEAD = datetime.timedelta(days=3 * 366)  # deadlines further off are misreads

DEFINING = {
    kind: {m.id for m in mk.MARKERS if "defining" in m.roles and m.weights.get(kind)}
    for kind in (*mk.KINDS, *mk.PSEUDO_KINDS)
}
PSEUDO_REASONS = {
    mk.IJ_ORDER: (
        "This is an immigration judge's order (the Justice Department's immigration court). "
        "An immigration judge is not a court judge, and this is not a warrant."
    ),
}
# When the first kind's defining markers are present, the second is only cited by it.
CITES = {mk.DETAINER: (mk.ICE,)}
# A kind that needs one of these markers as well: every National Security Letter names the
# FBI (a stray "2709" is often a misread 2703 or 2705 on a court order).
REQUIRES = {mk.NSL: frozenset({"fbi", "nsl_title", "nsl_certification"})}
COURT_ISSUED = mk.JUDICIAL_KINDS | {mk.GJ, mk.CS}


def unknown(reason: str, *, findings: list[dict[str, str]] | None = None) -> Classification:
    """The safe answer: not identified, so treated as not signed by a judge."""
    c = Classification(reason=reason, findings=findings or [])
    c.guidance = document_guidance.build(c)
    return c


@dataclass
class _Hit:
    marker: mk.Marker
    start: int
    end: int
    text: str
    in_head: bool


def _hits(n: mk.Normalized) -> dict[str, _Hit]:
    masked = mk.NOT_A_JUDGE.sub(lambda m: "#" * len(m.group()), n.text)
    hits: dict[str, _Hit] = {}
    for marker in mk.MARKERS:
        haystack = masked if "judge" in marker.roles else n.text
        best = None
        for pattern in marker.compiled():
            m = pattern.search(haystack)
            if m and (best is None or m.start() < best.start()):
                best = m
        if best:
            in_head = any(p.search(n.text[: n.head_end]) for p in marker.compiled())
            hits[marker.id] = _Hit(
                marker, best.start(), best.end(), n.source(best.start(), best.end())[:160], in_head
            )
    return hits


def _scores(hits: dict[str, _Hit]) -> dict[str, float]:
    scores = dict.fromkeys((*mk.KINDS, *mk.PSEUDO_KINDS), 0.0)
    for hit in hits.values():
        for kind, weight in hit.marker.weights.items():
            scores[kind] += weight
    return scores


def _finding(marker: str, text: str, meaning: str) -> dict[str, str]:
    return {"marker": marker, "text": text, "meaning": meaning}


def classify_text(
    text: str,
    *,
    today: datetime.date,
    library_state: str,
    ocr_quality: float | None = None,
    branch_addresses: Sequence[str] | None = None,
) -> Classification:
    """What the document is. ``ocr_quality`` (0..1, from OCR word confidences) only
    lowers the stated confidence; it never makes a document judicial.
    ``branch_addresses`` (the library's buildings) let the reader say whether the
    premises the document names are the library's; without them that stays null."""
    n = mk.normalize(text or "")
    if sum(ch.isalpha() for ch in n.text) < MIN_LETTERS:
        return unknown("No readable text: the page is blank or could not be read.")
    hits = _hits(n)
    findings = [
        _finding(h.marker.id, h.text, h.marker.meaning)
        for h in sorted(hits.values(), key=lambda h: h.start)
    ]
    scores = _scores(hits)
    vetoes = [
        h
        for h in hits.values()
        if "veto" in h.marker.roles or ("head_veto" in h.marker.roles and h.in_head)
    ]
    has = hits.__contains__

    if has("informational"):
        return unknown(
            "This reads like a guide or flyer about legal documents, not a document served "
            "on the library.",
            findings=findings,
        )
    candidates = {k: s for k, s in scores.items() if k in DEFINING and DEFINING[k] & hits.keys()}
    for kind, needed in REQUIRES.items():
        if not needed & hits.keys():
            candidates.pop(kind, None)
    for kind, cited in CITES.items():
        if kind in candidates:
            for other in cited:
                candidates.pop(other, None)
    issued_by_non_judge = DEFINING[mk.CS] & hits.keys() and any(
        "issuer" in h.marker.roles for h in hits.values()
    )
    if vetoes or issued_by_non_judge:
        for kind in mk.JUDICIAL_KINDS:
            candidates.pop(kind, None)
    ranked = sorted(candidates.items(), key=lambda kv: kv[1], reverse=True)
    if not ranked or ranked[0][1] < MIN_SCORE:
        why = (
            "No legal-document markers were found."
            if not hits
            else ("Too few markers to tell what kind of document this is.")
        )
        if vetoes:
            why += " It carries immigration (DHS) wording, so it is not a judge's warrant."
        return unknown(why, findings=findings)
    kind, best = ranked[0]
    runner = ranked[1][1] if len(ranked) > 1 else 0.0
    if kind in PSEUDO_REASONS:
        return unknown(PSEUDO_REASONS[kind], findings=findings)

    if kind in mk.JUDICIAL_KINDS:
        caption = "caption_fisc" if kind == mk.FI else None
        has_caption = (
            has(caption) if caption else any(h.marker.roles & {"caption"} for h in hits.values())
        )
        has_judge = any("judge" in h.marker.roles for h in hits.values()) or (
            # Every FISC order is signed by one of its judges; OCR often mangles the rest
            # of the title. The caption itself is a court's, so this cannot admit an
            # administrative document (and veto markers have already ruled those out).
            kind == mk.FI and re.search(r"\bjudge\b", mk.NOT_A_JUDGE.sub("#", n.text)) is not None
        )
        if not has_caption or not has_judge:
            missing = (
                "a court caption" if not has_caption else "a judge's or magistrate's signature line"
            )
            return unknown(
                f"It looks like {document_guidance.a(kind)}, but {missing} could not be found, "
                "so it cannot be confirmed as signed by a judge.",
                findings=findings,
            )
        if best - runner < MIN_MARGIN:
            other = ranked[1][0]
            return unknown(
                f"It could be {document_guidance.a(kind)} or {document_guidance.a(other)}; "
                "the reader cannot tell which.",
                findings=findings,
            )
    elif len(ranked) > 1 and best - runner < 0.5 and ranked[1][0] in mk.JUDICIAL_KINDS:
        return unknown("Two kinds of document fit equally well.", findings=findings)

    c = Classification(kind=kind, findings=findings)
    c.signed_by_judge = kind in mk.JUDICIAL_KINDS
    court_issued = kind in COURT_ISSUED
    c.issuer, _pos = fields.issuer(n, prefer_court=court_issued)
    c.signatory_title = fields.signatory_title(n, kind)
    c.form_number = fields.form_number(n, kind)
    c.names = fields.names(text)
    c.dates = fields.dates(n, kind)
    state = issuing_state(n.text) if court_issued else None
    _derive_dates(c, n, hits, state, today)
    c.out_of_state = _out_of_state(c, state, library_state) if court_issued else None
    c.names_other_premises = _names_other_premises(c, branch_addresses)
    c.nondisclosure = _nondisclosure(c, n, hits)
    c.authorizes = _authorizes(kind, n)
    quality = 1.0 if ocr_quality is None else 0.6 + 0.4 * max(0.0, min(1.0, ocr_quality))
    # Strength of the evidence times how clearly it beats the next kind.
    margin = min(1.0, 0.5 + (best - runner) / 8)
    c.confidence = round((1 - math.exp(-best / 5)) * margin * quality, 2)
    c.guidance = document_guidance.build(c)
    return c


_WITHIN_DAYS = re.compile(
    r"within (\w+) days,? (?:exclusive of|excluding|not counting) the day of (?:its )?issu"
)
_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10, "fifteen": 15}


def _derive_dates(
    c: Classification, n: mk.Normalized, hits: dict, state: str | None, today: datetime.date
) -> None:
    d = c.dates
    state_court = {"caption_state", "people_of_state", "state_caption"} & hits.keys()
    if c.kind == mk.JS and state_court and d["issued"] and not d["execute_by"]:
        issued = datetime.date.fromisoformat(d["issued"])
        within = _WITHIN_DAYS.search(n.text)
        days = within and (_NUMBERS.get(within.group(1)) or _int(within.group(1)))
        if within and days:
            # Texas: "within three days, exclusive of the day of its issuance" (art. 18.06).
            d["execute_by"] = (issued + datetime.timedelta(days=days)).isoformat()
            c.findings.append(
                _finding(
                    "derived_execute_by",
                    n.source(within.start(), within.end()),
                    f"the warrant must be executed within {days} days of its issue",
                )
            )
        elif state == "CA":
            d["execute_by"] = (issued + datetime.timedelta(days=10)).isoformat()
            c.findings.append(
                _finding(
                    "derived_execute_by",
                    d["issued"],
                    "California search warrants must be executed within 10 days (Penal Code 1534)",
                )
            )
    if c.kind == mk.FI and d["issued"] and d["issued"] > mk.SECTION_215_SUNSET:
        c.findings.append(
            _finding(
                "section_215_sunset",
                d["issued"],
                "dated after Section 215 lapsed on 15 March 2020: a red flag for counsel to check",
            )
        )
    due = d["execute_by"] or (d["return_date"] if c.kind in {mk.GJ, mk.CS, mk.AS} else None)
    if due and datetime.date.fromisoformat(due) > today + PLAUSIBLE_AHEAD:
        # "May 19, 2075": far more likely a misread "2025" than a real deadline.
        c.findings.append(_finding("implausible_date", due, "a date years ahead: check it"))
        due = None
    c.expired = None if due is None else today > datetime.date.fromisoformat(due)


def _int(word: str) -> int | None:
    return int(word) if word.isdigit() and 0 < int(word) < 100 else None


def _names_other_premises(c: Classification, branch_addresses: Sequence[str] | None) -> bool | None:
    """Whether the premises the document names are none of the library's branches."""
    if not branch_addresses:
        return None
    other = addresses.names_other_premises(c.names["premises"], branch_addresses)
    if other is not None:
        c.findings.append(
            _finding(
                "premises_checked",
                "; ".join(c.names["premises"])[:160],
                "names a place that is not one of the library's branches"
                if other
                else "names one of the library's branches",
            )
        )
    return other


def _out_of_state(c: Classification, state: str | None, library_state: str) -> bool | None:
    if c.kind == mk.FI:
        return False  # the FISC sits in Washington, D.C., for the whole country
    if state is None:
        return None
    c.findings.append(_finding("issuing_state", state, "the state the issuing court sits in"))
    return state != library_state.upper()


def _nondisclosure(c: Classification, n: mk.Normalized, hits: dict) -> bool:
    imposed = [m for p in mk.SECRECY_IMPOSED if (m := p.search(n.text))]
    requested = [m for p in mk.SECRECY_REQUESTED if (m := p.search(n.text))]
    if requested and not imposed:
        m = requested[0]
        c.findings.append(
            _finding(
                "secrecy_requested",
                n.source(m.start(), m.end())[:160],
                "asks for secrecy; a request is not a gag order",
            )
        )
    if not imposed:
        return False
    m = imposed[0]
    text = n.source(m.start(), m.end())[:160]
    binding = c.kind in {mk.NSL, mk.FI} or (
        c.kind in {mk.CO, mk.JS, mk.JA, mk.GJ}
        and "hereby_ordered" in hits
        and any("judge" in h.roles for h in (mk.BY_ID[k] for k in hits))
    )
    if binding:
        c.findings.append(_finding("nondisclosure", text, "imposes secrecy (a gag)"))
        return True
    c.findings.append(
        _finding(
            "secrecy_claimed",
            text,
            "claims secrecy, but this kind of document cannot impose it by itself",
        )
    )
    return False


def _authorizes(kind: str, n: mk.Normalized) -> list[str]:
    records = bool(
        re.search(
            r"\b(records?|documents?|data|information|registros|documentos|"
            r"electronically stored|tangible things|computers?)\b",
            n.text,
        )
    )
    appear = bool(re.search(r"\b(appear|testify|testimony|comparecer|testificar)\b", n.text))
    if kind == mk.JS:
        return ["search_premises", "records"] if records else ["search_premises"]
    if kind in {mk.JA, mk.ICE}:
        return ["custody_of_person"]
    if kind in {mk.CO, mk.FI, mk.WA}:
        return ["records"] if records or kind != mk.CO else ["nothing_immediate"]
    if kind == mk.NTA:
        return ["appearance", "nothing_immediate"]
    if kind in {mk.NSL, mk.GJ, mk.CS, mk.AS}:
        wants = (["records"] if records or kind == mk.NSL else []) + (
            ["appearance"] if appear and kind != mk.NSL else []
        )
        return [*wants, "nothing_immediate"]
    return ["nothing_immediate"]
