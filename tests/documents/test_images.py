"""Damaged phone photos and PDFs of the corpus, read end to end (Tesseract OCR).

The suite reads 21 pages (18 photos, one of them also turned sideways, 2 scanned PDFs); ``quietdesk bench classify``
reads a photo of every document."""

import shutil

import pytest

from quietdesk.documents import markers as mk
from quietdesk.documents.reader import read_document

from . import matrix

pytestmark = [
    pytest.mark.nodb,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed"),
]


@pytest.fixture(scope="session")
def results(rendered, corpus):
    out = []
    for name, source, path in rendered:
        c = read_document(path, today=corpus["today"], library_state=corpus["library_state"])
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
