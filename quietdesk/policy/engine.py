"""The policy engine: decides every request for patron information or building access.

Design notes
------------
* Pure: no Django, no I/O, no clock, no randomness. Everything the rules need comes
  in through ``Request``; ``decide()`` returns a ``Decision`` and does nothing else.
  Callers (the vault's single decrypting code path, the desk guide, the
  ``quietdesk policy decide`` command) act on the decision and write the log.
* Closed vocabulary: every word in and out is listed in ``vocab``. An unknown word
  raises ``UnknownTerm`` whose message lists the valid words, never a guess.
* Rules follow the Sonoma County Library confidentiality policy section by section
  (III.B mandates, III.C procedures). Where it is silent, the ALA Privacy Q&A and the
  ICE response protocol fill in, always on the side of less disclosure. Each decision
  carries its ``basis`` so a person can check the reasoning.
* Precedence: (1) custody documents (III.C.2.e), (2) statistics (III.A), (3) a claimed
  emergency (no exception in III.B.1: it adds nothing), (4) who is asking: officers
  (III.B.3, III.C.2), staff and contractors (III.B.1.a), the patron (III.B.1.b),
  everyone else (III.B.1.c, III.B.2, III.C.1; in ``others``).
* Two words for "not now, not here": ``deny`` when the policy cannot grant the request on
  what was presented (the desk says no; actions such as ``refer_branch_manager`` say who
  explains the policy); ``refer`` when a person must decide something the engine cannot
  (the legal review of a document, what a written authorization or a vendor's agreement
  covers, the age on a child's account, footage that shows other people).

Safety property
---------------
Only a judge-signed document that can compel records (``vocab.JUDICIAL_DOCUMENTS``)
makes anyone outside the library receive patron records they are not otherwise
entitled to, and then only ``face_of_document``, and only while nothing casts doubt on
it: one that has expired, comes from another state's court or names another place
(``vocab.VALIDITY_FACTS``) goes to the director first. So does a subpoena once the director
and counsel have recorded, two people together, that the law compels the library to
answer it (``Request.compelled``, set only by ``legal.subpoena``). Other subpoenas, agency-signed warrants,
national security letters and unrecognised documents go to the director: nothing is
handed over on the spot. Documents demanding custody of a person get no information
and no participation. Anything uncertain (unknown document, unknown age, an
authorization of unknown scope) yields refer or deny, with the director or branch
manager told. Every decision that discloses anything carries ``log_access``.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

from . import others, vocab
from . import rules as b
from .decision import (  # noqa: F401 (re-exported: callers use engine.Request, engine.decide...)
    Decision,
    InvalidRequest,
    Request,
    UnknownTerm,
    allow,
    build,
    camera,
    deny,
    document_actions,
    document_basis,
    not_granted,
    refer,
    validate,
)
from .rules import SAY


def _validated(request: Request) -> Request:
    if not isinstance(request, Request):
        raise InvalidRequest(f"decide() takes a Request, not {type(request).__name__}.")
    age = request.age
    if age is not None and (isinstance(age, bool) or not isinstance(age, int)):
        raise InvalidRequest(f"age must be a whole number or None, not {age!r}.")
    if age is not None and not 0 <= age <= vocab.MAX_AGE:
        raise InvalidRequest(f"age must be between 0 and {vocab.MAX_AGE}, not {age}.")
    if not isinstance(request.child_card, bool):
        raise InvalidRequest(f"child_card must be True or False, not {request.child_card!r}.")
    for fact in vocab.VALIDITY_FACTS:
        value = getattr(request, fact)
        if value is not None and not isinstance(value, bool):
            raise InvalidRequest(f"{fact} must be True, False or None, not {value!r}.")
    if not isinstance(request.compelled, bool):
        raise InvalidRequest(f"compelled must be True or False, not {request.compelled!r}.")
    authorized = request.authorized_categories or ()
    if isinstance(authorized, str) or not hasattr(authorized, "__iter__"):
        raise InvalidRequest(
            f"authorized_categories must be a set of categories, not {authorized!r}."
        )
    return replace(
        request,
        requester=validate("requester", request.requester),
        category=validate("category", request.category),
        document=validate("document", request.document),
        authorized_categories=frozenset(validate("category", c) for c in authorized),
    )


def decide(request: Request) -> Decision:
    """Decide one request. Raises UnknownTerm / InvalidRequest for bad input."""
    if type(request) is Request and type(request.authorized_categories) is frozenset:
        # The answer is kept per request *and* the types of its flags: True == 1 and
        # both hash alike, but age=True is invalid where age=1 is not.
        flag_types = tuple(type(getattr(request, f)) for f in ("child_card", "compelled", *vocab.VALIDITY_FACTS))
        try:
            age_type: type = type(request.age)
            return _decide_kept(request, age_type, flag_types)
        except TypeError:  # an unhashable field: not a valid request, _validated says why
            pass
    return _decide_valid(_validated(request))


# Pure and total over valid, frozen requests, with frozen answers: the same question
# always gets the same (shared, immutable) answer. Lookups ask on every call. Bad
# requests raise, and lru_cache keeps no exception, so they are checked every time.
@lru_cache(maxsize=1024)
def _decide_kept(request: Request, _age_type: type, _flag_types: tuple[type, ...]) -> Decision:
    return _decide_valid(_validated(request))


def _decide_valid(req: Request) -> Decision:
    r, c, d = req.requester, req.category, req.document
    if d in vocab.CUSTODY_DOCUMENTS and r != "patron_self":
        return _custody(req)
    if c in vocab.INTERNAL_RECORDS and r != "staff" and r not in vocab.OFFICERS:
        return _internal(req)
    if c == "statistics":
        return _statistics(req)
    if d == "emergency_claim" and r != "patron_self":
        return _emergency(req)
    if r in vocab.OFFICERS:
        return _officer_area(req) if c in vocab.AREAS else _officer_records(req)
    if r == "staff":
        return _staff(req)
    if r == "contractor":
        return others.contractor(req)
    if r == "patron_self":
        return _self(req)
    if c in vocab.AREAS:
        return others.others_area(req)
    if d in vocab.LEGAL_DOCUMENTS:
        return others.others_document(req)
    if d == "written_authorization":
        decision = others.authorized(req)
        if decision.outcome == "allow" or r != "parent_guardian":
            return decision
    if r == "parent_guardian":
        return others.parent(req)
    if r == "authorized_third_party":
        return not_granted("authorization_needed", [b.WRITTEN, b.PUBLIC_REQUEST])
    if r == "vendor":
        # What the library's written agreement with the vendor covers is for the director
        # to decide, not the desk: refer, like a written authorization of unknown scope.
        return refer(
            ["notify_director", "ask_purpose"],
            SAY["vendor"],
            [b.CONFIDENTIAL, b.DUTIES, b.ALA_VENDORS],
        )
    return not_granted("public", [b.CONFIDENTIAL, b.PUBLIC_REQUEST, b.ICE_SCRIPTS])


# --- Custody documents and statistics ----------------------------------------


def _custody(req: Request) -> Decision:
    """III.C.2.e: no information, no participation in serving or seizing a person."""
    basis = [b.CUSTODY, b.NO_INTERFERENCE, b.INCIDENT, b.LEGAL_DOCS]
    if req.category in vocab.AREAS:
        basis[1:1] = [b.AREAS, b.NO_CONSENT]
    return deny(b.CUSTODY_ACTIONS, SAY.get(f"custody_{req.category}", SAY["custody"]), basis)


def _statistics(req: Request) -> Decision:
    """III.A: statistics that identify no one are outside the policy."""
    if req.requester in vocab.OFFICERS:
        d = req.document
        actions = ["notify_director", "incident_report", *document_actions(d)]
        if d != "none":
            actions.append("send_to_director_for_review")
        return allow(
            "aggregate_only",
            actions,
            SAY["officer_statistics"],
            [b.STATISTICS, b.NOTIFY, b.INCIDENT, *document_basis(d)],
        )
    return allow("aggregate_only", [], SAY["statistics"], [b.STATISTICS])


def _emergency(req: Request) -> Decision:
    """A claimed emergency. The policy names every ground for disclosure (III.B.1.a-d;
    for officers, a judge's order or warrant, III.B.3) and an emergency is none of them:
    the claim adds nothing. It takes nothing away either (a parent with an under-13's card
    still sees the child's records), and the director is told of every one. Staff never
    obstruct officers who act anyway (III.C.2.g)."""
    r, c = req.requester, req.category
    plain = _decide_valid(replace(req, document="none"))
    actions = [*plain.actions, "notify_director"]
    if c == "area:public" or (c == "area:non_public" and r in vocab.LIBRARY_WORKERS):
        return build(plain.outcome, plain.scope, actions, plain.say, plain.basis)
    basis = [*plain.basis, b.CONFIDENTIAL]
    if r in vocab.OFFICERS:
        say = SAY["non_public_emergency" if c == "area:non_public" else "officer_emergency"]
        return deny(
            [*actions, "do_not_interfere", "incident_report"],
            say,
            [*basis, b.OFFICERS, b.NOTIFY, b.NO_CONSENT, b.NO_INTERFERENCE, b.INCIDENT],
        )
    if r in vocab.LIBRARY_WORKERS:
        return deny(["notify_director"], SAY["staff_emergency"], [b.CONFIDENTIAL, b.DUTIES, b.NOTIFY])
    if plain.outcome != "deny":  # what the policy grants or refers anyway, the director told
        return build(plain.outcome, plain.scope, actions, plain.say, basis)
    say = plain.say if c in vocab.AREAS else SAY["emergency"]
    return deny(actions, say, [*basis, b.PUBLIC_REQUEST])


# --- Law enforcement and immigration officers ---------------------------------


def _doubtful_judicial(actions: list[str], say: str, basis: list[str]) -> Decision:
    """A judge-signed document that may not apply here: the director reviews it first
    (III.C.2.d.i: consult the director where reasonable; roundtable scenario 1: check the
    court, the date and the premises). Staff never obstruct officers who go ahead."""
    return refer(
        [*actions, "send_to_director_for_review", "consult_counsel"],
        SAY[say],
        [b.JUDGE, *basis, b.JUDICIAL, b.REVIEW, b.COUNSEL, b.ROUNDTABLE_ICE, b.INCIDENT],
    )


def _officer_records(req: Request) -> Decision:
    """III.B.3 and III.C.2.a-d: records only on a judge-signed order, only its face."""
    d = req.document
    actions = [*b.OFFICER_ACTIONS, *document_actions(d)]
    basis = [b.OFFICERS, b.CREDENTIALS, b.NO_INTERFERENCE, *document_basis(d)]
    if d in vocab.JUDICIAL_DOCUMENTS and req.doubtful:
        return _doubtful_judicial(actions, "officer_judicial_doubtful", basis)
    if d in vocab.JUDICIAL_DOCUMENTS:
        return allow(
            "face_of_document",
            [*actions, "consult_counsel", "inventory_production"],
            SAY["officer_judicial"],
            [b.JUDGE, *basis, b.JUDICIAL, b.NO_INTERFERENCE, b.INCIDENT, b.ALA_RETRIEVAL],
        )
    if d in vocab.SUBPOENA_DOCUMENTS and req.compelled:
        # Never at the desk: only the production that follows the director's and counsel's
        # two-person decision asks this, and it gets what the subpoena names, no more.
        return allow(
            "face_of_document",
            [*actions, "consult_counsel", "inventory_production"],
            SAY["officer_compelled"],
            [*basis, b.REVIEW, b.COUNSEL, b.ALA_RETRIEVAL, b.LEGAL_DOCS],
        )
    if d in vocab.REVIEW_DOCUMENTS or d == "unknown":
        return refer(
            [*actions, "send_to_director_for_review", "consult_counsel"],
            SAY["officer_review"],
            [*basis, b.NO_CONSENT, b.REVIEW, b.COUNSEL, b.INCIDENT, b.LEGAL_DOCS],
        )
    if d == "written_authorization":
        # III.B.1.c lets a person the patron authorized in writing inspect records, but
        # III.B.3 is the specific rule for officers: the director verifies it first.
        return refer(
            [*actions, "send_to_director_for_review"],
            SAY["officer_authorization"],
            [*basis, b.WRITTEN, b.NO_CONSENT, b.INCIDENT],
        )
    return deny(actions, SAY["officer_none"], [*basis, b.NO_CONSENT, b.INCIDENT, b.ICE_SCRIPTS])


def _officer_area(req: Request) -> Decision:
    """III.C.2.f-h: public areas yes; non-public areas only on a judge-signed document."""
    d = req.document
    if req.category == "area:public":
        actions = ["notify_director", "do_not_interfere", "incident_report", *document_actions(d)]
        basis = [b.AREAS, b.NO_INTERFERENCE, b.INCIDENT, b.ICE_IN_LIBRARY, *document_basis(d)]
        # A document handed over in passing still goes to the director; a judge's document is
        # not one the library answers later (III.C.2.d.i), so it is not sent for review.
        if d != "none" and d not in vocab.JUDICIAL_DOCUMENTS:
            actions.append("send_to_director_for_review")
        return allow("none", actions, SAY["officer_public_area"], basis)
    actions = [*b.OFFICER_ACTIONS, *document_actions(d)]
    basis = [b.AREAS, b.CREDENTIALS, b.NO_INTERFERENCE, *document_basis(d)]
    if d in vocab.JUDICIAL_DOCUMENTS and req.doubtful:
        return _doubtful_judicial(actions, "non_public_review", [*basis, b.NO_CONSENT])
    if d in vocab.JUDICIAL_DOCUMENTS:
        return allow(
            "face_of_document",
            [*actions, "consult_counsel", "inventory_production"],
            SAY["non_public_judicial"],
            [*basis, b.JUDICIAL, b.NO_INTERFERENCE, b.INCIDENT],
        )
    if d == "unknown":
        return refer(
            [*actions, "send_to_director_for_review", "consult_counsel"],
            SAY["non_public_review"],
            [*basis, b.NO_CONSENT, b.REVIEW, b.NO_INTERFERENCE, b.INCIDENT],
        )
    if d != "none":
        actions.append("send_to_director_for_review")
        basis.append(b.REVIEW)
    return deny(
        actions, SAY["non_public_refused"], [*basis, b.NO_CONSENT, b.NO_INTERFERENCE, b.INCIDENT]
    )


# --- Staff and the patron ------------------------------------------------------


def _staff(req: Request) -> Decision:
    """III.B.1.a: staff within their duties see what the task needs, logged."""
    if req.category == "area:public":
        return allow("none", [], SAY["public_area"], [b.DUTIES, b.SCOPE, b.ALA_PUBLIC_PLACE])
    if req.category == "area:non_public":
        return allow("none", [], SAY["staff_area"], [b.DUTIES])
    if req.document in vocab.LEGAL_DOCUMENTS:
        # Searching records because of legal process is not routine duty: it happens
        # under the director's direction (III.C.2.d), decided as the officer's request.
        return refer(
            ["notify_director", "send_to_director_for_review", *document_actions(req.document)],
            SAY["staff_document"],
            [b.DUTIES, b.NOTIFY, b.REVIEW, b.ALA_RETRIEVAL, *document_basis(req.document)],
        )
    return allow("duty_minimum", [], SAY["staff_duty"], [b.DUTIES, b.ALA_STAFF])


def _internal(req: Request) -> Decision:
    """Case files and the network's contacts are the library's working records: staff read
    them within their duties (III.B.1.a, via ``_staff``); officers are answered as for any
    record (only a judge's order compels, III.C.2.d); to anyone else they are confidential."""
    return deny(["notify_director"], SAY["internal"], [b.CONFIDENTIAL, b.DUTIES])


def _self(req: Request) -> Decision:
    """III.B.1.b: patrons see their own records (whatever document they carry)."""
    if req.category == "area:public":
        return allow("none", [], SAY["public_area"], [b.SCOPE, b.ALA_PUBLIC_PLACE])
    if req.category == "area:non_public":
        return deny([], SAY["non_public"], [b.AREAS])
    if req.category == "camera":
        return camera([b.SELF])
    return allow("all", [], SAY["self"], [b.SELF])


