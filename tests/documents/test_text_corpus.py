"""The text corpus: every document classified, its particulars read, and the safety
property (nothing administrative ever comes out judicial), including under cropping."""

import random
from dataclasses import fields as dc_fields

import pytest

from quietdesk.documents import markers as mk
from quietdesk.documents.classify import Classification, classify_text
from quietdesk.documents.document_guidance import CALL_DIRECTOR

from . import corpus_gen, matrix
from .conftest import CORPUS

pytestmark = pytest.mark.nodb

NAMES = [name for name, *_ in corpus_gen.DOCS]
EXPECTED_KEYS = {
    "kind", "signed_by_judge", "issuer", "signatory_title", "form_number", "authorizes",
    "names", "dates", "expired", "out_of_state", "names_other_premises", "nondisclosure",
    "findings", "confidence", "guidance",
}  # fmt: skip


def classify(corpus, name: str, **kw) -> Classification:
    text = (CORPUS / f"{name}.txt").read_text(encoding="utf-8")
    kw.setdefault("library_state", corpus["library_state"])
    kw.setdefault("branch_addresses", corpus["branch_addresses"])
    return classify_text(text, today=corpus["today"], **kw)


def test_committed_corpus_matches_the_generator():
    for name, text in corpus_gen.files().items():
        assert (CORPUS / name).read_text(encoding="utf-8") == text, f"{name}: rerun corpus_gen.py"


@pytest.mark.parametrize("name", NAMES)
def test_document(corpus, name):
    row = corpus["by_name"][name]
    c = classify(corpus, name)
    assert c.kind == row["kind"], c.reason
    assert c.signed_by_judge is row["signed_by_judge"]
    for key in ("expired", "out_of_state", "names_other_premises", "nondisclosure", "form_number"):
        if key in row:
            assert getattr(c, key) == row[key], key
    for key in ("issued", "return_date"):
        if key in row:
            assert c.dates[key] == row[key], (key, c.dates)
    if "person" in row:
        assert any(row["person"] in p for p in c.names["persons"]), c.names
    if "premises" in row:
        assert any(row["premises"] in p for p in c.names["premises"]), c.names
        # never a form's printed instruction line
        assert not any("describe" in p.lower() for p in c.names["premises"]), c.names
    if "finding" in row:
        assert row["finding"] in {f["marker"] for f in c.findings}
    if "no_finding" in row:
        assert row["no_finding"] not in {f["marker"] for f in c.findings}
    if c.kind == mk.UNKNOWN:
        assert c.reason and c.signed_by_judge is None and c.confidence == 0.0
    else:
        assert c.issuer or c.kind == mk.WA
    assert c.guidance[-1] == CALL_DIRECTOR


def test_accuracy_and_confusion_matrix(corpus, capsys):
    rows = []
    for name in NAMES:
        c = classify(corpus, name)
        rows.append((name, corpus["by_name"][name]["kind"], c.kind, c.signed_by_judge))
    with capsys.disabled():
        print("\n" + matrix.table([(label, kind) for _, label, kind, _ in rows], "text corpus"))
    assert matrix.admin_as_judicial(rows) == []
    assert sum(label == kind for _, label, kind, _ in rows) / len(rows) >= 0.95


def test_as_dict_has_exactly_the_documented_keys(corpus):
    assert set(classify(corpus, "ice_i200").as_dict()) == EXPECTED_KEYS
    assert set(classify(corpus, "unk_overdue_notice").as_dict()) == EXPECTED_KEYS | {"reason"}
    assert {f.name for f in dc_fields(Classification)} == EXPECTED_KEYS | {"reason"}


def test_kinds_are_the_policy_engines_words():
    from quietdesk.policy import vocab

    assert set(mk.KINDS) <= set(vocab.DOCUMENTS)
    assert set(vocab.JUDICIAL_DOCUMENTS) <= mk.JUDICIAL_KINDS


NOT_JUDICIAL = [name for name, kind, *_ in corpus_gen.DOCS if kind not in matrix.JUDICIAL]


