"""From the desk form to the case's answers: the document kind (by hand or by the
document reader), with a safe fallback whenever the reader cannot read the file or fails.

Whenever a file is attached the reader reads it, even when the desk chose the kind by
hand. One document, one verdict: when the reader identifies a document that is not
signed by a judge (an I-200, a subpoena, a detainer...), the case follows the document,
whatever was chosen, and the disagreement is shown. A hand choice of a judge-signed
document that the reader does not confirm (or a document with immigration (DHS) wording)
is treated as unknown. A hand choice can make a request more cautious, never less."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.utils import timezone

from quietdesk.core.models import Branch
from quietdesk.policy import vocab

log = logging.getLogger(__name__)

READER_FAILED = "The document reader could not read this file, so it is treated as not signed by a judge."
NOTHING_TO_READ = "No photo was added, so the document is treated as not signed by a judge."


def _veto_markers() -> frozenset[str]:
    """The reader's markers for immigration (DHS) or immigration-court wording."""
    from quietdesk.documents.markers import MARKERS  # see read_kind: loaded when first needed

    return frozenset(m.id for m in MARKERS if "veto" in m.roles)


def reader_disagrees(reading: dict | None) -> str | None:
    """Why the reader's verdict rules out a judge-signed document, or None when it does not.

    "unknown" does not rule it out (a blurred photo of a real order); a document the
    reader identified as something else, or found immigration (DHS) wording in, does."""
    if not reading:
        return None
    kind = reading.get("kind") or "unknown"
    if reading.get("immigration_wording"):
        return "it carries immigration (DHS) wording"
    if kind != "unknown" and kind not in vocab.JUDICIAL_DOCUMENTS:
        return f"it reads as: {kind}"
    if reading.get("signed_by_judge") is False:
        return "it is not signed by a judge"
    return None


def confirms_judicial(reading: dict | None) -> bool:
    """The reader read a judge-signed document, with no immigration wording."""
    if not reading:
        return False
    return reading.get("kind") in vocab.JUDICIAL_DOCUMENTS \
        and reading.get("signed_by_judge") is True and not reading.get("immigration_wording")


def identified_kind(reading: dict | None) -> str:
    """The kind the reader identified, as the case may use it: a judge-signed kind only when
    the reader confirms the judge's signature (else ``unknown``)."""
    kind = (reading or {}).get("kind") or "unknown"
    if kind in vocab.JUDICIAL_DOCUMENTS and not confirms_judicial(reading):
        return "unknown"
    return kind


def read_kind(upload) -> tuple[str, dict]:
    """Ask ``quietdesk.documents.pipeline`` what the document is. Never raises.

    Returns the document word (``unknown`` when in doubt) and what the reader said,
    kept sealed with the copy in the case file: with the people, premises and records
    it names, which only those who may open the case file read back. What the desk may
    see of it, with no name in it, is ``public_facts``.
    """
    # Imported here, not at the top: compiling the reader's patterns takes about a fifth
    # of a second, which a worker pays on its first photo rather than at start-up.
    from quietdesk.documents import pipeline

    branches = Branch.street_addresses()  # does the document name one of ours?
    try:
        c = pipeline.read_document(upload.data, today=timezone.localdate(), library_state=settings.LIBRARY_STATE,
                                   branch_addresses=branches)
    except Exception:  # the desk must never see an error page because a photo was odd
        log.warning("document reader failed", exc_info=False)
        return "unknown", {"kind": "unknown", "reason": READER_FAILED, "guidance": [], "unreadable": True}
    kind = c.kind if c.kind in vocab.DOCUMENTS else "unknown"
    vetoes = _veto_markers()
    found = {f.get("marker") for f in (getattr(c, "findings", None) or []) if isinstance(f, dict)}
    reading = {
        "kind": kind,
        "signed_by_judge": c.signed_by_judge,
        "reason": c.reason,
        "guidance": list(c.guidance or []),
        "return_date": (c.dates or {}).get("return_date"),
        "nondisclosure": c.nondisclosure,
        "expired": c.expired,
        "out_of_state": getattr(c, "out_of_state", None),
        "names_other_premises": getattr(c, "names_other_premises", None),
        "confidence": c.confidence,
        "immigration_wording": bool(found & vetoes),
        # What it is and what it names, in the reader's words (shown in plain words at the desk).
        "issued": (c.dates or {}).get("issued"),
        "execute_by": (c.dates or {}).get("execute_by"),
        "issuer": getattr(c, "issuer", None),
        "signatory_title": getattr(c, "signatory_title", None),
        "form_number": getattr(c, "form_number", None),
        "authorizes": list(getattr(c, "authorizes", None) or []),
        "names": {k: list((getattr(c, "names", None) or {}).get(k) or []) for k in ("persons", "premises", "records")},
        # Nothing a legal document carries was found: a blurred, dark or cut-off photo, or not a document.
        "unreadable": kind == "unknown" and not (found - NOT_MARKERS),
    }
    return kind, reading


