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
* Precedence: (1) custody documents (III.C.2.e), (2) statistics (III.A), (3) who is
  asking: officers (III.B.3, III.C.2), staff (III.B.1.a), the patron (III.B.1.b),
  everyone else (III.B.1.c, III.B.2, III.C.1).

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

from dataclasses import dataclass, replace
from functools import lru_cache

from . import rules as b
from . import vocab
from .rules import SAY

_PLURAL = {"requester": "requesters", "category": "categories", "document": "documents"}


class InvalidRequest(ValueError):
    """A request the engine cannot decide: the message says what is wrong."""


class UnknownTerm(InvalidRequest):
    """A word outside the vocabulary; the message lists the valid words."""


def validate(kind: str, word: str) -> str:
    """Return ``word`` (trimmed, lower case) if it is a valid ``kind`` word, else raise."""
    if kind not in vocab.KINDS:
        raise UnknownTerm(f"Unknown kind {kind!r}. Valid kinds: {', '.join(vocab.KINDS)}.")
    valid = vocab.KINDS[kind]
    normal = word.strip().lower() if isinstance(word, str) else word
    if normal not in valid:
        raise UnknownTerm(f"Unknown {kind} {word!r}. Valid {_PLURAL[kind]}: {', '.join(valid)}.")
    return normal


@dataclass(frozen=True)
class Request:
    requester: str
    category: str
    document: str = "none"
    age: int | None = None  # the patron's age when known (minors' rules)
    child_card: bool = False  # the parent presents the child's card or card number
    authorized_categories: frozenset[str] = frozenset()  # scope of a written authorization
    # What the document reader (or staff) found about the document: True, False or None.
    expired: bool | None = None  # its execute-by or return date has passed
    out_of_state: bool | None = None  # issued by a court of another state
    other_premises: bool | None = None  # the place it names is none of the library's
    # A subpoena the director and counsel decided, and a second person confirmed, that the
    # law compels the library to answer (III.C.2.i; ALA Q&A 26). Ignored for any other document.
    compelled: bool = False

    @property
    def doubtful(self) -> bool:
        """A validity fact says the document may not apply here."""
        return any(getattr(self, fact) is True for fact in vocab.VALIDITY_FACTS)


@dataclass(frozen=True)
class Decision:
    outcome: str  # allow | deny | refer
    scope: str
    actions: tuple[str, ...]
    say: str
    basis: tuple[str, ...]

    def as_dict(self) -> dict:
        return {
            "outcome": self.outcome,
            "scope": self.scope,
            "actions": list(self.actions),
            "say": self.say,
            "basis": list(self.basis),
        }

    @property
    def allows_disclosure(self) -> bool:
        return self.outcome == "allow" and self.scope != "none"


def _decision(outcome: str, scope: str, actions, say: str, basis) -> Decision:
    """Build a Decision with actions in vocabulary order and basis without repeats."""
    wanted = set(actions)
    if outcome == "allow" and scope != "none":
        wanted.add("log_access")  # safety net: whatever is disclosed is logged
    return Decision(
        outcome=outcome,
        scope=scope,
        actions=tuple(a for a in vocab.ACTIONS if a in wanted),
        say=say,
        basis=_ordered_basis(basis),
    )


def _ordered_basis(basis) -> tuple[str, ...]:
    """Policy sections first, in the policy's order; then the other sources as given."""
    unique = list(dict.fromkeys(basis))
    sections = sorted(x for x in unique if x.startswith("Sonoma policy"))
    return (*sections, *(x for x in unique if not x.startswith("Sonoma policy")))


def _allow(scope, actions, say, basis):
    return _decision("allow", scope, actions, say, basis)


def _deny(actions, say, basis):
    return _decision("deny", "none", actions, say, basis)


def _refer(actions, say, basis):
    return _decision("refer", "none", actions, say, basis)