@pytest.mark.parametrize("name", NOT_JUDICIAL)
def test_cropped_or_partly_read_administrative_documents_never_turn_judicial(corpus, name):
    """A photo may miss any part of a page: try many random subsets of its lines."""
    lines = (CORPUS / f"{name}.txt").read_text(encoding="utf-8").splitlines()
    rng = random.Random(name)
    for _ in range(40):
        keep = [ln for ln in lines if rng.random() < rng.uniform(0.3, 0.9)]
        c = classify_text("\n".join(keep), today=corpus["today"], library_state="CA")
        assert not c.judicial and c.signed_by_judge is not True, keep


def test_judges_wording_pasted_onto_an_ice_warrant_is_still_not_judicial(corpus):
    i200 = (CORPUS / "ice_i200.txt").read_text(encoding="utf-8")
    forged = "UNITED STATES DISTRICT COURT\nfor the Northern District of California\n" + i200
    forged += "\nJudge's signature\nUnited States Magistrate Judge\n"
    c = classify_text(forged, today=corpus["today"], library_state="CA")
    assert c.kind != mk.JS and c.signed_by_judge is not True
    ao93 = (CORPUS / "js_ao93_ndcal.txt").read_text(encoding="utf-8")
    c = classify_text(ao93 + "\nForm I-200\n", today=corpus["today"], library_state="CA")
    assert c.kind == mk.UNKNOWN and c.signed_by_judge is None


def test_dhs_letterhead_on_a_warrant_rules_out_judicial(corpus):
    ao93 = (CORPUS / "js_ao93_ndcal.txt").read_text(encoding="utf-8")
    c = classify_text(
        "U.S. Department of Homeland Security\n" + ao93, today=corpus["today"], library_state="CA"
    )
    assert c.signed_by_judge is None and c.kind == mk.UNKNOWN


def test_an_immigration_judge_is_not_a_judge(corpus):
    c = classify(corpus, "unk_immigration_judge_order")
    assert c.kind == mk.UNKNOWN and "immigration judge" in c.reason
    assert classify(corpus, "nta_i862").signed_by_judge is False


def test_out_of_state_follows_the_configured_state(corpus):
    assert classify(corpus, "js_ao93_nevada_expired", library_state="NV").out_of_state is False
    assert classify(corpus, "js_ao93_ndcal", library_state="NV").out_of_state is True
    assert classify(corpus, "ice_i200").out_of_state is None  # an agency, not a court


def test_california_warrant_gets_the_ten_day_limit(corpus):
    c = classify(corpus, "js_ca_superior")
    assert c.dates == {"issued": "2025-06-12", "execute_by": "2025-06-22", "return_date": None}
    assert "derived_execute_by" in {f["marker"] for f in c.findings}


def test_a_cover_letter_asking_for_secrecy_is_not_a_gag(corpus):
    c = classify(corpus, "gj_cover_letter_request")
    assert c.nondisclosure is False
    assert any("request" in f["meaning"] for f in c.findings if f["marker"] == "secrecy_requested")
    assert classify(corpus, "gj_with_gag_order").nondisclosure is True


@pytest.mark.parametrize(
    "text", ["", "   \n\n", "Lorem ipsum dolor sit amet " * 20, "x" * 5000, "%%%% 1234"]
)
def test_text_without_a_document_is_unknown(corpus, text):
    c = classify_text(text, today=corpus["today"], library_state="CA")
    assert c.kind == mk.UNKNOWN and c.signed_by_judge is None and c.reason
    assert c.guidance[-1] == CALL_DIRECTOR
    assert any("NOT signed by a judge" in line for line in c.guidance)


def test_findings_quote_the_document(corpus):
    c = classify(corpus, "ice_i205_court_judge_box")
    quoted = {f["marker"]: f["text"] for f in c.findings}
    assert quoted["i205_title"] == "WARRANT OF REMOVAL/DEPORTATION"
    assert "form_i205" in quoted and c.signatory_title == "Deputy Field Office Director"
