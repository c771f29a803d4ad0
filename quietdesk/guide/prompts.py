"""What happens next at the desk, and what to do when ICE succeeds.

Desk prompts (ICE protocol, "ICE in the library"; Sonoma policy III.C.2): call the
director, counsel and the hotline, file a SALUTE report, bring a second member of staff,
move officers away from patrons, and tell a patron already confronted of their rights.
The library words each one and records counsel's approval; the desk shows a prompt only
when it is enabled and approved. A call prompt carries the numbers of the guide's
contacts of that kind, as tap-to-call links.

"When ICE succeeds" (the ICE protocol's section of that name): a follow-up checklist,
in the guide and offered when a case is closed after a detention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .models import Contact, DeskPrompt

K = DeskPrompt.Key

# key: (suggested wording, the sections it rests on, contact kinds to call)
DEFAULTS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    K.CALL_DIRECTOR: (
        "Call the director (or designee) now, even if quietdesk has emailed them.",
        ("Sonoma policy III.C.2", "Sonoma policy III.C.2.a"), (Contact.Kind.DIRECTOR, Contact.Kind.DESIGNEE)),
    K.CALL_COUNSEL: (
        "Call the library's counsel: a lawyer on site as soon as possible is what helps most.",
        ("Sonoma policy III.C.2.i", "ICE protocol: ICE in the library", "Roundtable scenario 1"),
        (Contact.Kind.COUNSEL,)),
    K.CALL_HOTLINE: (
        "Call the legal-aid or rapid-response hotline, so that a lawyer can reach anyone at risk.",
        ("ICE protocol: ICE in the library",), (Contact.Kind.HOTLINE, Contact.Kind.LEGAL_AID)),
    K.SALUTE: (
        "As soon as you can, file a SALUTE report: size, activity, location, unit, time, equipment. "
        "No photos or names of patrons.",
        ("ICE protocol: SALUTE", "Sonoma policy III.C.2.h"), ()),
    K.SECOND_STAFF: (
        "Ask another member of staff to join you at the desk, as a witness and to take notes.",
        ("ICE protocol: ICE in the library",), ()),
    K.MOVE_AWAY: (
        "Ask the officers, politely, to continue the conversation away from patrons, in a quiet corner "
        "of a public area. Never invite them into an office or any staff-only room: the library does "
        "not consent to their entering non-public areas. Never block or touch them.",
        ("ICE protocol: ICE in the library", "Sonoma policy III.C.2.c", "Sonoma policy III.C.2.f",
         "Sonoma policy III.C.2.g"), ()),
    K.PATRON_RIGHTS: (
        "If officers have already stopped a patron, you may tell the patron, calmly and truthfully: "
        "\"You have the right to remain silent, and the right to talk to a lawyer.\" Speaking up may "
        "have consequences for you; it is your choice. Do not physically intervene.",
        ("ICE protocol: ICE in the library",), ()),
}
ORDER = tuple(DEFAULTS)


@dataclass(frozen=True)
class Call:
    label: str
    name: str
    phone: str
    tel: str


@dataclass(frozen=True)
class Prompt:
    key: str
    text: str
    basis: tuple[str, ...]
    calls: tuple[Call, ...]


def tel(number: str) -> str:
    """A number as a tel: link wants it: digits, a leading + kept."""
    digits = re.sub(r"\D", "", number or "")
    return ("+" if (number or "").strip().startswith("+") else "") + digits


def _calls(kinds) -> tuple[Call, ...]:
    if not kinds:
        return ()
    rows = Contact.objects.filter(kind__in=kinds).exclude(phone="").order_by("order", "name")
    return tuple(Call(c.get_kind_display(), c.name, c.phone, tel(c.phone)) for c in rows)


def all_prompts() -> list[DeskPrompt]:
    """Every prompt, stored or (not yet saved) suggested, in the desk's order."""
    stored = {p.key: p for p in DeskPrompt.objects.all()}
    out = []
    for order, key in enumerate(ORDER, 1):
        out.append(stored.get(key) or DeskPrompt(key=key, text=DEFAULTS[key][0], order=order * 10))
    return sorted(out, key=lambda p: (p.order, ORDER.index(p.key)))


def desk_prompts() -> list[Prompt]:
    """The prompts the desk shows: enabled, and approved by counsel."""
    return [Prompt(p.key, p.text, DEFAULTS[p.key][1], _calls(DEFAULTS[p.key][2]))
            for p in all_prompts() if p.enabled and p.approved]


# --- When ICE succeeds ----------------------------------------------------------

WHEN_ICE_SUCCEEDS_BASIS = ("ICE protocol: When ICE Succeeds", "Sonoma policy III.B.1.a")
# Shown above the checklist: the protocol's funds and mutual aid are personal choices, not the library's.
WHEN_ICE_SUCCEEDS_NOTE = ("Funds, mutual aid and advocacy are things staff may choose to do in their own "
                          "time and in their own name, not with library funds or systems; the director "
                          "decides the library's own response.")
WHEN_ICE_SUCCEEDS = (
    ("Library records stay closed", "Never use library records to find or contact anyone: reach "
     "family only through the person, their lawyer or legal aid, and only with consent."),
    ("Take a moment", "It is all right to stop and regroup before the next step. Look after "
     "yourself and your colleagues (the guide's self-care page)."),
    ("Family, only with consent", "Work with the person's immediate family or community "
     "respectfully: they decide what is done and said. Never give officers or the press anything "
     "about them."),
    ("Legal defense funds", "Join an existing legal defense fund for the person, or help the family "
     "start one; pass on the legal-aid contacts in the guide."),
    ("Mutual aid", "Contribute to, or help set up, mutual aid for the person and their family "
     "(food, rent, childcare, transport to hearings)."),
    ("Press: one spokesperson", "Send every press question to the library's designated spokesperson. "
     "Staff do not speak to the press about the person or the case."),
    ("The institutional statement", "Ask the director for the library's public statement and what "
     "the library will do; the protocol asks institutions to respond, not stay silent."),
)
