"""The case table: each row derives from one section of the policy (or, where the
Sonoma policy is silent, from the ALA Q&A / ICE protocol / legal-documents notes) and
asserts the outcome, the scope, actions that must and must not appear, and that the
cited section is in the decision's basis.
"""

import pytest

from quietdesk.policy.engine import Request, decide
from quietdesk.policy.vocab import PATRON_RECORDS

pytestmark = pytest.mark.nodb  # pure: no database

S = "Sonoma policy "


def case(
    section,
    requester,
    category,
    document="none",
    outcome="",
    scope="none",
    *,
    has=(),
    lacks=(),
    say=None,
    **extra,
):
    request = Request(requester, category, document, **extra)
    label = f"{section.replace(S, '')}|{requester}|{category}|{document}"
    if extra:
        label += "|" + ",".join(f"{k}={v}" for k, v in sorted(extra.items()))
    return pytest.param(request, section, outcome, scope, set(has), set(lacks), say, id=label)


OFFICER_NONE = ("notify_director", "record_credentials", "ask_purpose", "incident_report")
NOTHING_LOGGED = ("log_access",)
CUSTODY = ("do_not_participate", "do_not_interfere", "notify_director", "copy_documents")
JUDICIAL = (
    "notify_director",
    "copy_documents",
    "consult_counsel",
    "inventory_production",
    "log_access",
    "do_not_interfere",
)
REVIEW = ("notify_director", "copy_documents", "send_to_director_for_review", "consult_counsel")
AUTH = frozenset({"holds"})

