"""The rules for everyone who is neither an officer, nor library staff, nor the patron:
members of the public, vendors, contractors, parents and people with the patron's written
authorization (Sonoma III.B.1.a, III.B.1.c, III.B.2, III.C.1). Pure.
"""

from __future__ import annotations

from . import rules as b
from . import vocab
from .decision import (
    Decision,
    Request,
    allow,
    camera,
    deny,
    document_actions,
    document_basis,
    not_granted,
    refer,
    to_manager,
)
from .rules import SAY


def contractor(req: Request) -> Decision:
    """III.B.1.a covers anyone "conducting the business of the Library", not staff alone:
    a contractor doing the library's work sees what that work needs, logged, under an
    agreement that restricts its use (ALA Q&A 22) and bound to confidentiality (ALA Q&A 24).
    Legal process is for the director, as for staff (III.C.2.d)."""
    c, d = req.category, req.document
    if c == "area:public":
        return allow("none", [], SAY["public_area"], [b.SCOPE, b.ALA_PUBLIC_PLACE])
    if c == "area:non_public":
        return allow("none", [], SAY["contractor_area"], [b.DUTIES, b.AREAS])
    if d in vocab.LEGAL_DOCUMENTS:
        return refer(
            ["notify_director", "send_to_director_for_review", *document_actions(d)],
            SAY["staff_document"],
            [b.DUTIES, b.NOTIFY, b.REVIEW, b.ALA_RETRIEVAL, *document_basis(d)],
        )
    return allow("duty_minimum", [], SAY["contractor"], [b.DUTIES, b.ALA_VENDORS, b.ALA_SYSTEMS])



def others_area(req: Request) -> Decision:
    if req.category == "area:public":
        return allow("none", [], SAY["public_area"], [b.SCOPE, b.ALA_PUBLIC_PLACE])
    if req.requester == "vendor":
        return to_manager("vendor_area", [b.AREAS, b.ALA_VENDORS])
    return deny([], SAY["non_public"], [b.AREAS])


def others_document(req: Request) -> Decision:
    """III.C.1: a document needing legal review goes via the branch manager to the director."""
    d = req.document
    actions = [
        "refer_branch_manager",
        "notify_director",
        "send_to_director_for_review",
        *document_actions(d),
    ]
    basis = [b.PUBLIC_REQUEST, *document_basis(d), b.REVIEW]
    if d in vocab.JUDICIAL_DOCUMENTS:
        actions.append("consult_counsel")
        basis.insert(0, b.JUDGE)
    return refer(actions, SAY["nonofficer_document"], basis)


def authorized(req: Request) -> Decision:
    """III.B.1.c: a person authorized in writing, within what the authorization names."""
    basis = [b.WRITTEN, b.PUBLIC_REQUEST]
    if not req.authorized_categories:
        return to_manager("authorization_unclear", basis)
    if req.category not in req.authorized_categories:
        return not_granted("authorization_outside", basis)
    if req.category == "camera":
        return camera([b.WRITTEN])
    return allow("authorized_scope", [], SAY["authorized"], [b.WRITTEN])


_TEEN_CATEGORIES = frozenset({"circulation", "ill"})  # where items can be overdue and owed


def parent(req: Request) -> Decision:
    """III.B.2: parents, guardians and caretakers, by the child's age and card."""
    age, c = req.age, req.category
    if age is not None and age >= vocab.ADULT_AGE:
        return not_granted("adult_child", [b.CONFIDENTIAL, b.WRITTEN, b.PUBLIC_REQUEST])
    if not req.child_card:  # both III.B.2.a and III.B.2.b need the card, whatever the age
        sections = [b.CHILD_UNDER_13, b.CHILD_13_17] if age is None else (
            [b.CHILD_UNDER_13] if age < vocab.CHILD_AGE_LIMIT else [b.CHILD_13_17])
        return not_granted("child_card_needed", [*sections, b.PUBLIC_REQUEST])
    if age is None:  # the age on the child's account decides: a person checks it
        return to_manager(
            "age_unknown",
            [b.CHILD_UNDER_13, b.CHILD_13_17, b.PUBLIC_REQUEST],
        )
    section = b.CHILD_UNDER_13 if age < vocab.CHILD_AGE_LIMIT else b.CHILD_13_17
    if age < vocab.CHILD_AGE_LIMIT:
        if c == "camera":
            return camera([section])
        if c == "presence":
            # Not a "library record" (III.B.2.a); the branch manager handles it in person.
            return to_manager(
                "child_in_person",
                [section, b.PUBLIC_REQUEST, b.ALA_MINORS],
            )
        return allow("all", [], SAY["child_all"], [section])
    if c in _TEEN_CATEGORIES:
        return allow("overdue_and_fines", [], SAY["teen_fines"], [section])
    return deny(["refer_branch_manager"], SAY["teen_other"], [section, b.ALA_MINORS])

