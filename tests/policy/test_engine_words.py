"""The engine's words (issue 13, section 4): ``deny`` when the policy cannot grant the
request on what was presented, ``refer`` when a person must decide what the engine
cannot; contractors (Sonoma III.B.1.a); claimed emergencies (no exception in the
policy); every decision citing its policy section; the command's validity flags."""

import itertools
import json
from io import StringIO

import pytest
from django.core.management import call_command

from quietdesk.policy import vocab
from quietdesk.policy.engine import Request, decide

pytestmark = pytest.mark.nodb  # pure: no database

RECORDS = sorted(vocab.PATRON_RECORDS)


def _ages():
    return (None, 5, 12, 13, 17, 18, 40)


def test_no_ground_for_disclosure_is_deny_in_every_category():
    """Public, third parties without an authorization, parents without the card: the
    policy cannot grant any record, so the answer is deny in every category, and the
    branch manager explains the policy (III.C.1)."""
    for category in RECORDS:
        for request in (
            Request("public", category),
            Request("authorized_third_party", category),
            *(Request("parent_guardian", category, age=a) for a in _ages()),
        ):
            d = decide(request)
            assert (d.outcome, d.scope) == ("deny", "none"), request
            assert "refer_branch_manager" in d.actions, request
            assert "Sonoma policy III.C.1" in d.basis, request
            assert "The branch manager can explain our policy." in d.say, request


def test_refer_only_when_a_person_must_decide():
    """What a written authorization covers, the age on a child's account, camera footage
    that shows other people, a vendor's agreement, a document's legal review."""
    assert decide(Request("authorized_third_party", "holds", "written_authorization")).outcome == "refer"
    assert decide(Request("parent_guardian", "circulation", age=None, child_card=True)).outcome == "refer"
    assert decide(Request("parent_guardian", "camera", age=8, child_card=True)).outcome == "refer"
    assert decide(Request("vendor", "registration")).outcome == "refer"
    assert decide(Request("public", "circulation", "court_subpoena")).outcome == "refer"
    # Outside what the authorization names: nothing to decide, the policy cannot grant it.
    outside = decide(Request("authorized_third_party", "circulation", "written_authorization",
                             authorized_categories=frozenset({"holds"})))
    assert outside.outcome == "deny" and "does not cover that" in outside.say


def test_every_refer_to_the_branch_manager_names_something_to_decide():
    """A refer that only sends someone to the branch manager is one of the few questions
    a person must settle: never a plain 'the policy does not allow this'."""
    decidable = {"authorization_unclear", "age_unknown", "child_in_person", "vendor_area"}
    from quietdesk.policy.rules import SAY

    allowed_says = {SAY[k] for k in decidable}
    for r, c, d in itertools.product(vocab.REQUESTERS, vocab.CATEGORIES, vocab.DOCUMENTS):
        for age, card in ((None, False), (8, True), (None, True), (15, True)):
            got = decide(Request(r, c, d, age=age, child_card=card))
            if got.outcome == "refer" and set(got.actions) == {"refer_branch_manager"}:
                assert got.say in allowed_says, (r, c, d, age, card, got.say)


def test_every_decision_cites_a_section_of_the_policy():
    for r, c, d in itertools.product(vocab.REQUESTERS, vocab.CATEGORIES, vocab.DOCUMENTS):
        for extra in ({}, {"age": 8, "child_card": True}, {"expired": True}, {"compelled": True}):
            got = decide(Request(r, c, d, **extra))
            assert any(x.startswith("Sonoma policy III.") for x in got.basis), (r, c, d, extra, got.basis)


# --- Contractors ----------------------------------------------------------------


def test_a_contractor_doing_the_librarys_work_sees_what_the_work_needs():
    """III.B.1.a: "a person acting within the scope of his/her duties in conducting the
    business of the Library"; ALA Q&A 22 (contracts restrict the use of patron data) and
    Q&A 24 (those whose jobs are not direct library service keep confidentiality)."""
    for category in RECORDS:
        d = decide(Request("contractor", category))
        assert (d.outcome, d.scope) == ("allow", "duty_minimum"), category
        assert "log_access" in d.actions
        assert {"Sonoma policy III.B.1.a", "ALA Q&A 22", "ALA Q&A 24"} <= set(d.basis)
        assert "under the library's agreement" in d.say
    assert decide(Request("contractor", "area:non_public")).outcome == "allow"


def test_a_contractor_is_not_staff_for_the_librarys_working_records_or_legal_process():
    for category in sorted(vocab.INTERNAL_RECORDS):
        assert decide(Request("contractor", category)).outcome == "deny", category
    d = decide(Request("contractor", "circulation", "grand_jury_subpoena"))
    assert d.outcome == "refer" and "send_to_director_for_review" in d.actions
    d = decide(Request("contractor", "presence", "ice_administrative_warrant"))
    assert d.outcome == "deny" and "do_not_participate" in d.actions