# fmt: off
CASES = [
    # III.A: statistics that identify no one are outside the policy, for anyone.
    case(S + "III.A (statistics excluded)", "public", "statistics", outcome="allow", scope="aggregate_only", has=["log_access"]),
    case(S + "III.A (statistics excluded)", "vendor", "statistics", outcome="allow", scope="aggregate_only"),
    case(S + "III.A (statistics excluded)", "parent_guardian", "statistics", outcome="allow", scope="aggregate_only"),
    case(S + "III.A (statistics excluded)", "law_enforcement", "statistics", outcome="allow", scope="aggregate_only", has=["notify_director"]),
    case(S + "III.A (statistics excluded)", "immigration_officer", "statistics", "administrative_subpoena", outcome="allow", scope="aggregate_only"),
    # III.C.2.e prevails over III.A: "shall not provide any information".
    case(S + "III.C.2.e", "immigration_officer", "statistics", "ice_administrative_warrant", outcome="deny", has=CUSTODY),
    # III.A + III.C.1: every confidential category is refused to a member of the public
    # (deny: nothing is left to decide), and the branch manager explains the policy.
    *[case(S + "III.C.1", "public", c, outcome="deny", has=["refer_branch_manager"], lacks=NOTHING_LOGGED)
      for c in sorted(PATRON_RECORDS)],
    case(S + "III.C.1", "public", "presence", outcome="deny", say="protected by library policy and I cannot share it"),
    # III.B.1.a: staff within their duties, the minimum, logged.
    *[case(S + "III.B.1.a", "staff", c, outcome="allow", scope="duty_minimum", has=["log_access"])
      for c in sorted(PATRON_RECORDS)],
    case(S + "III.B.1.a", "staff", "registration", "written_authorization", outcome="allow", scope="duty_minimum"),
    case(S + "III.B.1.a", "staff", "area:non_public", outcome="allow", scope="none", lacks=NOTHING_LOGGED),
    case(S + "III.B.1.a", "staff", "area:public", outcome="allow", scope="none"),
    case(S + "III.C.2.d.ii", "staff", "circulation", "administrative_subpoena", outcome="refer", has=["send_to_director_for_review", "notify_director"]),
    case(S + "III.C.2.d.ii", "staff", "circulation", "court_order", outcome="refer", has=["send_to_director_for_review"], lacks=NOTHING_LOGGED),
    case(S + "III.C.2.e", "staff", "presence", "ice_administrative_warrant", outcome="deny", has=["do_not_participate"]),
    # III.B.1.b: the patron sees their own records.
    case(S + "III.B.1.b", "patron_self", "circulation", outcome="allow", scope="all", has=["log_access"]),
    case(S + "III.B.1.b", "patron_self", "registration", outcome="allow", scope="all"),
    case(S + "III.B.1.b", "patron_self", "database_search", outcome="allow", scope="all"),
    case(S + "III.B.1.b", "patron_self", "presence", outcome="allow", scope="all"),
    case(S + "III.B.1.b", "patron_self", "circulation", "notice_to_appear", outcome="allow", scope="all"),
    case("ALA Q&A 27", "patron_self", "camera", outcome="refer", has=["notify_director"], lacks=NOTHING_LOGGED),
    case(S + "III.C.2.f", "patron_self", "area:non_public", outcome="deny"),
    # III.B.1.c: a person the patron authorized in writing, within the authorization.
    case(S + "III.B.1.c", "authorized_third_party", "holds", "written_authorization", outcome="allow", scope="authorized_scope", authorized_categories=AUTH),
    # Outside what the authorization names: deny. What it covers unknown: a person reads it (refer).
    case(S + "III.B.1.c", "authorized_third_party", "circulation", "written_authorization", outcome="deny", has=["refer_branch_manager"], authorized_categories=AUTH),
    case(S + "III.B.1.c", "authorized_third_party", "holds", "written_authorization", outcome="refer", has=["refer_branch_manager"]),
    case(S + "III.B.1.c", "authorized_third_party", "holds", outcome="deny", has=["refer_branch_manager"]),
    case(S + "III.B.1.c", "authorized_third_party", "camera", "written_authorization", outcome="refer", has=["notify_director"], authorized_categories=frozenset({"camera"})),
    case(S + "III.B.1.c", "public", "circulation", "written_authorization", outcome="allow", scope="authorized_scope", authorized_categories=frozenset({"circulation"})),
    case(S + "III.B.1.c", "law_enforcement", "circulation", "written_authorization", outcome="refer", has=["send_to_director_for_review", "copy_documents"], authorized_categories=frozenset({"circulation"})),
    # III.B.1.d: a judge-signed order from someone who is not an officer goes to the director.
    case(S + "III.B.1.d", "public", "circulation", "court_order", outcome="refer", has=["send_to_director_for_review", "consult_counsel", "refer_branch_manager"]),
    case(S + "III.B.1.d", "law_enforcement", "circulation", "court_order", outcome="allow", scope="face_of_document", has=JUDICIAL),
    # III.B.2.a: under 13, with the child's card, the child's records.
    case(S + "III.B.2.a", "parent_guardian", "circulation", outcome="allow", scope="all", has=["log_access"], age=8, child_card=True),
    case(S + "III.B.2.a", "parent_guardian", "holds", outcome="allow", scope="all", age=12, child_card=True),
    case(S + "III.B.2.a", "parent_guardian", "computer_use", outcome="allow", scope="all", age=0, child_card=True),
    case(S + "III.B.2.a", "parent_guardian", "circulation", outcome="deny", has=["refer_branch_manager"], lacks=NOTHING_LOGGED, age=12),
    case("ALA Q&A 28", "parent_guardian", "presence", outcome="refer", has=["refer_branch_manager"], age=8, child_card=True),
    case("ALA Q&A 27", "parent_guardian", "camera", outcome="refer", has=["notify_director"], age=8, child_card=True),
    case(S + "III.C.2.f", "parent_guardian", "area:non_public", outcome="deny", age=8, child_card=True),
    # III.B.2.b: 13 through 17, only overdue items and what is owed.
    case(S + "III.B.2.b", "parent_guardian", "circulation", outcome="allow", scope="overdue_and_fines", has=["log_access"], age=13, child_card=True),
    case(S + "III.B.2.b", "parent_guardian", "ill", outcome="allow", scope="overdue_and_fines", age=17, child_card=True),
    case(S + "III.B.2.b", "parent_guardian", "holds", outcome="deny", lacks=NOTHING_LOGGED, age=15, child_card=True),
    case(S + "III.B.2.b", "parent_guardian", "computer_use", outcome="deny", age=15, child_card=True),
    case(S + "III.B.2.b", "parent_guardian", "registration", outcome="deny", age=16, child_card=True),
    case(S + "III.B.2.b", "parent_guardian", "circulation", outcome="deny", has=["refer_branch_manager"], age=15),
    case(S + "III.B.1.c", "parent_guardian", "holds", "written_authorization", outcome="allow", scope="authorized_scope", age=15, child_card=True, authorized_categories=AUTH),
    case(S + "III.B.2.b", "parent_guardian", "circulation", "written_authorization", outcome="allow", scope="overdue_and_fines", age=15, child_card=True, authorized_categories=AUTH),
    # Adult children: only with their written authorization (deny); unknown age: a person checks it (refer).
    case(S + "III.B.1.c", "parent_guardian", "circulation", outcome="deny", has=["refer_branch_manager"], age=18, child_card=True),
    case(S + "III.B.2.a", "parent_guardian", "circulation", outcome="refer", has=["refer_branch_manager"], child_card=True),
    # III.B.3 + III.C.2.a: officers without a judge-signed document get nothing.
    case(S + "III.B.3", "law_enforcement", "circulation", outcome="deny", has=OFFICER_NONE, lacks=NOTHING_LOGGED, say="I am not able to give you that information. I need to contact the library director."),
    case(S + "III.B.3", "immigration_officer", "registration", outcome="deny", has=OFFICER_NONE),
    case(S + "III.B.3", "immigration_officer", "presence", outcome="deny", has=OFFICER_NONE),
    case(S + "III.B.3", "law_enforcement", "camera", outcome="deny", has=OFFICER_NONE),
    case(S + "III.C.2.a", "immigration_officer", "programs", outcome="deny", has=["record_credentials", "ask_purpose"]),
    # III.C.1: members of the public and their documents.
    case(S + "III.C.1", "public", "circulation", "grand_jury_subpoena", outcome="refer", has=["refer_branch_manager", "send_to_director_for_review", "notify_director"]),
    case(S + "III.C.1", "parent_guardian", "circulation", "unknown", outcome="refer", has=["send_to_director_for_review"], age=8, child_card=True),
    case("ALA Q&A 22", "vendor", "registration", outcome="refer", has=["notify_director"], lacks=NOTHING_LOGGED),
    case("ALA Q&A 22", "vendor", "area:non_public", outcome="refer", has=["refer_branch_manager"]),
    # III.C.2.b: documents are copied.
    case(S + "III.C.2.b", "immigration_officer", "registration", "administrative_subpoena", outcome="refer", has=["copy_documents"]),
    # III.C.2.d.i: a judge-signed order or warrant, only what is on its face.
    case(S + "III.C.2.d.i", "law_enforcement", "circulation", "judicial_search_warrant", outcome="allow", scope="face_of_document", has=JUDICIAL, lacks=["nondisclosure"]),
    case(S + "III.C.2.d.i", "immigration_officer", "presence", "judicial_search_warrant", outcome="allow", scope="face_of_document", has=JUDICIAL),
    case(S + "III.C.2.d.i", "law_enforcement", "camera", "judicial_search_warrant", outcome="allow", scope="face_of_document"),
    case(S + "III.C.2.d.i", "law_enforcement", "registration", "court_order", outcome="allow", scope="face_of_document", lacks=["nondisclosure"]),
    case(S + "III.C.2.d.i", "law_enforcement", "database_search", "fisa_order", outcome="allow", scope="face_of_document", has=[*JUDICIAL, "nondisclosure"]),
    # III.C.2.d.ii: subpoenas and agency-signed documents go to the director.
    case(S + "III.C.2.d.ii", "law_enforcement", "circulation", "grand_jury_subpoena", outcome="refer", has=[*REVIEW, "legal_hold"], lacks=["nondisclosure", "log_access"]),
    case(S + "III.C.2.d.ii", "immigration_officer", "registration", "administrative_subpoena", outcome="refer", has=[*REVIEW, "legal_hold"], say="I will send this to the library director for review"),
    case(S + "III.C.2.d.ii", "law_enforcement", "computer_use", "national_security_letter", outcome="refer", has=[*REVIEW, "nondisclosure"]),
    case(S + "III.C.2.d.ii", "immigration_officer", "circulation", "unknown", outcome="refer", has=REVIEW, lacks=["legal_hold"]),
    # III.C.2.e: custody documents: no information, no participation.
    case(S + "III.C.2.e", "law_enforcement", "presence", "judicial_arrest_warrant", outcome="deny", has=CUSTODY, lacks=NOTHING_LOGGED),
    case(S + "III.C.2.e", "immigration_officer", "registration", "ice_administrative_warrant", outcome="deny", has=CUSTODY),
    case(S + "III.C.2.e", "immigration_officer", "presence", "notice_to_appear", outcome="deny", has=CUSTODY),
    case(S + "III.C.2.e", "immigration_officer", "area:public", "ice_administrative_warrant", outcome="deny", has=CUSTODY, say="You may stay in the public areas"),
    case(S + "III.C.2.e", "law_enforcement", "area:non_public", "judicial_arrest_warrant", outcome="deny", has=CUSTODY),
    case(S + "III.C.2.e", "public", "presence", "judicial_arrest_warrant", outcome="deny", has=CUSTODY),
    # III.C.2.f: public areas yes; non-public areas only on a judge-signed document.
    case(S + "III.C.2.f", "immigration_officer", "area:public", outcome="allow", scope="none", has=["notify_director", "do_not_interfere"]),
    case(S + "III.C.2.f", "law_enforcement", "area:public", "administrative_subpoena", outcome="allow", scope="none"),
    case(S + "III.C.2.f", "immigration_officer", "area:non_public", outcome="deny", has=["notify_director", "do_not_interfere"], say="Please wait here while I contact the director."),
    case(S + "III.C.2.c", "law_enforcement", "area:non_public", outcome="deny", say="does not consent"),
    case(S + "III.C.2.f", "immigration_officer", "area:non_public", "administrative_subpoena", outcome="deny", has=["send_to_director_for_review", "copy_documents"]),
    case(S + "III.C.2.f", "immigration_officer", "area:non_public", "ice_administrative_warrant", outcome="deny", has=CUSTODY),
    case(S + "III.C.2.f", "law_enforcement", "area:non_public", "unknown", outcome="refer", has=["send_to_director_for_review", "do_not_interfere"]),
    case(S + "III.C.2.f", "law_enforcement", "area:non_public", "judicial_search_warrant", outcome="allow", scope="face_of_document", has=["copy_documents", "notify_director", "do_not_interfere", "log_access"], say="wait here"),
    case(S + "III.C.2.f", "law_enforcement", "area:non_public", "court_order", outcome="allow", scope="face_of_document"),
    # III.C.2.g / h: never interfere; report.
    case(S + "III.C.2.g", "immigration_officer", "circulation", "grand_jury_subpoena", outcome="refer", has=["do_not_interfere"]),
    case(S + "III.C.2.h", "law_enforcement", "holds", outcome="deny", has=["incident_report"]),
    # ALA Q&A 4: public spaces are public; non-public ones are not.
    case("ALA Q&A 4", "public", "area:public", outcome="allow", scope="none", lacks=NOTHING_LOGGED),
    case(S + "III.C.2.f", "public", "area:non_public", outcome="deny"),
]
# fmt: on


@pytest.mark.parametrize(("request_", "section", "outcome", "scope", "has", "lacks", "say"), CASES)
def test_case(request_, section, outcome, scope, has, lacks, say):
    decision = decide(request_)
    assert (decision.outcome, decision.scope) == (outcome, scope)
    assert has <= set(decision.actions), f"missing {has - set(decision.actions)}"
    assert not lacks & set(decision.actions), f"unexpected {lacks & set(decision.actions)}"
    assert section in decision.basis, decision.basis
    if say is not None:
        assert say in decision.say


def test_table_size():
    assert len(CASES) >= 100
