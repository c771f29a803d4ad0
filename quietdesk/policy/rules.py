"""The words of the policy engine: the sections decisions rest on, and what staff say.

Pure data. The scripts follow the seeds: the ICE protocol's practice responses
("I'm sorry, that information is protected by library policy and I cannot share
it"), Sonoma III.C.2 (notify the director, copy documents, ask the officer to wait),
and the research notes on subpoenas ("Thank you, I will give this to my director").
"""

# --- Basis: where each rule comes from ---------------------------------------

SCOPE = "Sonoma policy III.A"
STATISTICS = "Sonoma policy III.A (statistics excluded)"
CONFIDENTIAL = "Sonoma policy III.B.1"
DUTIES = "Sonoma policy III.B.1.a"
SELF = "Sonoma policy III.B.1.b"
WRITTEN = "Sonoma policy III.B.1.c"
JUDGE = "Sonoma policy III.B.1.d"
CHILD_UNDER_13 = "Sonoma policy III.B.2.a"
CHILD_13_17 = "Sonoma policy III.B.2.b"
OFFICERS = "Sonoma policy III.B.3"
PUBLIC_REQUEST = "Sonoma policy III.C.1"
NOTIFY = "Sonoma policy III.C.2"
CREDENTIALS = "Sonoma policy III.C.2.a"
DOCUMENTS = "Sonoma policy III.C.2.b"
NO_CONSENT = "Sonoma policy III.C.2.c"
JUDICIAL = "Sonoma policy III.C.2.d.i"
REVIEW = "Sonoma policy III.C.2.d.ii"
CUSTODY = "Sonoma policy III.C.2.e"
AREAS = "Sonoma policy III.C.2.f"
NO_INTERFERENCE = "Sonoma policy III.C.2.g"
INCIDENT = "Sonoma policy III.C.2.h"
COUNSEL = "Sonoma policy III.C.2.i"
ICE_SCRIPTS = "ICE protocol: Staff training and readiness"
ICE_IN_LIBRARY = "ICE protocol: ICE in the library"
ALA_PUBLIC_PLACE = "ALA Q&A 4"
ALA_STAFF = "ALA Q&A 12"
ALA_VENDORS = "ALA Q&A 22"  # vendors and contractors: agreements restrict use of patron data
ALA_SYSTEMS = "ALA Q&A 24"  # those whose jobs are not direct library service keep confidentiality
ALA_CAMERAS = "ALA Q&A 25"
ALA_RETRIEVAL = "ALA Q&A 26"
ALA_SURVEILLANCE = "ALA Q&A 27"
ALA_MINORS = "ALA Q&A 28"
LEGAL_DOCS = "Research: legal documents an officer may present"
ROUNDTABLE_ICE = (
    "Roundtable scenario 1"  # subpoenas to counsel; check a warrant's court, date, premises
)
NSL_GAG = "18 U.S.C. 2709(c)"

# --- Action bundles --------------------------------------------------------------

# III.C.2.a (credentials, purpose, director), III.C.2.g (never interfere), III.C.2.h.
OFFICER_ACTIONS = (
    "notify_director",
    "record_credentials",
    "ask_purpose",
    "do_not_interfere",
    "incident_report",
)
# III.C.2.e: the officer actions, a copy of the document, and no participation.
CUSTODY_ACTIONS = (*OFFICER_ACTIONS, "copy_documents", "do_not_participate")

# --- What staff say ------------------------------------------------------------

