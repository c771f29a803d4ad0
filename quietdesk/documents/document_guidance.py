"""Plain words for the desk: what the document is, what it allows, what it does not,
what to say. Every answer ends with calling the director. Pure; no Django.

Sources: research/legal-documents.md (what each document allows), the Sonoma policy
III.C.2 (notify the director, copy documents, do not consent to non-public areas, do
not participate in serving or seizing a person) and the ICE protocol's practice lines.
Court subpoenas follow the roundtable's scenario 1 (a subpoena needs no immediate
response; counsel reviews it, and may challenge it or ask for a protective order) and
the ALA Q&A 26 (consult administration and counsel before complying). A judge's search
warrant: ask the officers to wait for the director or counsel (Sonoma III.C.2.d.i,
roundtable scenario 1); if they refuse, step aside, do not obstruct, and note what is
searched and taken. An ICE warrant (I-200, I-205) goes to the director for review, and
staff ask where the response should be sent (III.C.2.d.ii). Every script to an officer
says that the library does not voluntarily consent to entry into non-public areas or to
access to confidential information (III.C.2.c), and none says anything false: decline,
never deceive (18 U.S.C. 1001).
"""

from . import markers as mk
from .classification import Classification

NAMES = {
    mk.JS: "search warrant signed by a judge",
    mk.JA: "arrest warrant signed by a judge",
    mk.CO: "court order signed by a judge",
    mk.FI: "Foreign Intelligence Surveillance Court order",
    mk.NSL: "National Security Letter from the FBI",
    mk.GJ: "grand jury subpoena",
    mk.CS: "subpoena in a court case, issued by a clerk or an attorney",
    mk.AS: "administrative subpoena or summons",
    mk.ICE: "ICE administrative warrant",
    mk.DETAINER: "immigration detainer (Form I-247A), addressed to jails",
    mk.NTA: "Notice to Appear (immigration court)",
    mk.WA: "patron's written authorization",
    mk.UNKNOWN: "document the reader could not identify",
}

SHORT = {
    mk.JS: "search warrant",
    mk.JA: "arrest warrant",
    mk.CO: "court order",
    mk.FI: "FISC order",
    mk.NSL: "National Security Letter",
    mk.GJ: "grand jury subpoena",
    mk.CS: "court subpoena",
    mk.AS: "administrative subpoena",
    mk.ICE: "ICE administrative warrant",
    mk.DETAINER: "immigration detainer",
    mk.NTA: "Notice to Appear",
    mk.WA: "written authorization",
    mk.UNKNOWN: "unidentified document",
}


def a(kind: str) -> str:
    """'a search warrant', 'an ICE administrative warrant'."""
    name = SHORT.get(kind, kind)
    return f"{'an' if name[0] in 'AEIOUaeiou' else 'a'} {name}"


CALL_DIRECTOR = (
    "Call the library director now (or the designee on the after-hours list) and give "
    "them a copy of the document."
)

# Sonoma III.C.2.c, both parts: in every script said to an officer.
NO_CONSENT = (
    "The library does not voluntarily consent to entry into its non-public areas or to "
    "access to confidential information."
)

NOT_JUDGE_SAY = (
    f'Say: "Thank you. I will give this to my director. {NO_CONSENT}" Hand nothing over and '
    "do not open staff-only areas."
)

# Decline, never deceive (18 U.S.C. 1001); shown with every document.
NEVER_DECEIVE = (
    "Never say anything false to an officer: if you will not answer, say so. A false "
    "statement to a federal officer is a crime (18 U.S.C. 1001)."
)