def test_a_vendor_is_still_not_a_contractor():
    d = decide(Request("vendor", "circulation"))
    assert d.outcome == "refer" and not d.allows_disclosure


# --- Claimed emergencies -----------------------------------------------------------


def test_an_emergency_claim_gets_no_record_and_the_director_is_told():
    """The policy names every ground for disclosure (III.B.1.a-d) and an emergency is not
    one: deny, and the director is told."""
    for requester in ("public", "authorized_third_party", "law_enforcement", "immigration_officer",
                      "staff", "contractor"):
        for category in RECORDS:
            d = decide(Request(requester, category, "emergency_claim"))
            assert (d.outcome, d.scope) == ("deny", "none"), (requester, category)
            assert "notify_director" in d.actions, (requester, category)
            assert "Sonoma policy III.B.1" in d.basis, (requester, category)
            assert "emergency exception" in d.say, (requester, category)
    officer = decide(Request("law_enforcement", "presence", "emergency_claim"))
    assert {"record_credentials", "do_not_interfere", "incident_report"} <= set(officer.actions)
    assert "signed by a judge" in officer.say
    parent = decide(Request("parent_guardian", "circulation", "emergency_claim", age=15))
    assert parent.outcome == "deny" and "refer_branch_manager" in parent.actions


def test_an_emergency_claim_adds_nothing_and_takes_nothing_away():
    """Over every request: never more than the same request with no document, and what the
    policy grants anyway stays granted (a parent with an under-13's card)."""
    for r, c in itertools.product(vocab.REQUESTERS, vocab.CATEGORIES):
        for age, card in ((None, False), (8, True), (15, True)):
            plain = decide(Request(r, c, "none", age=age, child_card=card))
            got = decide(Request(r, c, "emergency_claim", age=age, child_card=card))
            if got.allows_disclosure:
                assert plain.allows_disclosure and got.scope == plain.scope, (r, c, age)
            if r not in vocab.LIBRARY_WORKERS and plain.allows_disclosure:
                assert got.scope == plain.scope, (r, c, age)
    d = decide(Request("parent_guardian", "circulation", "emergency_claim", age=8, child_card=True))
    assert (d.outcome, d.scope) == ("allow", "all") and "notify_director" in d.actions


def test_an_officer_claiming_an_emergency_at_a_staff_door_is_not_obstructed():
    d = decide(Request("immigration_officer", "area:non_public", "emergency_claim"))
    assert d.outcome == "deny"
    assert "does not consent" in d.say and "I will not stand in your way" in d.say
    assert {"do_not_interfere", "notify_director", "incident_report"} <= set(d.actions)
    assert "Sonoma policy III.C.2.g" in d.basis


def test_an_emergency_claim_is_not_a_legal_document():
    assert "emergency_claim" not in vocab.LEGAL_DOCUMENTS
    d = decide(Request("law_enforcement", "circulation", "emergency_claim"))
    assert "copy_documents" not in d.actions and "legal_hold" not in d.actions


# --- The command ----------------------------------------------------------------------


def _run(*args: str) -> dict:
    out = StringIO()
    call_command("policy", "decide", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("flag", ["--expired", "--out-of-state", "--other-premises"])
def test_the_command_takes_the_validity_facts(flag):
    base = ("--requester", "law_enforcement", "--category", "circulation", "--document", "judicial_search_warrant")
    assert _run(*base)["outcome"] == "allow"
    result = _run(*base, flag)
    assert (result["outcome"], result["scope"]) == ("refer", "none")
    assert {"send_to_director_for_review", "consult_counsel", "do_not_interfere"} <= set(result["actions"])
    assert "inventory_production" not in result["actions"]
    assert "may not apply here" in result["say"]
    assert "Roundtable scenario 1" in result["basis"]


def test_the_command_knows_contractors_and_emergencies():
    assert _run("--requester", "contractor", "--category", "holds")["scope"] == "duty_minimum"
    result = _run("--requester", "public", "--category", "presence", "--document", "emergency_claim")
    assert result["outcome"] == "deny" and "notify_director" in result["actions"]


def test_the_plain_text_names_the_validity_facts():
    out = StringIO()
    call_command("policy", "decide", "--requester", "law_enforcement", "--category", "circulation",
                 "--document", "court_order", "--out-of-state", stdout=out)
    text = out.getvalue()
    assert "from another state's court" in text and "Decision: REFER" in text
