"""The high-risk scanner on the labelled corpus the project generates: precision and recall per kind."""

import dataclasses

import pytest

from quietdesk.stats.audit_report import corpus, scanner

pytestmark = pytest.mark.nodb


@pytest.fixture(scope="module")
def quality():
    notes = corpus.generate(3000, seed=11)
    return corpus.evaluate(notes, lambda t: [(f.kind, f.start, f.end) for f in scanner.scan(t)])


@pytest.mark.parametrize("kind", scanner.KINDS)
def test_precision_and_recall_per_kind(quality, kind):
    q = quality[kind]
    assert q["labelled"] >= 150, q  # every kind is well represented
    assert q["recall"] >= 0.97, (kind, q)
    assert q["precision"] >= 0.97, (kind, q)


def test_the_corpus_has_decoys_and_negatives():
    notes = corpus.generate(400, seed=3)
    empty = [n for n in notes if not n.spans]
    assert len(empty) > 150
    text = " ".join(n.text for n in empty)
    for decoy in ("ISBN", "ZIP", "Card 2100", "Visa card", "Refugee by Alan Gratz", "Arkham Asylum"):
        assert decoy in text, decoy
    assert all(scanner.scan(n.text) == [] for n in empty[:150])


@pytest.mark.parametrize("text", [
    "ZIP 95401-1234 on the flyer", "ISBN 978-0-306-40615-7", "ISBN 0-306-40615-2", "ISBN 9780306406157",
    "Card 21000000012345 renewed", "Item 31234000567890", "000-12-3456", "666-12-3456", "123-00-4567",
    "123-45-0000", "912-45-6789 (not an ITIN range)", "123456789 with no context", "call 123-456-7890",
    "Paid with a Visa card.", "Returned the novel Refugee.", "Room 204 at 10:30 on 2024-03-15", "$12.50 paid",
    "A1234567 with no context", "Passport photos are taken at the copy center.",
])
def test_decoys_are_not_findings(text):
    assert scanner.scan(text) == [], text


@pytest.mark.parametrize(("text", "kind"), [
    ("SSN 123-45-6789", "ssn"), ("her social security number is 123456789", "ssn"),
    ("ITIN 912-78-1234", "itin"), ("A-number A123456789", "a_number"), ("A-123-456-789 on the letter", "a_number"),
    ("passport X12345678", "passport"), ("pasaporte 123456789", "passport"), ("(707) 524-3311", "phone"),
    ("cell 7075243311", "phone"), ("ana@example.org", "email"), ("she is undocumented", "immigration"),
    ("dijo que es indocumentada", "immigration"), ("espera su tarjeta verde", "immigration"),
    ("his DACA renewal", "immigration"), ("teme la deportación", "immigration"),
])
def test_each_kind_is_found(text, kind):
    assert [f.kind for f in scanner.scan(text)] == [kind], text


def test_a_finding_never_carries_the_value():
    finding = scanner.scan("SSN 123-45-6789")[0]
    assert {f.name for f in dataclasses.fields(finding)} == {"kind", "start", "end"}
    assert "6789" not in repr(finding)
