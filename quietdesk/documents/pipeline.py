"""Read a document file and say what it is: the one call the desk workflow and the
``classify`` command use. Pure: no Django (callers pass today's date and the state).
"""

import datetime
import os
from collections.abc import Sequence

from . import markers as mk
from .classification import Classification
from .classify import MIN_LETTERS, classify_text, unknown
from .extract import Extracted, Limits, extract

SOURCES = {
    "text": "a text file",
    "pdf-text": "the PDF's text",
    "pdf-ocr": "OCR of a scanned PDF",
    "pdf-text+ocr": "the PDF's text and OCR of its scanned pages",
    "image-ocr": "OCR of a photo",
}
UNREADABLE_QUALITY = 0.35  # mean OCR word confidence below this: the page was not readable


def read_document(
    source: str | os.PathLike | bytes,
    *,
    today: datetime.date,
    library_state: str,
    limits: Limits | None = None,
    branch_addresses: Sequence[str] | None = None,
) -> Classification:
    """Classify a photo, PDF or text file (a path or its bytes). Never raises on bad input.
    ``branch_addresses``: the library's buildings, to tell whether the document names one."""
    return classify_extracted(
        extract(source, limits),
        today=today,
        library_state=library_state,
        branch_addresses=branch_addresses,
    )


def classify_extracted(
    got: Extracted,
    *,
    today: datetime.date,
    library_state: str,
    branch_addresses: Sequence[str] | None = None,
) -> Classification:
    if got.reason:
        return unknown(got.reason)
    c = classify_text(
        got.text,
        today=today,
        library_state=library_state,
        ocr_quality=got.ocr_quality,
        branch_addresses=branch_addresses,
    )
    if c.kind == mk.UNKNOWN and got.ocr_pages:
        letters = sum(ch.isalpha() for ch in got.text)
        if letters < MIN_LETTERS:
            c = unknown("No text was found: the page is blank or it is not a document.")
        elif got.ocr_quality is not None and got.ocr_quality < UNREADABLE_QUALITY:
            c = unknown(
                "The photo could not be read clearly. Retake it flat, in good light, filling the frame.",
                findings=c.findings,
            )
    how = SOURCES.get(got.source, got.source)
    pages = f"{got.pages} page{'s' if got.pages != 1 else ''}"
    read = f"{how}, {pages}" + (
        f", OCR confidence {got.ocr_quality:.0%}" if got.ocr_quality is not None else ""
    )
    c.findings.append({"marker": "read_from", "text": read, "meaning": "how the text was read"})
    if got.note:
        c.findings.append({"marker": "note", "text": got.note, "meaning": "about the file"})
        if c.reason:
            c.reason = f"{c.reason} ({got.note})"
            c.guidance = [
                line if not line.startswith("Why: ") else f"Why: {c.reason}" for line in c.guidance
            ]
    return c
