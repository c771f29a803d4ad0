"""The high-risk scanner on the labelled corpus the project generates: precision and recall per kind."""

import dataclasses

import pytest

from quietdesk.privacy.audit_report import scanner
from tests.privacy import scanner_corpus as corpus

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
    ("Patron said she is from Guatemala", "national_origin"), ("Patron is Honduran.", "national_origin"),
    ("Wrote that he was born in Mexico", "national_origin"), ("La señora es salvadoreña", "national_origin"),
    ("Nació en Venezuela", "national_origin"), ("Mother is a Cuban citizen", "national_origin"),
    ("Patron has HIV", "health"), ("She is pregnant", "health"), ("Mentioned his cancer diagnosis", "health"),
    ("Tiene diabetes", "health"), ("Está embarazada", "health"), ("Was diagnosed with epilepsy", "health"),
])
def test_each_kind_is_found(text, kind):
    assert [f.kind for f in scanner.scan(text)] == [kind], text


@pytest.mark.parametrize("text", [
    "Stories from Guatemala flyer is up.", "Mexican cookbook on hold.", "Travel guide to Honduras requested.",
    "Asked for books on diabetes.", "Cancer awareness walk poster.", "HIV testing clinic brochure restocked.",
    "From Mexico with Love on DVD", "Patron is Spanish-speaking", "The author is Mexican", "Mexican national parks",
    "Libros sobre la diabetes", "Pidió una guía de viaje de México", "Support group for people living with HIV",
])
def test_topics_are_not_statements_about_a_person(text):
    assert scanner.scan(text) == [], text
    assert scanner.statements(text) == [], text


# What the desk refuses (patrons.validators): statements that a person has a status, and identity numbers.
STATEMENTS = [
    ("Patron is undocumented, from Guatemala", {"immigration", "national_origin"}),
    ("Undocumented. Asked about ESL.", {"immigration"}),
    ("A patron who is undocumented", {"immigration"}), ("ESL for Maria, who is undocumented", {"immigration"}),
    ("Her asylum case is next month", {"immigration"}), ("He applied for asylum last year", {"immigration"}),
    ("Patron's green card expired", {"immigration"}), ("She's a refugee", {"immigration"}),
    ("Dijo que es indocumentada", {"immigration"}), ("Espera su tarjeta verde", {"immigration"}),
    ("Undocumented patron asked for ESL", {"immigration"}), ("Patron is on a student visa", {"immigration"}),
    ("Family from Honduras, new in town", {"national_origin"}), ("Es de El Salvador", {"national_origin"}),
    ("She is originally from Mexico", {"national_origin"}), ("Patron is from the U.S.", {"national_origin"}),
    ("Nationality: Guatemalan", {"national_origin"}),
    ("A-number A123456789", {"a_number"}), ("SSN 123-45-6789", {"ssn"}), ("ITIN 912-78-1234", {"itin"}),
    ("passport X12345678", {"passport"}),
    ("Patron has HIV", {"health"}), ("She is pregnant", {"health"}), ("Tiene cáncer", {"health"}),
    ("Patron living with HIV", {"health"}), ("Pregnant patron needs a chair", {"health"}),
    ("Esta embarazada", {"health"}), ("Teme la deportacion de su hijo", {"immigration"}),
    ("the asylum case of her husband", {"immigration"}),
]
TOPICS = [
    "Asked for books on asylum law", "Immigration Law Handbook", "Citizenship class on Tuesday",
    "Know your rights if you are undocumented", "Who is a refugee under the law?", "Anyone who is undocumented",
    "How to apply for asylum", "Do you have the asylum forms?", "Countries and their asylum policies",
    "Paid with his Visa card", "Gave her a number to call", "Diabetes cookbook", "Library has diabetes books",
    "Books on living with HIV", "The book is Mexican", "Los libros son de México", "Refugee families welcome night",
    "Call her at (707) 524-3311", "ana@example.org asked for the list", "History of deportation of Mexicans",
]


@pytest.mark.parametrize(("text", "kinds"), STATEMENTS)
def test_statements_about_a_person(text, kinds):
    assert {f.kind for f in scanner.statements(text)} == kinds, text


@pytest.mark.parametrize("text", TOPICS)
def test_statements_leave_topics_alone(text):
    assert scanner.statements(text) == [], text


def test_the_audit_sees_more_than_the_desk_refuses():
    """The audit keeps the broad immigration words (a person reads each finding); the desk refuses
    only statements about a person."""
    text = "Asked for help with the asylum paperwork"
    assert [f.kind for f in scanner.scan(text)] == ["immigration"]
    assert scanner.statements(text) == []


def test_a_finding_never_carries_the_value():
    finding = scanner.scan("SSN 123-45-6789")[0]
    assert {f.name for f in dataclasses.fields(finding)} == {"kind", "start", "end"}
    assert "6789" not in repr(finding)
    assert "Guatemala" not in repr(scanner.statements("Patron is from Guatemala"))