def _to_manager(say: str, basis) -> Decision:
    """III.C.1: a request the policy does not allow goes to the branch manager."""
    return _refer(["refer_branch_manager"], SAY[say], basis)


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
            return _decide_kept(request, type(request.age), flag_types)
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
    if r in vocab.OFFICERS:
        return _officer_area(req) if c in vocab.AREAS else _officer_records(req)
    if r == "staff":
        return _staff(req)
    if r == "patron_self":
        return _self(req)
    if c in vocab.AREAS:
        return _others_area(req)
    if d in vocab.LEGAL_DOCUMENTS:
        return _others_document(req)
    if d == "written_authorization":
        decision = _authorized(req)
        if decision.outcome == "allow" or r != "parent_guardian":
            return decision
    if r == "parent_guardian":
        return _parent(req)
    if r == "authorized_third_party":
        return _to_manager("authorization_needed", [b.WRITTEN, b.PUBLIC_REQUEST])
    if r == "vendor":
        return _refer(
            ["notify_director", "ask_purpose"],
            SAY["vendor"],
            [b.CONFIDENTIAL, b.DUTIES, b.ALA_VENDORS],
        )
    return _to_manager("public", [b.CONFIDENTIAL, b.PUBLIC_REQUEST, b.ICE_SCRIPTS])


# --- Custody documents and statistics ----------------------------------------


def _custody(req: Request) -> Decision:
    """III.C.2.e: no information, no participation in serving or seizing a person."""
    basis = [b.CUSTODY, b.NO_INTERFERENCE, b.INCIDENT, b.LEGAL_DOCS]
    if req.category in vocab.AREAS:
        basis[1:1] = [b.AREAS, b.NO_CONSENT]
    return _deny(b.CUSTODY_ACTIONS, SAY.get(f"custody_{req.category}", SAY["custody"]), basis)


def _statistics(req: Request) -> Decision:
    """III.A: statistics that identify no one are outside the policy."""
    if req.requester in vocab.OFFICERS:
        d = req.document
        actions = ["notify_director", "incident_report", *_document_actions(d)]
        if d != "none":
            actions.append("send_to_director_for_review")
        return _allow(
            "aggregate_only",
            actions,
            SAY["officer_statistics"],
            [b.STATISTICS, b.NOTIFY, b.INCIDENT, *_document_basis(d)],
        )
    return _allow("aggregate_only", [], SAY["statistics"], [b.STATISTICS])


# --- Law enforcement and immigration officers ---------------------------------


def _document_actions(d: str) -> list[str]:
    """What every presented document needs: a copy, and its own secrecy and hold."""
    actions = [] if d == "none" else ["copy_documents"]
    if d in vocab.NONDISCLOSURE_DOCUMENTS:
        actions.append("nondisclosure")
    if d in vocab.PRESERVE_DOCUMENTS:
        actions.append("legal_hold")
    return actions


def _document_basis(d: str) -> list[str]:
    basis = [] if d == "none" else [b.DOCUMENTS]
    if d == "national_security_letter":
        basis.append(b.NSL_GAG)
    if d == "court_subpoena":  # counsel reviews it; complied with only if valid
        basis += [b.ROUNDTABLE_ICE, b.ALA_RETRIEVAL]
    return basis


def _doubtful_judicial(actions: list[str], say: str, basis: list[str]) -> Decision:
    """A judge-signed document that may not apply here: the director reviews it first
    (III.C.2.d.i: consult the director where reasonable; roundtable scenario 1: check the
    court, the date and the premises). Staff never obstruct officers who go ahead."""
    return _refer(
        [*actions, "send_to_director_for_review", "consult_counsel"],
        SAY[say],
        [b.JUDGE, *basis, b.JUDICIAL, b.REVIEW, b.COUNSEL, b.ROUNDTABLE_ICE, b.INCIDENT],
    )


