"""The policy engine's vocabulary: every word a request or a decision may contain.

Tuples keep the order of the issue text; the frozensets group words for the rules.
The document words are the ones the document reader produces.
"""

REQUESTERS = (
    "staff",
    "patron_self",
    "authorized_third_party",
    "parent_guardian",
    "law_enforcement",
    "immigration_officer",
    "public",
    "vendor",  # a company asking for patron information
    "contractor",  # someone doing the library's own work under contract (Sonoma III.B.1.a)
)

CATEGORIES = (
    "registration",
    "circulation",
    "holds",
    "programs",
    "computer_use",
    "camera",
    "database_search",
    "reference",
    "ill",
    "presence",  # whether a person is or was in the building
    "statistics",  # aggregate, non-identifying
    "network_member",  # a rapid-response network member's contact (the network's own record)
    "case_file",  # a request's case file: officers' names, documents, decisions
    "area:public",
    "area:non_public",
)

DOCUMENTS = (
    "none",
    "written_authorization",
    "judicial_search_warrant",
    "judicial_arrest_warrant",
    "court_order",
    "fisa_order",
    "national_security_letter",
    "grand_jury_subpoena",
    "court_subpoena",  # issued by a court clerk or an attorney in a court case; no judge
    "administrative_subpoena",  # agency subpoenas and summonses (DHS I-138, DEA, CBP, IRS)
    "ice_administrative_warrant",
    "immigration_detainer",  # DHS Form I-247A, addressed to jails
    "notice_to_appear",
    # No document: someone says it is an emergency. The policy lists the only grounds for
    # disclosure (Sonoma III.B.1.a-d) and no emergency among them; the claim adds nothing.
    "emergency_claim",
    "unknown",
)

# What the document reader can tell about a judge-signed document's validity here; each
# is True, False or None (not known). Any True: not "comply now" (Request fields).
VALIDITY_FACTS = ("expired", "out_of_state", "other_premises")

OUTCOMES = ("allow", "deny", "refer")

SCOPES = (
    "all",
    "face_of_document",
    "authorized_scope",
    "overdue_and_fines",
    "aggregate_only",
    "duty_minimum",
    "none",
)

ACTIONS = (
    "notify_director",
    "refer_branch_manager",
    "record_credentials",
    "ask_purpose",
    "copy_documents",
    "send_to_director_for_review",
    "consult_counsel",
    "legal_hold",
    "inventory_production",
    "nondisclosure",
    "do_not_participate",
    "do_not_interfere",
    "incident_report",
    "log_access",
)

# --- Groups ---------------------------------------------------------------

OFFICERS = frozenset({"law_enforcement", "immigration_officer"})

AREAS = frozenset({"area:public", "area:non_public"})

# Sonoma III.A lists what is confidential: registration, circulation, programs,
# computer use, video and photographs, database searches, reference interviews,
# interlibrary loan. Holds are circulation records (II.B). Presence ("is she here?",
# "was he here on Tuesday?") is not a record, but the policy is silent and the ALA
# Q&A 27 notes that some state laws protect "any information that identifies a person
# as having used a library"; the ICE protocol ("Staff training and readiness") asks
# the same question. We treat presence as patron information: the cautious reading.
# Records quietdesk keeps for its own work, not about anyone's library use: only
# staff within their duties read them (III.B.1.a), and no one outside is served them.
INTERNAL_RECORDS = frozenset({"network_member", "case_file"})
PATRON_RECORDS = frozenset(CATEGORIES) - AREAS - {"statistics"} - INTERNAL_RECORDS
# What someone at the desk can ask for (the library's working records are not asked for).
ASKABLE = tuple(c for c in CATEGORIES if c not in INTERNAL_RECORDS)

