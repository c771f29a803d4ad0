"""The policy engine's building blocks: requests, decisions, and how a decision is built.

Pure: no Django, no I/O. ``engine`` decides; ``others`` holds the rules for everyone who
is neither an officer, nor staff, nor the patron. Both build their answers here, so that
every decision orders its actions and basis the same way and logs every disclosure.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def build(outcome: str, scope: str, actions, say: str, basis) -> Decision:
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


def allow(scope, actions, say, basis):
    return build("allow", scope, actions, say, basis)


def deny(actions, say, basis):
    return build("deny", "none", actions, say, basis)


def refer(actions, say, basis):
    return build("refer", "none", actions, say, basis)


def not_granted(say: str, basis) -> Decision:
    """III.C.1: the policy cannot grant what was asked on what was presented. The desk
    says no (deny); the branch manager explains the policy (an action, not a referral:
    nothing is left for anyone to decide)."""
    return deny(["refer_branch_manager"], SAY[say], basis)


def to_manager(say: str, basis) -> Decision:
    """A person must decide what the engine cannot (what an authorization covers, the
    child's age on the account, a child's presence): refer to the branch manager."""
    return refer(["refer_branch_manager"], SAY[say], basis)



def document_actions(d: str) -> list[str]:
    """What every presented document needs: a copy, and its own secrecy and hold."""
    actions = [] if d == "none" else ["copy_documents"]
    if d in vocab.NONDISCLOSURE_DOCUMENTS:
        actions.append("nondisclosure")
    if d in vocab.PRESERVE_DOCUMENTS:
        actions.append("legal_hold")
    return actions


def document_basis(d: str) -> list[str]:
    basis = [] if d == "none" else [b.DOCUMENTS]
    if d == "national_security_letter":
        basis.append(b.NSL_GAG)
    if d == "court_subpoena":  # counsel reviews it; complied with only if valid
        basis += [b.ROUNDTABLE_ICE, b.ALA_RETRIEVAL]
    return basis



def camera(basis: list[str]) -> Decision:
    """Footage shows other patrons too (ALA Q&A 27): the director reviews it."""
    return refer(["notify_director"], SAY["camera"], [*basis, b.SCOPE, b.ALA_SURVEILLANCE])


