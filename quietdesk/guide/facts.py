"""What the patron pages say about who may see what, derived from the policy engine.

Each statement is paired with the ``Request`` it describes and the decision it is
true for (outcome, scope). The page shows a statement only when ``decide()``
still gives that decision; if the policy changes, the sentence goes and a
neutral one replaces it (and a test fails, so someone rewrites the sentence).
The patron pages and the software therefore never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from quietdesk.policy import vocab
from quietdesk.policy.engine import Request, decide

# Labels for the categories of records (vocab.CATEGORIES), as patrons know them.
CATEGORY_LABELS = {
    "registration": _("Your registration: your name, card number and one way to reach you"),
    "circulation": _("What you borrow and return"),
    "holds": _("Items you place on hold"),
    "programs": _("Programs and events you sign up for or attend"),
    "computer_use": _("Your use of public computers and Wi-Fi"),
    "camera": _("Security camera recordings"),
    "database_search": _("Searches in the library's online databases"),
    "reference": _("Questions you ask library staff"),
    "ill": _("Items borrowed for you from other libraries"),
    "presence": _("Whether you are, or were, in the library"),
}

# Records the library holds (presence is protected, but it is not a record).
HELD = tuple(c for c in vocab.CATEGORIES if c in vocab.PATRON_RECORDS and c != "presence")


@dataclass(frozen=True)
class Fact:
    key: str
    request: Request
    when: tuple[str, str]  # (outcome, scope) the text is true for
    text: object  # lazy translation
    # Further (request, decision) pairs the text also promises, all of which must still hold.
    also: tuple[tuple[Request, tuple[str, str]], ...] = ()

    def holds(self) -> bool:
        for request, when in ((self.request, self.when), *self.also):
            decision = decide(request)
            if (decision.outcome, decision.scope) != when:
                return False
        return True


def _r(requester, category="circulation", document="none", **kw) -> Request:
    return Request(requester=requester, category=category, document=document, **kw)


WHO_CAN_SEE = (
    Fact("self", _r("patron_self"), ("allow", "all"),
         _("You. You can see the records the library holds about you.")),
    Fact("staff", _r("staff"), ("allow", "duty_minimum"),
         _("Library staff, and only what the task at hand needs. Each time staff open your record, "
           "it is written in an access log.")),
    Fact("authorized", _r("authorized_third_party", document="written_authorization",
                          authorized_categories=frozenset({"circulation"})), ("allow", "authorized_scope"),
         _("Someone you authorize in writing, and only for what you name.")),
    Fact("child", _r("parent_guardian", age=10, child_card=True), ("allow", "all"),
         _("For a child under 13: a parent or guardian who brings the child's library card or card number.")),
    Fact("teen", _r("parent_guardian", age=15, child_card=True), ("allow", "overdue_and_fines"),
         _("For a young person aged 13 to 17: a parent or guardian with the card learns only whether "
           "items are overdue and what is owed, never titles.")),
    # Sonoma policy III.B.3 and III.C.2.i; ALA Q&A 26: the judge's document, or a subpoena the
    # director and counsel conclude the law compels the library to answer (legal.subpoena).
    Fact("officer", _r("immigration_officer"), ("deny", "none"),
         _("The library gives records to police or immigration officers only when an order or warrant "
           "signed by a judge requires it, or when the library director and the library's lawyer conclude "
           "that the law compels it to answer a subpoena; and then only what the document names."),
         also=((_r("law_enforcement", document="judicial_search_warrant"), ("allow", "face_of_document")),
               (_r("law_enforcement", document="administrative_subpoena"), ("refer", "none")),
               (_r("law_enforcement", document="administrative_subpoena", compelled=True),
                ("allow", "face_of_document")))),
    Fact("subpoena", _r("law_enforcement", document="administrative_subpoena"), ("refer", "none"),
         _("A subpoena is never answered at the desk: the library director and the library's lawyer "
           "review it first.")),
    Fact("custody", _r("immigration_officer", "registration", "ice_administrative_warrant"), ("deny", "none"),
         _("An immigration warrant signed by an immigration officer (not a judge), or a Notice to Appear, "
           "gets no information and no help from the library.")),
    Fact("judge", _r("law_enforcement", document="judicial_search_warrant"), ("allow", "face_of_document"),
         _("With an order or warrant signed by a judge, the library gives only what the document names, "
           "and the library asks to find it itself, so that no one sees other patrons' records.")),
    Fact("others", _r("public", "presence"), ("deny", "none"),
         _("Anyone else, family and friends included (except a parent or guardian as described above): "
           "nothing, not even whether you were here.")),
)

AREAS = (
    Fact("public_area", _r("immigration_officer", "area:public"), ("allow", "none"),
         _("Officers may enter the library's public areas, like anyone else.")),
    Fact("non_public_area", _r("immigration_officer", "area:non_public"), ("deny", "none"),
         _("The library does not agree to officers entering staff-only areas without a warrant signed by a "
           "judge.")),
    Fact("no_participation", _r("immigration_officer", "area:public", "ice_administrative_warrant"),
         ("deny", "none"),
         _("Library staff do not help find, hold or detain anyone.")),
)

FALLBACK = _("Ask the library director how the library handles this.")


def statements(facts) -> list[str | Promise]:
    """The facts that hold under the current policy, with a neutral sentence for any that no longer do."""
    out = []
    for fact in facts:
        text = fact.text if fact.holds() else FALLBACK
        if text not in out:
            out.append(text)
    return out


def own_records() -> tuple[list[str | Promise], list[str | Promise]]:
    """Categories a patron sees at once, and those that need the director's review (decided by the engine)."""
    now: list[str | Promise] = []
    reviewed: list[str | Promise] = []
    for category in HELD:
        decision = decide(Request(requester="patron_self", category=category))
        if decision.outcome == "allow" and decision.scope == "all":
            now.append(CATEGORY_LABELS[category])
        else:
            reviewed.append(CATEGORY_LABELS[category])
    return now, reviewed
