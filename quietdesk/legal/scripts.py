"""What staff say to an officer: the policy engine's words, completed by the rules every
officer script must keep. Pure: no Django. The desk guidance page, the staff guide, the
desk card and the drills all take an officer's script from ``script()``, so they say
the same thing.

The rules (each from a seed, cited in ``RULES``):

* Non-consent, both parts (Sonoma policy III.C.2.c): the library does not voluntarily
  consent to entry into its non-public areas, *or* to access to confidential information.
* A judge's warrant or order (Sonoma policy III.C.2.d.i: where reasonable, consult the
  director first; roundtable scenario 1: ask to have counsel present before the search
  begins): ask the officers to wait for the director or counsel. If they refuse, staff
  step aside, do not obstruct, and note what is searched and taken (III.C.2.g;
  roundtable scenario 1: "step aside and not ... interfere").
* A warrant signed by an immigration agent, Form I-200 or I-205 (Sonoma policy
  III.C.2.d.ii): it goes to the director for review, and staff ask the officer to whom
  the response should be sent. It also demands custody of a person, so staff give no
  information and take no part (III.C.2.e).
* Never deceive (18 U.S.C. 1001): decline to answer; never say anything false. The ICE
  protocol's stalling line ("I'm not sure if I've seen them") is not used:
  pretending not to know is a false statement when the worker does know, and a false
  statement to a federal officer is a crime. Declining is always lawful and always true.
  (The ICE protocol puts that line under "ICE in the library", as a way to delay and distract.)
"""

from __future__ import annotations

from quietdesk.policy import vocab

NON_CONSENT = (
    "The library does not voluntarily consent to entry into non-public areas or to access to "
    "confidential information."
)
NON_CONSENT_INFORMATION = (
    "Nor does the library voluntarily consent to access to any confidential information it keeps."
)
# Under a judge's warrant the library complies with what it requires; it consents to nothing more.
NON_CONSENT_JUDICIAL = (
    "The library does not voluntarily consent to entry into its non-public areas or to access "
    "to confidential information; it complies with what the warrant or order requires, and "
    "only that."
)
WAIT_FOR_DIRECTOR = (
    "Would you please wait until our director or the library's counsel is here, before "
    "anything is searched or produced?"
)
IMMIGRATION_WARRANT_REVIEW = (
    "I will send this warrant to the library director for review. To whom should the response be sent?"
)

# What staff do when officers will not wait (roundtable scenario 1; Sonoma III.C.2.g).
# An officer with a custody document who goes into a staff-only area anyway (Sonoma III.C.2.e, g).
STEP_ASIDE = (
    "If they go in anyway: step aside and do not obstruct them. Keep calling the director, and "
    "write down where they go."
)
IF_THEY_REFUSE = (
    "If they will not wait: step aside and do not obstruct them. Keep calling the director and "
    "counsel, and write down what they search and what they take."
)

NEVER_DECEIVE = (
    "Never say anything false to an officer. If you will not answer, say so: \"I can't share "
    "that.\" Do not pretend not to know, or not to have seen someone: a false statement to a "
    "federal officer is a crime (18 U.S.C. 1001), and declining to answer is always lawful."
)
WHY_NOT_STALL = (
    "The ICE protocol (\"ICE in the library\") suggests delaying officers with stalling lines such "
    "as \"I'm not sure if I've seen them\". quietdesk does not teach them: when you have seen the person, that "
    "sentence is false, and a false statement to a federal officer is a crime (18 U.S.C. 1001). "
    "Declining to answer protects the patron just as well and puts no one at risk."
)

RULES = {
    "non_consent": ("Sonoma policy III.C.2.c",),
    "wait": ("Sonoma policy III.C.2.d.i", "Roundtable scenario 1"),
    "if_they_refuse": ("Roundtable scenario 1", "Sonoma policy III.C.2.g"),
    "step_aside": ("Sonoma policy III.C.2.e", "Sonoma policy III.C.2.g"),
    "immigration_warrant": ("Sonoma policy III.C.2.d.ii", "Sonoma policy III.C.2.e"),
    "never_deceive": ("18 U.S.C. 1001", "ICE protocol: ICE in the library"),
}

# The documents signed by an immigration agent that III.C.2.d.ii sends to the director.
IMMIGRATION_AGENT_WARRANTS = frozenset({"ice_administrative_warrant"})


def _is_officer(requester: str) -> bool:
    return requester in vocab.OFFICERS or not requester


def script(say: str, *, requester: str, category: str, document: str, outcome: str) -> str:
    """The words staff say. For an officer (or someone not identified, decided as one), the
    engine's words with what the seeds require and the engine's words leave out."""
    if not _is_officer(requester):
        return say
    parts = [say.strip()]
    if document in IMMIGRATION_AGENT_WARRANTS:
        # The review names the director: it takes the place of "I need to contact the director".
        contact = "I need to contact the library director."
        if contact in parts[0]:
            parts[0] = parts[0].replace(contact, IMMIGRATION_WARRANT_REVIEW)
        else:
            parts.append(IMMIGRATION_WARRANT_REVIEW)
    judicial = document in vocab.JUDICIAL_DOCUMENTS
    if judicial and outcome == "allow" and category != "area:public" and "wait" not in say.lower():
        parts.append(WAIT_FOR_DIRECTOR)
    if "confidential information" not in say:
        if "does not consent to your entering" in say:  # the engine already says the first part
            parts.append(NON_CONSENT_INFORMATION)
        else:
            parts.append(NON_CONSENT_JUDICIAL if judicial and outcome == "allow" else NON_CONSENT)
    return " ".join(p for p in parts if p)


def after_script(*, requester: str, category: str, document: str, outcome: str) -> tuple[str, ...]:
    """What staff do after saying the script (shown under it). In a public area officers are
    not asked to wait (Sonoma III.C.2.f), so there is no "if they will not wait" line."""
    if not _is_officer(requester):
        return ()
    lines = []
    asked_to_wait = category != "area:public"
    if document in vocab.JUDICIAL_DOCUMENTS and outcome in ("allow", "refer") and asked_to_wait:
        lines.append(IF_THEY_REFUSE)
    if document in vocab.CUSTODY_DOCUMENTS and category == "area:non_public":
        lines.append(STEP_ASIDE)
    lines.append(NEVER_DECEIVE)
    return tuple(lines)