# Judge-signed and able to compel records (Sonoma III.B.1.d, III.B.3, III.C.2.d.i):
# * judicial_search_warrant: judge or magistrate signs (AO 93; Cal. Penal Code 1523).
# * court_order: a judge signs ("IT IS HEREBY ORDERED").
# * fisa_order: a FISC judge signs (50 U.S.C. 1861). Sonoma III.C.2.d.i treats a USA
#   PATRIOT Act warrant as judicial and adds non-disclosure. (Section 215 lapsed on
#   15 March 2020, so a later-dated one is a red flag: counsel is always consulted.)
# Deliberately NOT judicial (research/legal-documents.md):
# * grand_jury_subpoena: issued by the clerk under the court's caption; no judge
#   reviews it (AO 110). A subpoena is an "other written request" (III.C.2.d.ii).
# * national_security_letter: signed by an FBI official, no judge (18 U.S.C. 2709).
# * judicial_arrest_warrant: signed by a judge but demands a person, not records;
#   it is a custody document (III.C.2.e).
JUDICIAL_DOCUMENTS = frozenset({"judicial_search_warrant", "court_order", "fisa_order"})

# Documents demanding custody of a person (Sonoma III.C.2.e names "an Arrest Warrant
# or a Notice to Appear"). ICE I-200 / I-205 are administrative arrest and removal
# warrants signed by an immigration officer: custody documents, not judicial ones. An
# immigration detainer (I-247A) asks a jail to hold a person (research/legal-documents.md):
# it asks nothing of a library, and under III.C.2.e staff give no information and take
# no part in holding anyone.
CUSTODY_DOCUMENTS = frozenset(
    {
        "judicial_arrest_warrant",
        "ice_administrative_warrant",
        "immigration_detainer",
        "notice_to_appear",
    }
)

# Written requests that are not judge-signed: they go to the director (III.C.2.d.ii).
# A court subpoena is issued by a clerk or an attorney, not signed by a judge: it needs
# no immediate response, counsel reviews it and may challenge it or seek a protective
# order (roundtable scenario 1), and it is complied with only if counsel finds it valid
# (ALA Q&A 26). Never at the desk.
REVIEW_DOCUMENTS = frozenset(
    {"grand_jury_subpoena", "court_subpoena", "administrative_subpoena", "national_security_letter"}
)

# Subpoenas: grand jury, court (issued by a clerk or an attorney) and administrative ones.
# None is signed by a judge, so none is answered at the desk (III.C.2.d.ii). The director
# and counsel decide whether the law compels an answer (III.C.2.i; roundtable scenario 1;
# ALA Q&A 26), and only a two-person decision that it does lets the engine allow one
# (``Request.compelled``). A kind joins here by being in DOCUMENTS.
SUBPOENA_DOCUMENTS = frozenset(
    {"grand_jury_subpoena", "court_subpoena", "administrative_subpoena"}
) & frozenset(DOCUMENTS)

# Documents that carry their own secrecy: the USA PATRIOT Act / FISA order (Sonoma
# III.C.2.d.i) and the NSL's statutory gag (18 U.S.C. 2709(c)). A court order may
# carry a sealing order too (18 U.S.C. 2705(b)); only counsel can tell, so it is not
# assumed.
NONDISCLOSURE_DOCUMENTS = frozenset({"fisa_order", "national_security_letter"})

# Legal process of any kind (everything but none, a patron's written authorization and a
# spoken claim of an emergency, which is no document at all).
LEGAL_DOCUMENTS = frozenset(DOCUMENTS) - {"none", "written_authorization", "emergency_claim"}

# Who works for the library: staff, and contractors doing the library's business
# (Sonoma III.B.1.a: "a person acting within the scope of his/her duties in conducting
# the business of the Library, including but not limited to Library staff and officials").
LIBRARY_WORKERS = frozenset({"staff", "contractor"})

# Records that demand production and should be preserved while reviewed (ALA Q&A 25:
# "identifying relevant records and preserving those records until a court order is
# served"). Not "unknown": the director reads it first.
PRESERVE_DOCUMENTS = JUDICIAL_DOCUMENTS | REVIEW_DOCUMENTS

# Ages: under 13 a parent with the card sees the records; 13 through 17, only
# overdue items and what is owed (Sonoma III.B.2.a, III.B.2.b).
CHILD_AGE_LIMIT = 13
ADULT_AGE = 18
MAX_AGE = 150

KINDS = {"requester": REQUESTERS, "category": CATEGORIES, "document": DOCUMENTS}