NOT_MARKERS = frozenset({"read_from", "note", None})

# What the desk may see of a reading: facts about the document, never a name or an address.
PUBLIC_FACTS = ("kind", "signed_by_judge", "signatory_title", "issuer", "form_number", "issued", "execute_by",
                "return_date", "expired", "out_of_state", "names_other_premises", "nondisclosure",
                "immigration_wording", "authorizes", "unreadable", "reason", "confidence", "hand_choice")


def public_facts(reading: dict | None) -> dict:
    """The reading without the people, premises and records it names (their number only):
    stored in plain beside the sealed copy, so the desk page can say what the document is."""
    if not reading:
        return {}
    facts = {k: reading.get(k) for k in PUBLIC_FACTS if reading.get(k) is not None}
    names = reading.get("names") or {}
    facts["named"] = {k: len(names.get(k) or []) for k in ("persons", "premises", "records")}
    return facts


# Words on a document's list of records, and the records category each names (for the director
# to confirm: the case's "what they asked for" and the production scope start from these).
_CATEGORY_WORDS = (
    ("computer_use", ("computer", "internet", "wifi", "wi-fi", "session", "ip address", "log-in", "login")),
    ("camera", ("camera", "video", "footage", "surveillance", "cctv")),
    ("ill", ("interlibrary", "inter-library")),
    ("holds", ("hold", "request")),
    ("programs", ("program", "event", "class", "attendance")),
    ("circulation", ("circulation", "borrow", "loan", "checked out", "check-out", "checkout", "items",
                     "reading", "titles")),
    ("registration", ("registration", "address", "phone", "email", "name", "card", "patron information",
                      "subscriber", "account", "contact")),
)


def categories_named(reading: dict | None) -> list[str]:
    """The records categories a reading's list of records names, in the policy's order."""
    if not reading:
        return []
    text = " ".join((reading.get("names") or {}).get("records") or []).lower()
    found = {category for category, words in _CATEGORY_WORDS if any(w in text for w in words)}
    return [c for c in vocab.ASKABLE if c in found]


def resolve(cleaned: dict) -> tuple[dict, str, dict | None]:
    """The case data from the desk form: (data, document_source, reading).

    ``document_source`` is none, hand, reader, or conflict: the hand choice and the reader
    disagree. Then the document is the one the reader identified when it is not a judge's,
    or "unknown" for a judge-signed choice the reader did not confirm; ``data["hand_choice"]``
    keeps the choice, and the reading says what the reader found."""
    from .forms import READ

    data = dict(cleaned)
    uploads = data.get("files") or []
    chosen = data.get("document") or ""
    reading = None
    if uploads:
        # Whatever was chosen, the reader reads the first file.
        read_as, reading = read_kind(uploads[0])
        uploads[0].reading = reading
    if chosen == READ or (not chosen and uploads):
        if uploads:
            data["document"], source = read_as, "reader"
        else:
            data["document"], reading, source = "unknown", {"kind": "unknown", "reason": NOTHING_TO_READ}, "reader"
    elif chosen:
        source = "hand"
        identified = identified_kind(reading) if uploads else "unknown"
        if reading is not None and identified not in ("unknown", chosen) and identified not in vocab.JUDICIAL_DOCUMENTS:
            # One document, one verdict: the reader identified a document that is not a judge's,
            # so the case follows the document whatever was chosen (the choice is kept and shown).
            data["hand_choice"], data["document"], source = chosen, identified, "conflict"
            reading["hand_choice"] = chosen
        elif uploads and reading is not None and chosen in vocab.JUDICIAL_DOCUMENTS and not confirms_judicial(reading):
            data["hand_choice"], data["document"], source = chosen, "unknown", "conflict"
            reading["hand_choice"] = chosen
    else:
        data["document"], source = "none", "none"
    if reading:
        if reading.get("nondisclosure"):
            data["nondisclosure"] = True
        if not data.get("return_date") and reading.get("return_date"):
            try:
                data["return_date"] = datetime.date.fromisoformat(str(reading["return_date"])[:10])
            except ValueError:
                pass
    return data, source, reading