SAY = {
    "staff_duty": "Use only what this task needs; this access is logged.",
    "internal": (
        "That is one of the library's own confidential working records. I can't share it; "
        "the library director can explain the library's policy."
    ),
    "staff_area": "Staff may use non-public areas in the course of their work.",
    "contractor": (
        "Use only what your work for the library needs, under the library's agreement "
        "with you; this access is logged, and the records stay confidential."
    ),
    "contractor_area": (
        "Contractors working for the library may use non-public areas for that work, "
        "as the branch manager arranges."
    ),
    # A claimed emergency: the policy lists the grounds for disclosure (III.B.1.a-d) and an
    # emergency is not one of them. Nothing here tells staff to stand in an officer's way.
    "emergency": (
        "I'm sorry, the library's policy has no emergency exception: I cannot share patron "
        "information, even in an emergency. I am telling the library director now. "
        "The branch manager can explain our policy."
    ),
    "staff_emergency": (
        "The policy has no emergency exception: do not look up or share patron information "
        "because someone says it is an emergency. Tell the library director now."
    ),
    "officer_emergency": (
        "I am not able to give you that information without a court order or warrant signed "
        "by a judge; the library's policy has no emergency exception. I am contacting the "
        "library director now. May I note your name and badge number?"
    ),
    "non_public_emergency": (
        "This is a non-public area and the library does not consent to your entering it. "
        "I will not stand in your way. I am contacting the library director now."
    ),
    "staff_document": (
        "Records asked for under a legal document are searched for only under the "
        "director's direction. Please send the document to the director first."
    ),
    "self": "Here is what the library holds about you.",
    "camera": (
        "Camera recordings show other people too, so the library director reviews "
        "requests for them. I will pass your request on."
    ),
    "statistics": "These are counts that do not identify anyone; I can share them.",
    "authorized": (
        "I can show you the records the patron's written authorization covers, and only those."
    ),
    "authorization_needed": (
        "I can share a patron's records only with that patron or with someone they have "
        "authorized in writing. The branch manager can explain our policy."
    ),
    "authorization_unclear": (
        "I need to check what the patron's written authorization covers. "
        "The branch manager will help."
    ),
    "authorization_outside": (
        "The patron's written authorization does not cover that. "
        "The branch manager can explain our policy."
    ),
    "public": (
        "I'm sorry, that information is protected by library policy and I cannot share it. "
        "The branch manager can explain our policy."
    ),
    "vendor": (
        "Patron information goes to vendors only under the library's written agreement, "
        "never at the desk. I will pass your request to the library director."
    ),
    "child_all": "With your child's library card I can show you your child's library records.",
    "child_card_needed": (
        "I need your child's library card or card number first. "
        "The branch manager can explain our policy."
    ),
    "child_in_person": "I will ask the branch manager to help you with that.",
    "teen_fines": (
        "I can tell you whether anything on your child's account is overdue and how much is "
        "owed. I cannot share titles or anything else about their library use."
    ),
    "teen_other": (
        "For a child 13 or older I can only say whether items are overdue and what is owed; "
        "nothing else about their library use."
    ),
    "adult_child": (
        "Your child is an adult patron: I can share their records only with them or with "
        "their written authorization. The branch manager can explain our policy."
    ),
    "age_unknown": "I need to check the age on your child's account first; the branch manager will help.",
    "nonofficer_document": (
        "Thank you. I will pass this document to the library director for review; "
        "nothing can be handed over now."
    ),
    "officer_none": (
        "I am not able to give you that information. I need to contact the library director. "
        "May I note your name and badge number, and the purpose of your visit?"
    ),
    "officer_authorization": (
        "Thank you. I will send this authorization to the library director, who will verify it "
        "before anything is shared. I need to contact the director now."
    ),
    "officer_review": (
        "Thank you. I will send this to the library director for review; nothing can be "
        "handed over now. To whom should the response be sent?"
    ),
    "officer_judicial": (
        "May I make a copy of this? I am contacting the library director now. Once the director "
        "has seen it, the library will find and give you only the records it names; library "
        "staff do the searching."
    ),
    # A judge-signed document that has expired, comes from another state's court or names
    # another place (roundtable scenario 1: check the court, the date and the premises).
    "officer_judicial_doubtful": (
        "May I make a copy of this? I am contacting the library director now. This "
        "document may not apply here, so the director must review it before anything "
        "is handed over. Would you please wait until our director or the library's counsel "
        "is here?"
    ),
    # Said by no one at the desk: the production after a two-person decision that the law
    # compels an answer to a subpoena (III.C.2.i; ALA Q&A 26; roundtable scenario 1).
    "officer_compelled": (
        "The library provides only the records the subpoena names, as the law requires, "
        "on the decision of the library director and counsel."
    ),
    "officer_statistics": (
        "These are counts that do not identify anyone; I can share them. "
        "I am letting the library director know of your request."
    ),
    "custody": (
        "I am not able to give you any information or take part in this. "
        "I need to contact the library director."
    ),
    "custody_area:public": (
        "You may stay in the public areas, but I am not able to give you any information "
        "or take part in this. I need to contact the library director."
    ),
    "custody_area:non_public": (
        "This is a non-public area and the library does not consent to your entering it. "
        "I am not able to give you any information or take part in this. "
        "I will not stand in your way. I need to contact the library director."
    ),
    "officer_public_area": (
        "This is a public area, open to you like anyone else. "
        "I am letting the library director know you are here."
    ),
    "non_public_refused": (
        "This is a non-public area. The library does not consent to your entering it. "
        "Please wait here while I contact the director."
    ),
    "non_public_review": (
        "This is a non-public area. Please wait here while I contact the director, "
        "who will review this document."
    ),
    "non_public_judicial": (
        "May I make a copy of the warrant? I am contacting the library director now. "
        "Would you please wait here until I have direction?"
    ),
    "public_area": "This is a public area, open to everyone.",
    "non_public": "I'm sorry, this area is for staff only.",
    "vendor_area": "Please wait here; the branch manager will arrange access.",
}