def _officer_records(req: Request) -> Decision:
    """III.B.3 and III.C.2.a-d: records only on a judge-signed order, only its face."""
    d = req.document
    actions = [*b.OFFICER_ACTIONS, *_document_actions(d)]
    basis = [b.OFFICERS, b.CREDENTIALS, b.NO_INTERFERENCE, *_document_basis(d)]
    if d in vocab.JUDICIAL_DOCUMENTS and req.doubtful:
        return _doubtful_judicial(actions, "officer_judicial_doubtful", basis)
    if d in vocab.JUDICIAL_DOCUMENTS:
        return _allow(
            "face_of_document",
            [*actions, "consult_counsel", "inventory_production"],
            SAY["officer_judicial"],
            [b.JUDGE, *basis, b.JUDICIAL, b.NO_INTERFERENCE, b.INCIDENT, b.ALA_RETRIEVAL],
        )
    if d in vocab.SUBPOENA_DOCUMENTS and req.compelled:
        # Never at the desk: only the production that follows the director's and counsel's
        # two-person decision asks this, and it gets what the subpoena names, no more.
        return _allow(
            "face_of_document",
            [*actions, "consult_counsel", "inventory_production"],
            SAY["officer_compelled"],
            [*basis, b.REVIEW, b.COUNSEL, b.ALA_RETRIEVAL, b.LEGAL_DOCS],
        )
    if d in vocab.REVIEW_DOCUMENTS or d == "unknown":
        return _refer(
            [*actions, "send_to_director_for_review", "consult_counsel"],
            SAY["officer_review"],
            [*basis, b.NO_CONSENT, b.REVIEW, b.COUNSEL, b.INCIDENT, b.LEGAL_DOCS],
        )
    if d == "written_authorization":
        # III.B.1.c lets a person the patron authorized in writing inspect records, but
        # III.B.3 is the specific rule for officers: the director verifies it first.
        return _refer(
            [*actions, "send_to_director_for_review"],
            SAY["officer_authorization"],
            [*basis, b.WRITTEN, b.NO_CONSENT, b.INCIDENT],
        )
    return _deny(actions, SAY["officer_none"], [*basis, b.NO_CONSENT, b.INCIDENT, b.ICE_SCRIPTS])


def _officer_area(req: Request) -> Decision:
    """III.C.2.f-h: public areas yes; non-public areas only on a judge-signed document."""
    d = req.document
    if req.category == "area:public":
        actions = ["notify_director", "do_not_interfere", "incident_report", *_document_actions(d)]
        basis = [b.AREAS, b.NO_INTERFERENCE, b.INCIDENT, b.ICE_IN_LIBRARY, *_document_basis(d)]
        if d != "none":  # a document handed over in passing still goes to the director
            actions.append("send_to_director_for_review")
        return _allow("none", actions, SAY["officer_public_area"], basis)
    actions = [*b.OFFICER_ACTIONS, *_document_actions(d)]
    basis = [b.AREAS, b.CREDENTIALS, b.NO_INTERFERENCE, *_document_basis(d)]
    if d in vocab.JUDICIAL_DOCUMENTS and req.doubtful:
        return _doubtful_judicial(actions, "non_public_review", [*basis, b.NO_CONSENT])
    if d in vocab.JUDICIAL_DOCUMENTS:
        return _allow(
            "face_of_document",
            [*actions, "consult_counsel", "inventory_production"],
            SAY["non_public_judicial"],
            [*basis, b.JUDICIAL, b.NO_INTERFERENCE, b.INCIDENT],
        )
    if d == "unknown":
        return _refer(
            [*actions, "send_to_director_for_review", "consult_counsel"],
            SAY["non_public_review"],
            [*basis, b.NO_CONSENT, b.REVIEW, b.NO_INTERFERENCE, b.INCIDENT],
        )
    if d != "none":
        actions.append("send_to_director_for_review")
        basis.append(b.REVIEW)
    return _deny(
        actions, SAY["non_public_refused"], [*basis, b.NO_CONSENT, b.NO_INTERFERENCE, b.INCIDENT]
    )


# --- Staff and the patron ------------------------------------------------------


def _staff(req: Request) -> Decision:
    """III.B.1.a: staff within their duties see what the task needs, logged."""
    if req.category == "area:public":
        return _allow("none", [], SAY["public_area"], [b.DUTIES, b.ALA_PUBLIC_PLACE])
    if req.category == "area:non_public":
        return _allow("none", [], SAY["staff_area"], [b.DUTIES])
    if req.document in vocab.LEGAL_DOCUMENTS:
        # Searching records because of legal process is not routine duty: it happens
        # under the director's direction (III.C.2.d), decided as the officer's request.
        return _refer(
            ["notify_director", "send_to_director_for_review", *_document_actions(req.document)],
            SAY["staff_document"],
            [b.DUTIES, b.NOTIFY, b.REVIEW, b.ALA_RETRIEVAL, *_document_basis(req.document)],
        )
    return _allow("duty_minimum", [], SAY["staff_duty"], [b.DUTIES, b.ALA_STAFF])


