"""Properties that must hold for every request in the vocabulary's cross-product."""

import ast
import itertools
import subprocess
import sys
from pathlib import Path

import pytest

from quietdesk.policy import engine, explain, vocab
from quietdesk.policy.engine import Decision, InvalidRequest, Request, UnknownTerm, decide, validate

pytestmark = pytest.mark.nodb  # pure: no database

AGES = (None, 0, 5, 12, 13, 15, 17, 18, 40)


def _requests():
    for r, c, d in itertools.product(vocab.REQUESTERS, vocab.CATEGORIES, vocab.DOCUMENTS):
        for age, card in itertools.product(AGES, (False, True)):
            for authorized in (frozenset(), frozenset({c}), frozenset({"holds"})):
                yield Request(r, c, d, age=age, child_card=card, authorized_categories=authorized)


ALL = [(req, decide(req)) for req in _requests()]


def test_cross_product_is_exhaustive():
    assert len(ALL) == len(vocab.REQUESTERS) * len(vocab.CATEGORIES) * len(vocab.DOCUMENTS) * len(AGES) * 2 * 3
    assert len(vocab.CATEGORIES) == 15 and len(vocab.DOCUMENTS) == 15  # 13 patron-facing categories, plus case files and network members


def test_the_librarys_working_records_go_to_no_one_outside():
    for req, decision in ALL:
        if req.category in vocab.INTERNAL_RECORDS and req.requester not in vocab.OFFICERS | {"staff"}:
            assert decision.outcome == "deny", req


def test_outputs_only_vocabulary_words():
    for req, d in ALL:
        assert isinstance(d, Decision), req
        assert d.outcome in vocab.OUTCOMES, req
        assert d.scope in vocab.SCOPES, req
        assert set(d.actions) <= set(vocab.ACTIONS), req
        assert len(d.actions) == len(set(d.actions)), req
        assert list(d.actions) == sorted(d.actions, key=vocab.ACTIONS.index), req
        assert d.say.strip() and d.basis, req
        assert len(d.basis) == len(set(d.basis)), req


def test_deterministic_and_pure():
    for req, d in ALL[::97]:
        assert decide(req) == d


def test_refusals_share_nothing():
    for req, d in ALL:
        if d.outcome != "allow":
            assert d.scope == "none", req
            assert "log_access" not in d.actions, req


def test_every_disclosure_is_logged():
    for req, d in ALL:
        if d.allows_disclosure:
            assert "log_access" in d.actions, req


def test_face_of_document_only_on_judge_signed_documents():
    for req, d in ALL:
        if d.scope == "face_of_document":
            assert req.document in vocab.JUDICIAL_DOCUMENTS, req
            assert req.requester in vocab.OFFICERS, req


def test_officers_get_patron_records_only_on_judge_signed_documents():
    for req, d in ALL:
        if req.requester in vocab.OFFICERS and req.category in vocab.PATRON_RECORDS:
            if req.document in vocab.JUDICIAL_DOCUMENTS:
                assert (d.outcome, d.scope) == ("allow", "face_of_document"), req
            else:
                assert d.outcome != "allow", req


def test_officers_never_enter_non_public_areas_without_a_judge():
    for req, d in ALL:
        if req.category == "area:non_public" and d.outcome == "allow":
            assert req.requester in vocab.LIBRARY_WORKERS or req.document in vocab.JUDICIAL_DOCUMENTS, req


def test_officer_decisions_notify_director_and_report():
    for req, d in ALL:
        if req.requester in vocab.OFFICERS:
            assert {"notify_director", "incident_report"} <= set(d.actions), req
            if req.category != "statistics":
                assert "do_not_interfere" in d.actions, req


def test_custody_documents_deny_and_do_not_participate():
    for req, d in ALL:
        if req.document in vocab.CUSTODY_DOCUMENTS and req.requester != "patron_self":
            assert (d.outcome, d.scope) == ("deny", "none"), req
            assert {"do_not_participate", "do_not_interfere", "notify_director"} <= set(d.actions)
        else:
            assert "do_not_participate" not in d.actions, req


def test_unknown_document_never_discloses_records_to_others():
    for req, d in ALL:
        if req.document == "unknown" and req.requester != "patron_self":
            if req.category in vocab.PATRON_RECORDS:
                assert d.outcome != "allow", req
                assert "notify_director" in d.actions, req


def test_subpoenas_and_agency_documents_go_to_the_director():
    for req, d in ALL:
        if (
            req.document in vocab.REVIEW_DOCUMENTS
            and req.category in vocab.PATRON_RECORDS
            and req.requester != "patron_self"
        ):  # the patron's own records need no document
            assert d.outcome == "refer", req
            assert "send_to_director_for_review" in d.actions, req


def test_nondisclosure_only_for_documents_that_carry_it():
    for req, d in ALL:
        if "nondisclosure" in d.actions:
            assert req.document in vocab.NONDISCLOSURE_DOCUMENTS, req
        if req.requester in vocab.OFFICERS and req.document in vocab.NONDISCLOSURE_DOCUMENTS:
            assert "nondisclosure" in d.actions, req


def test_statistics_are_aggregate_only():
    for req, d in ALL:
        if d.scope == "aggregate_only":
            assert req.category == "statistics", req
        if req.category == "statistics" and req.document not in vocab.CUSTODY_DOCUMENTS:
            assert (d.outcome, d.scope) == ("allow", "aggregate_only"), req