_TEXT: dict[str, tuple[str, str, str, str]] = {
    # kind: (what it is, what it allows, what it does not allow, what to say / do)
    mk.JS: (
        "A search warrant signed by a judge or magistrate.",
        "It allows officers to search the place it names and take the items it lists, "
        "and only those.",
        "It does not allow searching other places or taking anything it does not list.",
        'Say: "I will not interfere. I am calling our director: would you please wait until '
        'our director or the library\'s counsel is here, before anything is searched or produced? The library '
        'does not voluntarily consent to entry into its non-public areas or to access to '
        'confidential information beyond what the warrant requires." If they '
        "will not wait, step aside and do not obstruct them; keep calling the director and "
        "counsel, and write down what they search and everything they take.",
    ),
    mk.JA: (
        "An arrest warrant signed by a judge or magistrate. It is about a person, not records.",
        "It allows officers to take the named person into custody.",
        "It does not allow searching staff areas or getting patron records, and staff do "
        "not have to help find anyone.",
        'Say: "I cannot give you any information about patrons. I will not interfere. '
        f'{NO_CONSENT}" Do not take part in finding or holding anyone.',
    ),
    mk.CO: (
        "A court order signed by a judge.",
        "It requires what is written on its face, usually particular records, and nothing more.",
        "It does not allow a search of the building or anything it does not name.",
        'Say: "Court orders go to our director and our lawyer. I am calling the director '
        'now. The library does not voluntarily consent to entry into its non-public areas or '
        'to access to confidential information beyond what the order requires." Hand over nothing yourself; the director decides what is produced.',
    ),
    mk.FI: (
        "An order of the Foreign Intelligence Surveillance Court (a real court, signed by "
        "its judge).",
        "It requires the records or things it names.",
        "It does not allow anything it does not name, and it does not stop the library "
        "from consulting its lawyer.",
        'Say: "I am calling our director. The library does not voluntarily consent to entry into '
        'its non-public areas or to access to confidential information beyond what the order '
        'requires." Do not discuss it with anyone outside the library\'s administration. Hand it to '
        "the director.",
    ),
    mk.NSL: (
        "A National Security Letter from the FBI. It is NOT signed by a judge.",
        "It demands certain records, but nothing has to be handed over at the desk.",
        "It does not allow a search, and it does not require anything on the spot.",
        f'Say: "Thank you. I will give this to my director. {NO_CONSENT}" Tell no one else '
        "about it; the law forbids disclosing it, except to the director and the library's lawyer.",
    ),
    mk.GJ: (
        "A grand jury subpoena. It is issued by a court clerk; no judge has reviewed it.",
        "It asks for records or testimony by its return date, not now.",
        "It does not allow a search or require anything on the spot. The library's "
        "lawyer can challenge it.",
        NOT_JUDGE_SAY,
    ),
    mk.AS: (
        "An administrative subpoena, signed by an agency official, NOT by a judge.",
        "It demands records or testimony, but it cannot be enforced until a judge orders it.",
        "It does not allow entering staff areas, searching, or taking anything.",
        NOT_JUDGE_SAY,
    ),
    mk.CS: (
        "A subpoena in a court case, issued by a court clerk or by an attorney. It is NOT "
        "signed by a judge.",
        "It asks for records or testimony by its return date, not now.",
        "It does not allow a search or require anything on the spot. The director and the "
        "library's lawyer decide the answer: they may comply with exactly what it names, "
        "negotiate, ask the court for a protective order, or move to quash it.",
        'Say: "Thank you. The library will respond within the time the subpoena allows; I '
        f'am giving it to my director. {NO_CONSENT}" Hand nothing over and do not open '
        "staff-only areas.",
    ),
    mk.DETAINER: (
        "An immigration detainer (Form I-247A): ICE asks a jail to hold a person it already "
        "has in custody, or to warn ICE before releasing them. It is signed by an "
        "immigration officer, NOT by a judge.",
        "It asks nothing of a library.",
        "It is not a warrant: it does not allow arresting anyone here, entering staff-only "
        "areas, searching, or getting patron records. The I-200 or I-205 it mentions does "
        "not change that.",
        'Say: "This is addressed to a jail. I cannot share information about patrons. I am '
        f'calling our director. {NO_CONSENT}" Do not take part in finding or holding anyone.',
    ),
    mk.ICE: (
        "An ICE administrative warrant (Form I-200 or I-205), signed by an immigration "
        "officer, NOT by a judge.",
        "It allows ICE to arrest the named person for civil immigration purposes.",
        "It does not allow entering staff-only areas, searching, or getting patron "
        "records, and staff do not have to help.",
        'Say: "This warrant is not signed by a judge, so I will send it to our director for '
        "review. To whom should the library's response be sent? I cannot give you any "
        f'information about anyone or take part in this. {NO_CONSENT}" Do not take part in '
        "finding or holding anyone.",
    ),
    mk.NTA: (
        "A Notice to Appear (Form I-862): it tells a person to go to immigration court. "
        "An immigration judge is not a court judge.",
        "It asks nothing of the library.",
        "It does not allow an arrest, a search, or getting patron records.",
        'Say: "This does not ask anything of the library. I am calling our director. '
        f'{NO_CONSENT}" Give no information about anyone.',
    ),
    mk.WA: (
        "A patron's written authorization to let someone see the patron's own records.",
        "It allows showing the named person only the records it covers.",
        "It does not cover other patrons or records it does not name; it is not a warrant.",
        "Check the signature and the person's ID against it. If anything is unclear, ask "
        "the branch manager.",
    ),
    mk.UNKNOWN: (
        "The reader could not tell what this document is.",
        "Treat it as NOT signed by a judge.",
        "Do not hand over records or open staff-only areas on the strength of it.",
        f'Say: "I need to give this to my director before I can do anything. {NO_CONSENT}"',
    ),
}


