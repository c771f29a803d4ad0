"""What the desk sees at once: what to say, what to do, what not to do, what happens next.

Built from the policy engine's Decision only (pure: no Django). An officer's script is the
engine's words completed by ``scripts.script`` (non-consent in both parts, waiting for the
director under a judge's warrant, review of an immigration agent's warrant), so the desk,
the staff guide, the desk card and the drills say the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from quietdesk.policy import engine, explain, vocab

from . import scripts, words

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
# 18 U.S.C. 1001: decline, never deceive (see scripts.NEVER_DECEIVE for why quietdesk has no stalling lines).
_DONT_DECEIVE = (
    "Do not say anything false, and do not pretend not to know or not to have seen someone: "
    "say \"I can't share that\" instead (a false statement to a federal officer is a crime, 18 U.S.C. 1001)."
)


@dataclass(frozen=True)
class Guidance:
    headline: str
    say: str
    do: tuple[str, ...]
    dont: tuple[str, ...]
    next: tuple[str, ...]
    scope: str
    basis: tuple[str, ...]
    # Under the script: what to do if officers will not wait, and never deceive.
    after_say: tuple[str, ...] = ()
    # The director must be told: the page says how (from the case's notice), never "emailed" by default.
    tell_director: bool = False


def effective_request(requester: str, category: str, document: str,
                      validity: dict | None = None) -> engine.Request:
    """The desk's answers, with blanks read the cautious way.

    * who is asking unknown: decided as law enforcement (the director is told, nothing is given);
    * what they want unknown: patron information (registration);
    * document unknown: "none" unless a file was copied (then "unknown");
    * ``validity``: what the reader found about the document (``docfacts.validity``): a
      judge-signed one that has expired, is out of state or names another place is not
      "comply now" but "call the director; do not produce".
    """
    def fact(name: str) -> bool | None:
        value = (validity or {}).get(name)
        return value if isinstance(value, bool) else None

    return engine.Request(
        requester=requester or "law_enforcement",
        category=category or "registration",
        document=document or "none",
        expired=fact("expired"),
        out_of_state=fact("out_of_state"),
        other_premises=fact("other_premises"),
    )


def _next_steps(decision: engine.Decision, requester: str, document: str = "") -> tuple[str, ...]:
    steps = []
    acts = set(decision.actions)
    if "refer_branch_manager" in acts:
        steps.append("Ask the person in charge (branch manager) to come to the desk and explain the policy.")
    if document in vocab.JUDICIAL_DOCUMENTS:
        # A judge's document is not answered later by letter: prompt compliance is usually
        # required, after the director is consulted (Sonoma III.C.2.d.i).
        if "send_to_director_for_review" in acts:
            steps.append("The director reviews the document with counsel before anything is handed over.")
    elif "send_to_director_for_review" in acts or document in scripts.IMMIGRATION_AGENT_WARRANTS:
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


def build(decision: engine.Decision, *, requester: str, category: str = "", document: str = "") -> Guidance:
    """The desk's guidance. ``category`` and ``document`` are the request's (as decided)."""
    dont = [_DONT_ACTIONS[a] for a in decision.actions if a in _DONT_ACTIONS]
    if not decision.allows_disclosure:
        dont.extend(_DONT_NO_RECORDS)
    officer = requester in vocab.OFFICERS or not requester
    if officer:
        dont.append(_DONT_OFFICER)
        dont.append(_DONT_DECEIVE)
    said = dict(requester=requester, document=document, outcome=decision.outcome)
    do = [explain.ACTION_TEXT[a] for a in decision.actions if a not in _DONT_ACTIONS]
    return Guidance(
        headline=words.OUTCOME_HEADLINE[decision.outcome],
        say=scripts.script(decision.say, category=category, **said),
        do=tuple(do),
        dont=tuple(dict.fromkeys(dont)),
        next=_next_steps(decision, requester, document),
        scope=explain.SCOPE_TEXT[decision.scope],
        basis=_basis(decision, officer=officer, document=document),
        after_say=scripts.after_script(category=category, **said),
        tell_director=_tells_director(decision, requester),
    )


def _basis(decision: engine.Decision, *, officer: bool, document: str) -> tuple[str, ...]:
    """The engine's sections, and those of the rules ``scripts`` adds."""
    extra = []
    if officer:
        extra += [*scripts.RULES["non_consent"], *scripts.RULES["never_deceive"]]
        if document in vocab.JUDICIAL_DOCUMENTS:
            extra += [*scripts.RULES["wait"], *scripts.RULES["if_they_refuse"]]
        if document in scripts.IMMIGRATION_AGENT_WARRANTS:
            extra += scripts.RULES["immigration_warrant"]
    return tuple(dict.fromkeys([*decision.basis, *extra]))


def from_case(case, validity: dict | None = None) -> Guidance:
    """The guidance for a case's answers (the engine is pure and deterministic), with the
    validity facts of the document presented (``services.case_validity``)."""
    request = effective_request(case.requester, case.category, case.document, validity)
    decision = engine.decide(request)
    return build(decision, requester=case.requester, category=request.category, document=request.document)
