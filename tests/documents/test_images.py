"""Damaged phone photos and PDFs of the corpus, read end to end (Tesseract OCR).

The suite reads 27 pages (24 photos, one of them also turned sideways, 2 scanned PDFs); ``quietdesk bench classify``
reads a photo of every document."""

import shutil

import pytest

from quietdesk.documents import markers as mk
from quietdesk.documents.classify import classify_text
from quietdesk.documents.pipeline import read_document

from . import matrix
from .conftest import CORPUS

pytestmark = [
    pytest.mark.nodb,
    # The first test waits for OCR of every page (about 1.5 s of CPU each); on the 2 shared
    # cores under a full load that alone has taken more than the default 300 s.
    pytest.mark.timeout(900),
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed"),
]


@pytest.fixture(scope="session")
def results(rendered, corpus):
    out = []
    for name, source, path in rendered:
        c = read_document(
            path,
            today=corpus["today"],
            library_state=corpus["library_state"],
            branch_addresses=corpus["branch_addresses"],
        )
        out.append((name, source, corpus["by_name"][name], c))
    return out


def test_photos_accuracy_and_confusion_matrix(results, capsys):
    pairs = [(row["kind"], c.kind) for _, source, row, c in results if source != "pdf-text"]
    with capsys.disabled():
        print("\n" + matrix.table(pairs, "photos and scanned PDFs"))
    wrong = [
        (n, row["kind"], c.kind, c.reason) for n, _, row, c in results if c.kind != row["kind"]
    ]
    assert len(wrong) <= 1, wrong


def test_no_photo_of_an_administrative_document_reads_as_judicial(results):
    rows = [(n, row["kind"], c.kind, c.signed_by_judge) for n, _, row, c in results]
    assert matrix.admin_as_judicial(rows) == []
    for *_, c in results:
        if c.kind == mk.UNKNOWN:
            assert c.signed_by_judge is None


def test_photo_particulars(results):
    by_name = {name: c for name, _, _, c in results}
    ice = by_name["ice_i200"]
    assert ice.form_number == "I-200" and ice.signed_by_judge is False
    assert any("Dana Example" in p for p in ice.names["persons"])
    assert "custody_of_person" in ice.authorizes and "search_premises" not in ice.authorizes
    warrant = by_name["js_ao93_ndcal"]
    assert warrant.dates["execute_by"] == "2025-06-24" and warrant.expired is False
    assert by_name["nta_i862_es"].form_number == "I-862"


def test_pdfs_use_the_text_layer_or_ocr(results):
    for name, source, row, c in results:
        read = next(f["text"] for f in c.findings if f["marker"] == "read_from")
        if source == "pdf-text":
            assert read.startswith("the PDF's text") and c.kind == row["kind"], name
        elif source == "pdf-scan":
            assert read.startswith("OCR of a scanned PDF"), name
        else:
            assert read.startswith("OCR of a photo"), name
    turned = [c for _, source, _, c in results if source == "photo-turned"]
    assert turned and all(c.kind == "administrative_subpoena" for c in turned)


def test_a_photo_reads_the_same_validity_facts_as_the_clean_page(results, corpus):
    """Out of state, expired, names other premises and the date of issue must not flip
    between a clean scan and a poor photo of the same page."""
    compared = 0
    for name, source, row, c in results:
        if c.kind != row["kind"] or source == "pdf-text":
            continue  # an unreadable photo answers unknown, with every fact null
        clean = classify_text(
            (CORPUS / f"{name}.txt").read_text(encoding="utf-8"),
            today=corpus["today"],
            library_state=corpus["library_state"],
            branch_addresses=corpus["branch_addresses"],
        )
        for fact in ("out_of_state", "expired", "names_other_premises", "form_number"):
            assert getattr(c, fact) == getattr(clean, fact), (name, source, fact)
        assert c.dates["issued"] == clean.dates["issued"], (name, source)
        compared += 1
    assert compared >= sum(source != "pdf-text" for _, source, _, _ in results) - 1


def test_photos_of_the_new_kinds(results):
    by_name = {name: c for name, source, _, c in results if source == "photo"}
    detainer = by_name["det_i247a_with_i200"]
    assert detainer.kind == mk.DETAINER and detainer.form_number == "I-247A"
    subpoena = by_name["cs_ny_ada_teste"]
    assert subpoena.kind == mk.CS and subpoena.signed_by_judge is False
    texas = by_name["js_texas_magistrate"]
    assert texas.out_of_state is True and texas.names_other_premises is True