def test_staff_duty_minimum():
    for req, d in ALL:
        if d.scope == "duty_minimum":  # staff, and contractors doing the library's work (III.B.1.a)
            assert req.requester in vocab.LIBRARY_WORKERS, req
        if (
            req.requester == "staff"
            and req.document == "none"
            and req.category in vocab.PATRON_RECORDS
        ):
            assert (d.outcome, d.scope) == ("allow", "duty_minimum"), req
            assert "log_access" in d.actions


def test_foundation_call():
    d = decide(Request("staff", "registration"))
    assert (d.outcome, d.scope, d.allows_disclosure) == ("allow", "duty_minimum", True)
    assert "log_access" in d.actions


def test_patron_sees_own_records():
    for req, d in ALL:
        if req.requester == "patron_self" and req.category in vocab.PATRON_RECORDS - {"camera"}:
            assert (d.outcome, d.scope) == ("allow", "all"), req


def test_parents_by_age_and_card():
    for req, d in ALL:
        if d.scope == "overdue_and_fines":
            assert req.requester == "parent_guardian" and req.child_card, req
            assert req.age is not None and 13 <= req.age <= 17, req
        if req.requester == "parent_guardian" and d.scope == "all":
            assert req.child_card and req.age is not None and req.age < 13, req


def test_authorized_scope_needs_a_covering_authorization():
    for req, d in ALL:
        if d.scope == "authorized_scope":
            assert req.document == "written_authorization", req
            assert req.category in req.authorized_categories, req


def test_explain_renders_every_decision():
    seen = set()
    for req, d in ALL:
        key = d.as_dict().__repr__()
        if key in seen:
            continue
        seen.add(key)
        text = explain.render(d, req)
        assert d.say in text and d.basis[0] in text


def test_as_dict_round_trip():
    d = decide(Request("law_enforcement", "circulation", "fisa_order"))
    assert (
        Decision(**{k: tuple(v) if isinstance(v, list) else v for k, v in d.as_dict().items()}) == d
    )
    assert set(d.as_dict()) == {"outcome", "scope", "actions", "say", "basis"}


@pytest.mark.parametrize("kind", ["requester", "category", "document"])
def test_unknown_word_lists_valid_words(kind):
    with pytest.raises(UnknownTerm) as exc:
        validate(kind, "bogus")
    for word in vocab.KINDS[kind]:
        assert word in str(exc.value)


def test_validate_normalizes_case_and_space():
    assert validate("requester", " Staff ") == "staff"
    assert decide(Request("Patron_Self", "CIRCULATION")).scope == "all"


@pytest.mark.parametrize(
    "request_",
    [
        Request("cop", "circulation"),
        Request("staff", "emails"),
        Request("staff", "circulation", "search_warrant"),
        Request(
            "authorized_third_party",
            "holds",
            "written_authorization",
            authorized_categories=frozenset({"everything"}),
        ),
        Request(None, "circulation"),
    ],
)
def test_decide_rejects_unknown_words(request_):
    with pytest.raises(UnknownTerm):
        decide(request_)


@pytest.mark.parametrize(
    "request_",
    [
        Request("parent_guardian", "circulation", age=-1),
        Request("parent_guardian", "circulation", age=200),
        Request("parent_guardian", "circulation", age="12"),
        Request("parent_guardian", "circulation", age=True),
        Request("parent_guardian", "circulation", child_card="yes"),
        Request("authorized_third_party", "holds", authorized_categories="holds"),
        Request("authorized_third_party", "holds", authorized_categories=3),
    ],
)
def test_decide_rejects_malformed_requests(request_):
    with pytest.raises(InvalidRequest):
        decide(request_)


def test_answers_are_kept_only_for_valid_requests():
    # decide() keeps answers (lru_cache) for validated requests: True == 1 and hash
    # alike, so a cached age=1 must not answer age=True, and any iterable of
    # categories must still be accepted, as before the cache.
    assert decide(Request("parent_guardian", "circulation", age=1)).outcome
    with pytest.raises(InvalidRequest):
        decide(Request("parent_guardian", "circulation", age=True))
    as_set = decide(Request("authorized_third_party", "holds", document="written_authorization",
                            authorized_categories={"holds"}))
    as_frozen = decide(Request("authorized_third_party", "holds", document="written_authorization",
                               authorized_categories=frozenset({"holds"})))
    assert as_set == as_frozen
    with pytest.raises((InvalidRequest, UnknownTerm)):
        decide(Request(["staff"], "holds"))  # unhashable: refused, not a TypeError


def test_unknown_term_is_a_value_error():
    assert issubclass(UnknownTerm, ValueError)
    with pytest.raises(InvalidRequest):
        decide("staff")


def test_engine_is_pure():
    """The engine's modules import nothing but each other (no Django, I/O or clock)."""
    root = Path(engine.__file__).parent
    allowed = {"__future__", "dataclasses", "functools", "engine", "rules", "vocab", "decision", "others"}
    for name in ("engine.py", "decision.py", "others.py", "vocab.py", "rules.py", "explain.py"):
        tree = ast.parse((root / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                raise AssertionError(f"{name} imports {[a.name for a in node.names]}")
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                names = {module} if module else {a.name for a in node.names}
                assert names <= allowed, f"{name} imports from {names}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in {"open", "print", "input", "exec", "eval"}, name
    code = (
        "import sys, quietdesk.policy.engine, quietdesk.policy.explain; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root.parent.parent)