def _internal(req: Request) -> Decision:
    """Case files and the network's contacts are the library's working records: staff read
    them within their duties (III.B.1.a, via ``_staff``); officers are answered as for any
    record (only a judge's order compels, III.C.2.d); to anyone else they are confidential."""
    return _deny(["notify_director"], SAY["internal"], [b.CONFIDENTIAL, b.DUTIES])


def _camera(basis: list[str]) -> Decision:
    """Footage shows other patrons too (ALA Q&A 27): the director reviews it."""
    return _refer(["notify_director"], SAY["camera"], [*basis, b.SCOPE, b.ALA_SURVEILLANCE])


def _self(req: Request) -> Decision:
    """III.B.1.b: patrons see their own records (whatever document they carry)."""
    if req.category == "area:public":
        return _allow("none", [], SAY["public_area"], [b.ALA_PUBLIC_PLACE])
    if req.category == "area:non_public":
        return _deny([], SAY["non_public"], [b.AREAS])
    if req.category == "camera":
        return _camera([b.SELF])
    return _allow("all", [], SAY["self"], [b.SELF])


# --- Everyone else: members of the public, vendors, parents, third parties -------


def _others_area(req: Request) -> Decision:
    if req.category == "area:public":
        return _allow("none", [], SAY["public_area"], [b.ALA_PUBLIC_PLACE])
    if req.requester == "vendor":
        return _to_manager("vendor_area", [b.AREAS, b.ALA_VENDORS])
    return _deny([], SAY["non_public"], [b.AREAS])


def _others_document(req: Request) -> Decision:
    """III.C.1: a document needing legal review goes via the branch manager to the director."""
    d = req.document
    actions = [
        "refer_branch_manager",
        "notify_director",
        "send_to_director_for_review",
        *_document_actions(d),
    ]
    basis = [b.PUBLIC_REQUEST, *_document_basis(d), b.REVIEW]
    if d in vocab.JUDICIAL_DOCUMENTS:
        actions.append("consult_counsel")
        basis.insert(0, b.JUDGE)
    return _refer(actions, SAY["nonofficer_document"], basis)


def _authorized(req: Request) -> Decision:
    """III.B.1.c: a person authorized in writing, within what the authorization names."""
    basis = [b.WRITTEN, b.PUBLIC_REQUEST]
    if not req.authorized_categories:
        return _to_manager("authorization_unclear", basis)
    if req.category not in req.authorized_categories:
        return _to_manager("authorization_outside", basis)
    if req.category == "camera":
        return _camera([b.WRITTEN])
    return _allow("authorized_scope", [], SAY["authorized"], [b.WRITTEN])


_TEEN_CATEGORIES = frozenset({"circulation", "ill"})  # where items can be overdue and owed


def _parent(req: Request) -> Decision:
    """III.B.2: parents, guardians and caretakers, by the child's age and card."""
    age, c = req.age, req.category
    if age is None:
        return _to_manager(
            "age_unknown",
            [b.CHILD_UNDER_13, b.CHILD_13_17, b.PUBLIC_REQUEST],
        )
    if age >= vocab.ADULT_AGE:
        return _to_manager(
            "adult_child",
            [b.CONFIDENTIAL, b.WRITTEN, b.PUBLIC_REQUEST],
        )
    section = b.CHILD_UNDER_13 if age < vocab.CHILD_AGE_LIMIT else b.CHILD_13_17
    if not req.child_card:
        return _to_manager("child_card_needed", [section, b.PUBLIC_REQUEST])
    if age < vocab.CHILD_AGE_LIMIT:
        if c == "camera":
            return _camera([section])
        if c == "presence":
            # Not a "library record" (III.B.2.a); the branch manager handles it in person.
            return _to_manager(
                "child_in_person",
                [section, b.PUBLIC_REQUEST, b.ALA_MINORS],
            )
        return _allow("all", [], SAY["child_all"], [section])
    if c in _TEEN_CATEGORIES:
        return _allow("overdue_and_fines", [], SAY["teen_fines"], [section])
    return _deny(["refer_branch_manager"], SAY["teen_other"], [section, b.ALA_MINORS])
