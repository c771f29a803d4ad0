"""Immigration detainers, court subpoenas and the validity facts (expired, out of state,
other premises): what the engine answers, and that the answers cite the seeds."""

import itertools

import pytest

from quietdesk.policy import vocab
from quietdesk.policy.engine import InvalidRequest, Request, decide

pytestmark = pytest.mark.nodb  # pure: no database

OTHERS = ("public", "vendor", "parent_guardian", "authorized_third_party")


def test_an_immigration_detainer_is_denied_and_the_director_told():
    """It asks a jail to hold someone and nothing of a library (research notes); no
    information, no part in holding anyone (Sonoma III.C.2.e)."""
    for requester, category in itertools.product(vocab.REQUESTERS, vocab.CATEGORIES):
        d = decide(Request(requester, category, "immigration_detainer"))
        if requester == "patron_self":
            continue  # a patron's own records need no document
        assert (d.outcome, d.scope) == ("deny", "none"), (requester, category)
        assert {"notify_director", "do_not_participate", "copy_documents"} <= set(d.actions)
        assert "Sonoma policy III.C.2.e" in d.basis
    d = decide(Request("immigration_officer", "presence", "immigration_detainer"))
    assert "Research: legal documents an officer may present" in d.basis
    assert "take part" in d.say


def test_a_court_subpoena_goes_to_the_director_and_counsel_never_the_desk():
    """Issued by a clerk or an attorney, not a judge: roundtable scenario 1 (counsel
    reviews it; comply, negotiate, protective order or quash) and ALA Q&A 26."""
    for requester, category in itertools.product(vocab.REQUESTERS, vocab.PATRON_RECORDS):
        d = decide(Request(requester, category, "court_subpoena"))
        if requester == "patron_self":
            continue
        assert d.outcome == "refer" and d.scope == "none", (requester, category)
        assert not d.allows_disclosure
        assert {"notify_director", "send_to_director_for_review"} <= set(d.actions)
        if requester in vocab.OFFICERS:
            assert {"consult_counsel", "legal_hold", "copy_documents"} <= set(d.actions)
            assert {"Roundtable scenario 1", "ALA Q&A 26", "Sonoma policy III.C.2.d.ii"} <= set(d.basis)
    d = decide(Request("law_enforcement", "area:non_public", "court_subpoena"))
    assert d.outcome == "deny" and "send_to_director_for_review" in d.actions


@pytest.mark.parametrize("fact", vocab.VALIDITY_FACTS)
@pytest.mark.parametrize("document", sorted(vocab.JUDICIAL_DOCUMENTS))
def test_a_doubtful_judges_document_is_not_comply_now(fact, document):
    for requester in sorted(vocab.OFFICERS):
        for category in (*sorted(vocab.PATRON_RECORDS), "area:non_public"):
            d = decide(Request(requester, category, document, **{fact: True}))
            assert d.outcome == "refer" and d.scope == "none", (requester, category)
            assert {"notify_director", "send_to_director_for_review", "consult_counsel"} <= set(d.actions)
            assert "do_not_interfere" in d.actions and "inventory_production" not in d.actions
            assert {"Sonoma policy III.C.2.d.i", "Roundtable scenario 1"} <= set(d.basis)
        d = decide(Request(requester, "circulation", document, **{fact: False}))
        assert (d.outcome, d.scope) == ("allow", "face_of_document")


def test_validity_facts_never_widen_anything():
    """Over every request word and every combination of facts, a fact only ever makes
    the answer more cautious than the same request without it."""
    for r, c, d in itertools.product(vocab.REQUESTERS, vocab.CATEGORIES, vocab.DOCUMENTS):
        plain = decide(Request(r, c, d))
        for values in itertools.product((None, False, True), repeat=len(vocab.VALIDITY_FACTS)):
            facts = dict(zip(vocab.VALIDITY_FACTS, values, strict=True))
            got = decide(Request(r, c, d, **facts))
            if True in values and d in vocab.JUDICIAL_DOCUMENTS and r in vocab.OFFICERS:
                assert got.scope != "face_of_document", (r, c, d, facts)
            else:
                assert got == plain, (r, c, d, facts)


@pytest.mark.parametrize("value", [1, 0, "yes", "true"])
def test_validity_facts_are_true_false_or_none(value):
    with pytest.raises(InvalidRequest, match="must be True, False or None"):
        decide(Request("law_enforcement", "circulation", "court_order", expired=value))
    # True == 1 hash alike: a kept answer for True must not answer for 1.
    decide(Request("law_enforcement", "circulation", "court_order", expired=True))
    with pytest.raises(InvalidRequest):
        decide(Request("law_enforcement", "circulation", "court_order", expired=value))