# Judge-signed documents that can require records or a search (vocab.JUDICIAL_DOCUMENTS).
_COMPELLING = frozenset({mk.JS, mk.CO, mk.FI})

# A judge-signed document that has expired, comes from another state's court or names
# another place may not apply here: not "comply now" but "call the director; do not
# produce" (Sonoma III.C.2.d.i: consult the director where reasonable; roundtable
# scenario 1: check the court, the date and the premises). Staff still never obstruct
# officers who go ahead (Sonoma III.C.2.g), and never say anything false (18 U.S.C. 1001).
DOUBTFUL_SAY = (
    'Say: "May I make a copy of this? This document may not apply here, so our director must '
    "review it before anything is handed over. I am calling the director now: would you please "
    "wait until our director or the library's counsel is here? The library does not voluntarily "
    'consent to entry into its non-public areas or to access to confidential information." Do not '
    "produce any records or open staff-only areas on the strength of it. If they will not wait, "
    "step aside and do not obstruct them; keep calling the director and counsel, and write down "
    "what they search and everything they take."
)


def doubtful(c: Classification) -> bool:
    """A judge-signed document that the reader found expired, out of state or naming another place."""
    return c.kind in _COMPELLING and any(
        getattr(c, fact, None) is True for fact in ("expired", "out_of_state", "names_other_premises"))


def build(c: Classification) -> list[str]:
    what, allows, does_not, say = _TEXT.get(c.kind, _TEXT[mk.UNKNOWN])
    lines = [what]
    if c.kind == mk.UNKNOWN and c.reason:
        lines.append(f"Why: {c.reason}")
    if c.issuer:
        lines.append(f"Issued by: {c.issuer}.")
    if c.signatory_title and c.kind != mk.UNKNOWN:
        lines.append(f"Signed by: {c.signatory_title}.")
    lines += [allows, does_not]
    if c.expired:
        due = c.dates.get("execute_by") or c.dates.get("return_date")
        lines.append(
            f"Its date ({due}) has passed, so it may no longer be valid. Tell the director."
        )
    if c.out_of_state:
        lines.append(
            "It comes from a court in another state; ask the director whether it is valid here."
        )
    if c.names_other_premises:
        lines.append(
            "The place it names is not one of the library's branches: it may not reach this "
            "library. Ask the director before anything is done under it."
        )
    if c.nondisclosure:
        lines.append(
            "It imposes secrecy: tell no one except the director and the library's lawyer."
        )
    if any(f["marker"] == "section_215_sunset" for f in c.findings):
        lines.append(
            "It is dated after the law it cites (Section 215) lapsed: a red flag for the lawyer."
        )
    lines.append(DOUBTFUL_SAY if doubtful(c) else say)
    if c.kind != mk.WA:
        lines.append(NEVER_DECEIVE)
    lines.append(CALL_DIRECTOR)
    return lines
