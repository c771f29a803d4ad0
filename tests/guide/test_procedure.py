"""The guide's words are the policy engine's words (completed for officers by legal.scripts):
nothing here changes, it only compares."""

import pytest

from quietdesk.guide import facts, procedure
from quietdesk.legal import scripts
from quietdesk.policy import explain, vocab
from quietdesk.policy.engine import decide

pytestmark = pytest.mark.nodb


def test_every_situation_says_what_the_engine_says():
    situations = procedure.all_situations()
    assert len(situations) >= 8
    for s in situations:
        decision = decide(s.request)
        assert s.say.startswith(decision.say.split(". ")[0]), s.slug  # the engine's words come first
        r = s.request
        assert s.say == scripts.script(decision.say, requester=r.requester, category=r.category,
                                       document=r.document, outcome=decision.outcome), s.slug
        assert s.do == [explain.ACTION_TEXT[a] for a in decision.actions], s.slug
        assert s.outcome_text == explain.OUTCOME_TEXT[decision.outcome]
        assert s.scope_text == explain.SCOPE_TEXT[decision.scope]


def test_step_actions_are_ones_the_engine_prescribes():
    prescribed = {a for s in procedure.all_situations() for a in s.decision.actions}
    for step in procedure.STEPS:
        assert step.actions, step.slug
        for action in step.actions:
            assert action in prescribed, f"step {step.slug}: {action} is never prescribed by the engine"
        assert step.action_texts == [explain.ACTION_TEXT[a] for a in step.actions]


def test_procedure_covers_the_policy_steps():
    """Sonoma III.C.2: director, credentials, documents, areas, no interference, incident report."""
    prescribed = {a for step in procedure.STEPS for a in step.actions}
    for action in ("notify_director", "record_credentials", "ask_purpose", "copy_documents",
                   "do_not_interfere", "do_not_participate", "incident_report"):
        assert action in prescribed
    documents = {s.request.document for s in procedure.all_situations()}
    assert {"none", "administrative_subpoena", "ice_administrative_warrant", "judicial_search_warrant"} <= documents
    categories = {s.request.category for s in procedure.all_situations()}
    assert {"area:public", "area:non_public"} <= categories
    assert [k for k, _ in procedure.SALUTE] == ["Size", "Activity", "Location", "Unit", "Time", "Equipment"]


def test_desk_card_situations_exist_and_are_distinct():
    cards = procedure.desk_card_situations()
    assert [s.slug for s in cards] == list(procedure.DESK_CARD)
    assert len({s.say for s in cards}) == len(cards)


def test_patron_page_statements_hold_under_the_current_policy():
    """Each sentence the patron pages show is true of decide(); a policy change makes this fail."""
    for fact in (*facts.WHO_CAN_SEE, *facts.AREAS):
        assert fact.holds(), f"{fact.key}: the engine now decides {decide(fact.request)}"
    assert facts.FALLBACK not in facts.statements(facts.WHO_CAN_SEE)


def test_every_record_category_has_a_patron_label():
    assert set(facts.CATEGORY_LABELS) == set(vocab.PATRON_RECORDS)
    assert "presence" not in facts.HELD


def test_own_records_follow_the_engine():
    now, reviewed = facts.own_records()
    assert facts.CATEGORY_LABELS["camera"] in reviewed  # the director reviews footage (shows others)
    assert facts.CATEGORY_LABELS["circulation"] in now
    assert len(now) + len(reviewed) == len(facts.HELD)
