"""What the desk sees at once: what to say, what to do, what not to do, what happens next.

Built from the policy engine's Decision only (pure: no Django).
"""

from __future__ import annotations

from dataclasses import dataclass

from quietdesk.policy import engine, explain, vocab

from . import words

# Things never to do, shown when the decision carries the matching action or outcome.
_DONT_ACTIONS = {
    "do_not_participate": "Do not help find, serve, hold or detain anyone, and do not say whether anyone is here.",
    "do_not_interfere": "Do not physically block or touch an officer, even if they go beyond their authority.",
    "nondisclosure": "Do not tell anyone outside library administration about this document.",
}
_DONT_NO_RECORDS = (
    "Do not look up, print, show or read out any patron information.",
    "Do not sign anything or agree to anything on the library's behalf.",
)
_DONT_OFFICER = "Do not search records while the officer watches; the officer never touches a library screen."


@dataclass(frozen=True)
class Guidance:
    headline: str
    say: str
    do: tuple[str, ...]
    dont: tuple[str, ...]
    next: tuple[str, ...]
    scope: str
    basis: tuple[str, ...]
    # The director must be told: the page says how (from the case's notice), never "emailed" by default.
    tell_director: bool = False


def effective_request(requester: str, category: str, document: str) -> engine.Request:
    """The desk's answers, with blanks read the cautious way.

    * who is asking unknown: decided as law enforcement (the director is told, nothing is given);
    * what they want unknown: patron information (registration);
    * document unknown: "none" unless a file was copied (then "unknown").
    """
    return engine.Request(
        requester=requester or "law_enforcement",
        category=category or "registration",
        document=document or "none",
    )


def _next_steps(decision: engine.Decision, requester: str) -> tuple[str, ...]:
    steps = []
    acts = set(decision.actions)
    if "refer_branch_manager" in acts:
        steps.append("Ask the person in charge (branch manager) to come to the desk and explain the policy.")
    if "send_to_director_for_review" in acts:
        steps.append("The director reviews the document, with counsel; the library answers later, in writing.")
    if decision.outcome == "allow" and decision.scope == "face_of_document":
        steps.append(
            "The director checks the order with counsel. Staff then retrieve only what it names, "
            "through the production screen, and keep a copy of everything produced."
        )
    if "incident_report" in acts:
        steps.append("Add what the officer said and did below, while you remember it: it becomes the incident report.")
    if not steps and not _tells_director(decision, requester):
        steps.append("Nothing more is needed; the request is recorded.")
    return tuple(steps)


def _tells_director(decision: engine.Decision, requester: str) -> bool:
    return "notify_director" in decision.actions or requester in vocab.OFFICERS or not requester


def build(decision: engine.Decision, *, requester: str) -> Guidance:
    dont = [_DONT_ACTIONS[a] for a in decision.actions if a in _DONT_ACTIONS]
    if not decision.allows_disclosure:
        dont.extend(_DONT_NO_RECORDS)
    if requester in vocab.OFFICERS or not requester:
        dont.append(_DONT_OFFICER)
    do = [explain.ACTION_TEXT[a] for a in decision.actions if a not in _DONT_ACTIONS]
    return Guidance(
        headline=words.OUTCOME_HEADLINE[decision.outcome],
        say=decision.say,
        do=tuple(do),
        dont=tuple(dict.fromkeys(dont)),
        next=_next_steps(decision, requester),
        scope=explain.SCOPE_TEXT[decision.scope],
        basis=decision.basis,
        tell_director=_tells_director(decision, requester),
    )


def from_case(case) -> Guidance:
    """The guidance for a case's answers (the engine is pure and deterministic)."""
    decision = engine.decide(effective_request(case.requester, case.category, case.document))
    return build(decision, requester=case.requester)
