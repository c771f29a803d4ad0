"""The policy's vocabulary in plain words, for a member of staff under stress.

Labels that the public transparency report shows are marked with ``gettext_noop``:
still plain strings here, translated where the patron pages show them.
"""

from django.utils.translation import gettext_noop

# Record categories in a few words live with the policy's vocabulary (retention prints them too).
from quietdesk.policy.labels import CATEGORY_SHORT, categories, category  # noqa: F401

REQUESTER = {
    "immigration_officer": "An immigration officer (ICE, CBP, HSI, DHS)",
    "law_enforcement": "Police, sheriff, FBI or another law enforcement officer",
    "public": "A member of the public",
    "parent_guardian": "A parent or guardian asking about a child",
    "authorized_third_party": "Someone saying the patron gave written permission",
    "vendor": "A vendor (a company asking for patron information)",
    "contractor": "A contractor doing work for the library",
    "staff": "Library staff",
    "patron_self": "The patron, about themselves",
}
# The desk offers these (the last two are not "someone asking").
DESK_REQUESTERS = (
    "immigration_officer", "law_enforcement", "public", "parent_guardian",
    "authorized_third_party", "vendor", "contractor",
)
REQUESTER_SHORT = {
    "immigration_officer": gettext_noop("Immigration officers"),
    "law_enforcement": gettext_noop("Law enforcement"),
    "public": gettext_noop("Members of the public"),
    "parent_guardian": gettext_noop("Parents and guardians"),
    "authorized_third_party": gettext_noop("People with written authorization"),
    "vendor": gettext_noop("Vendors"),
    "contractor": gettext_noop("Contractors working for the library"),
    "staff": gettext_noop("Staff"),
    "patron_self": gettext_noop("Patrons"),
    "": gettext_noop("Not recorded"),
}

CATEGORY = {
    "registration": "Who a patron is or how to reach them (name, address, phone, card)",
    "presence": "Whether someone is here, or was here",
    "circulation": "What someone borrowed",
    "holds": "What someone has on hold or requested",
    "programs": "Programs or events someone attended",
    "computer_use": "Computer or wifi use",
    "camera": "Camera recordings",
    "database_search": "Database or catalog searches",
    "reference": "Questions someone asked staff",
    "ill": "Interlibrary loans",
    "statistics": "Only counts or statistics (no one identified)",
    "area:public": "To be in, or look around, public areas",
    "area:non_public": "To enter staff-only areas",
}

DOCUMENT = {
    "none": gettext_noop("No document"),
    "ice_administrative_warrant": gettext_noop("ICE warrant signed by an immigration officer (I-200, I-205)"),
    "administrative_subpoena": gettext_noop("Administrative subpoena (agency-signed, e.g. ICE I-138)"),
    "grand_jury_subpoena": gettext_noop("Grand jury subpoena"),
    "court_subpoena": gettext_noop("Subpoena in a court case, issued by a clerk or an attorney (no judge signed it)"),
    "immigration_detainer": gettext_noop("Immigration detainer (I-247A), addressed to a jail"),
    "judicial_search_warrant": gettext_noop("Search warrant signed by a judge"),
    "court_order": gettext_noop("Court order signed by a judge"),
    "judicial_arrest_warrant": gettext_noop("Arrest warrant (for a person)"),
    "notice_to_appear": gettext_noop("Notice to Appear (immigration court, I-862)"),
    "national_security_letter": gettext_noop("National Security Letter (FBI)"),
    "fisa_order": gettext_noop("FISA court order (\"Section 215\")"),
    "written_authorization": gettext_noop("The patron's written authorization"),
    "emergency_claim": gettext_noop("No document: they say it is an emergency"),
    "unknown": gettext_noop("A document, not sure what it is"),
}

OUTCOME_HEADLINE = {
    "deny": "No. Give no information.",
    "refer": "Not now. Nothing is handed over; this goes to the person in charge.",
    "allow": "Yes, but only within the limits below.",
}

STATE_HELP = {
    "open": "Received at the desk; the director has been told.",
    "with_director": "The director has it.",
    "with_counsel": "The director is consulting the library's counsel.",
    "decided": "The director has decided.",
    "produced": "The named records were produced.",
    "refused": "The request was refused.",
    "closed": "Closed.",
}

# Categories whose records are dated (a production's date range applies to them).
UNDATED = frozenset({"registration"})

# The fields a production's records carry, as a person reads them (the preview shows them).
FIELD = {
    "given_name": "First name", "family_name": "Last name", "card_number": "Card number", "email": "Email",
    "phone": "Phone", "address": "Postal address", "age_band": "Age band", "home_branch": "Home branch",
    "registered_on": "Date registered", "notes": "Note on the record", "date": "Date", "record": "Kind of record",
    "title": "Title", "barcode": "Item barcode", "due_on": "Due date", "returned_on": "Date returned",
    "fine_owed": "Fine owed", "status": "Status", "ready_on": "Date ready", "closed_on": "Date closed",
    "lender": "Lending library", "branch": "Branch", "station": "Computer", "starts_at": "Start time",
    "ends_at": "End time", "minutes": "Minutes",
}


# --- the same words, for what is printed or kept as a summary ----------------------
# Printed pages (production PDFs, the incident report, legal holds, the privacy audit)
# read these tables through the helpers below, never a code: issue 14 §5.


def field(key: str) -> str:
    """A produced record's column ("First name", not ``given_name``)."""
    return FIELD.get(key) or key.replace("_", " ").capitalize()


def requester(key: str) -> str:
    return REQUESTER.get(key, "Not recorded") if key else "Not recorded"


def document(key: str) -> str:
    return DOCUMENT.get(key) or (key.replace("_", " ").capitalize() if key else DOCUMENT["none"])


def request_summary(requester_key: str, category_key: str, document_key: str) -> str:
    """What was asked at the desk, in words (the case's first timeline entry)."""
    asked = CATEGORY_SHORT.get(category_key, "not recorded") if category_key else "not recorded"
    who = REQUESTER_SHORT.get(requester_key or "", "Not recorded")
    return f"Who asked: {who}. Asked for: {asked}. Document: {document(document_key)}."
