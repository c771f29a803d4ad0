""""When officers arrive": the desk procedure, as steps.

The procedure follows the Sonoma policy III.C.2 and the ICE response protocol.
What staff say and do is never written here: each situation is a policy-engine
``Request``, and the words come from ``policy.engine.decide()``, completed for officers
by ``legal.scripts`` (the action wording from ``policy.explain``), so the guide, the desk
card, the drills and the desk's guidance page cannot disagree.
Only the step titles and the short explanations around them are the guide's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from quietdesk.legal import scripts
from quietdesk.policy import explain
from quietdesk.policy.engine import Decision, Request, decide


def officer_script(request: Request, decision: Decision) -> str:
    """What staff say: the engine's words, completed for officers (``legal.scripts``)."""
    return scripts.script(decision.say, requester=request.requester, category=request.category,
                          document=request.document, outcome=decision.outcome)


@dataclass(frozen=True)
class Situation:
    """One moment at the desk, described to the policy engine."""

    slug: str
    title: str
    request: Request

    @cached_property
    def decision(self) -> Decision:
        return decide(self.request)

    @property
    def say(self) -> str:
        return officer_script(self.request, self.decision)

    @property
    def after_say(self) -> tuple[str, ...]:
        """What to do if officers will not wait (never-deceive is shown once, as its own rule)."""
        r = self.request
        lines = scripts.after_script(requester=r.requester, category=r.category, document=r.document,
                                     outcome=self.decision.outcome)
        return tuple(line for line in lines if line != scripts.NEVER_DECEIVE)

    @property
    def outcome_text(self) -> str:
        return explain.OUTCOME_TEXT[self.decision.outcome]

    @property
    def scope_text(self) -> str:
        return explain.SCOPE_TEXT[self.decision.scope]

    @property
    def do(self) -> list[str]:
        return [explain.ACTION_TEXT[a] for a in self.decision.actions]


@dataclass(frozen=True)
class Step:
    number: int
    slug: str
    title: str
    text: str
    situations: tuple[Situation, ...]
    # Actions the step is about (keys of policy.explain.ACTION_TEXT); each must be one
    # the engine prescribes for a situation of this procedure (a test checks).
    actions: tuple[str, ...] = ()
    extra: tuple[str, ...] = field(default=())  # e.g. the SALUTE list

    @property
    def action_texts(self) -> list[str]:
        return [explain.ACTION_TEXT[a] for a in self.actions]


def _s(slug, title, requester, category, document="none") -> Situation:
    return Situation(slug, title, Request(requester=requester, category=category, document=document))


SALUTE = (
    ("Size", "how many officers or agents, and how many vehicles."),
    ("Activity", "what they are doing: asking questions, waiting, searching, stopping people."),
    ("Location", "where, in the library's own names for its areas."),
    ("Unit", "uniforms, badges, patches, the agency named on them."),
    ("Time", "when you saw it, and when you are writing it down."),
    ("Equipment", "vehicles, radios, cameras, anything carried."),
)

STEPS: tuple[Step, ...] = (
    Step(
        1, "director", "Stay calm and say you must reach the director",
        "Whatever the officer asks, you need not answer on the spot. Staff do not decide: "
        "the director (or designee) does. Say so, then call. Decline, never deceive: if you "
        "will not answer, say \"I can't share that\"; never say anything false, and never "
        "pretend not to know or not to have seen someone (18 U.S.C. 1001).",
        (
            _s("asks-about-patron", "An officer asks about a patron (no document)", "law_enforcement", "registration"),
            _s("asks-if-here", "An immigration officer asks whether someone is, or was, in the library",
               "immigration_officer", "presence"),
        ),
        actions=("notify_director",),
    ),
    Step(
        2, "credentials", "Ask for credentials and the purpose of the visit",
        "Ask to see identification and note the name and badge number; ask why they are here "
        "and write down the answer. A business card helps. Badges can be checked by calling "
        "the agency's local office.",
        (),
        actions=("record_credentials", "ask_purpose"),
    ),
    Step(
        3, "documents", "Ask for any document, copy it, and tell which kind it is",
        "Ask for any document that authorizes what the officer wants, and copy every page. "
        "What happens next depends on who signed it: a judge, or an agency.",
        (
            _s("subpoena", "A subpoena (signed by an agency or a clerk, not a judge)",
               "law_enforcement", "circulation", "administrative_subpoena"),
            _s("ice-warrant", "An ICE warrant (Form I-200 or I-205), signed by an immigration officer: it "
               "goes to the director for review; ask where the response should be sent",
               "immigration_officer", "registration", "ice_administrative_warrant"),
            _s("judicial-warrant", "A search warrant or court order signed by a judge: ask them to wait "
               "for the director or counsel; if they refuse, step aside and note what is taken",
               "law_enforcement", "computer_use", "judicial_search_warrant"),
            _s("unknown-document", "A document you cannot place", "immigration_officer", "registration", "unknown"),
        ),
        actions=("copy_documents", "send_to_director_for_review", "do_not_participate", "inventory_production"),
    ),
    Step(
        4, "areas", "Public areas are open; non-public areas need a judge's warrant",
        "Officers may be in the public areas like anyone else. The library does not consent to "
        "their entering non-public areas; only an order or warrant signed by a judge allows it. "
        "Never block the way or touch an officer. If there is no judge's warrant, say once more, "
        "calmly, that the library does not consent, and write down where they go. If there is a "
        "judge's warrant and they will not wait, give the access it requires. Keep calling the "
        "director.",
        (
            _s("public-area", "An officer is in a public area", "immigration_officer", "area:public"),
            _s("non-public-no-warrant", "An officer wants to enter a staff-only area, with no warrant",
               "immigration_officer", "area:non_public"),
            _s("non-public-warrant", "An officer wants to enter a staff-only area, with a judge's warrant",
               "law_enforcement", "area:non_public", "judicial_search_warrant"),
        ),
        actions=("notify_director", "copy_documents"),
    ),
    Step(
        5, "interfere", "Never physically interfere",
        "Even if an officer seems to go beyond their authority, step aside. Keep documenting and "
        "keep trying to reach the director and counsel.",
        (_s("custody", "An officer demands custody of a person", "immigration_officer", "area:public",
            "ice_administrative_warrant"),),
        actions=("do_not_interfere", "do_not_participate"),
    ),
    Step(
        6, "document", "Write down what happened (SALUTE) and report",
        "As soon as you can, while it is fresh, write down what you saw and heard, with the date "
        "and time. Do not photograph patrons. Send the report to the director.",
        (),
        actions=("incident_report",),
        extra=tuple(f"{k}: {v}" for k, v in SALUTE),
    ),
)


def all_situations() -> list[Situation]:
    return [s for step in STEPS for s in step.situations]


# The desk card: the few situations staff meet most, in the order they meet them.
DESK_CARD = ("asks-about-patron", "public-area", "non-public-no-warrant", "subpoena", "ice-warrant",
             "judicial-warrant", "non-public-warrant")


def desk_card_situations() -> list[Situation]:
    by_slug = {s.slug: s for s in all_situations()}
    return [by_slug[slug] for slug in DESK_CARD]
