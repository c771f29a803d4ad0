"""The access log's vocabulary: every event it may record, and how long each kind is kept.

``service.append`` takes only an ``Event``; a free-text action cannot reach the log.
Each event belongs to one retention class (``Keep``), whose period is set in the
retention schedule's ``[access_log]`` section:

* ``ROUTINE``: the desk's and the self-check machines' everyday steps (a checkout, a
  return, a card scanned to lend a book). They are not views of a record, so they are
  never written per patron: ``service.count_routine`` adds one to a daily count per
  member of staff or machine, and the finished day's counts enter the log as one
  ``routine_summary`` entry each (misuse detection needs "who did how much on which
  day", not "whom").
* ``VIEW``: a member of staff looked at, searched for or changed someone's record
  (ALA Q&A 7: who viewed the record, when and why). Named by a sealed reference
  only the subject's own key can match.
* ``DISCLOSURE``: a record left the library's hands (a production, an export, a view
  by a parent or an authorized third party). Kept longer.
* ``CASE``: the life of a request for patron information; kept while the case is open
  or a legal hold names it.
* ``ADMIN``: staff accounts, keys, schedules, purges, restores and the log's own upkeep.
"""

from __future__ import annotations

from enum import StrEnum


class Keep(StrEnum):
    ROUTINE = "routine"
    VIEW = "view"
    DISCLOSURE = "disclosure"
    CASE = "case"
    ADMIN = "admin"


class Event(StrEnum):
    # --- routine (counted per day, never per patron) -----------------------
    CHECKOUT = "checkout"
    RETURN = "return"
    RENEW = "renew"
    PAY_FINE = "pay_fine"
    PLACE_HOLD = "place_hold"
    CANCEL_HOLD = "cancel_hold"
    CARD_LOOKUP = "card_lookup"
    DESK_ACCOUNT = "desk_account"  # the desk shows a patron's loans to lend or take back
    PREFERENCES = "preferences"
    ERASE_HISTORY = "erase_history"
    COMPUTER_SESSION = "computer_session"
    COMPUTER_SESSION_END = "computer_session_end"
    PROGRAM_REGISTER = "program_register"
    PROGRAM_UNREGISTER = "program_unregister"
    PROGRAM_ATTENDANCE = "program_attendance"
    ILL_REQUEST = "ill_request"
    ILL_ARRIVED = "ill_arrived"
    ILL_CLOSE = "ill_close"
    SELF_ACCESS = "self_access"  # a patron reading their own record
    BROADCAST_READ = "broadcast_read"  # a member's address read to send them an alert
    ALERT_ACK = "alert_ack"

    # --- views of a record --------------------------------------------------
    VIEW = "view"
    SEARCH = "search"
    REGISTER = "register"
    EDIT = "edit"
    SHRED = "shred"
    PIN_CHANGE = "pin_change"
    AUTHORIZATION = "authorization"
    REFERENCE_NOTE = "reference_note"
    NETWORK_CHANGE = "network_change"
    AUDIT_SCAN = "audit_scan"
    ACCESS_HISTORY = "access_history"  # who viewed this record (ALA Q&A 7)
    EXPIRY_NOTICE = "expiry_notice"  # a patron's email read to tell them their unused account will close

    # --- disclosures ----------------------------------------------------------
    EXPORT = "export"
    PRODUCE = "produce"
    PARENT_VIEW = "parent_view"
    THIRD_PARTY_VIEW = "third_party_view"
    KOHA_PRODUCTION_READ = "koha_production_read"

    # --- cases ----------------------------------------------------------------
    CASE_OPEN = "case_open"
    CASE_NOTICE = "case_notice"
    CASE_NOTE = "case_note"
    CASE_DOCUMENT = "case_document"
    CASE_STATE = "case_state"
    CASE_DECIDE = "case_decide"
    CASE_CLOSE = "case_close"
    CASE_UPDATE = "case_update"
    CASE_VIEW = "case_view"
    PRODUCTION_SCOPE = "production_scope"
    PRODUCTION = "production"
    PACKAGE_DOWNLOAD = "package_download"
    INCIDENT_REPORT = "incident_report"
    LEGAL_HOLD = "legal_hold"
    LEGAL_HOLD_RELEASE = "legal_hold_release"
    SUBPOENA_PROPOSE = "subpoena_propose"  # the director records a decision on a subpoena, with counsel
    SUBPOENA_CONFIRM = "subpoena_confirm"  # a second person confirms it: only then does it count
    STAFF_NOTICE = "staff_notice"  # a staff member concerned was told, or given their copy
    CASE_REMINDER = "case_reminder"  # a deadline reminder emailed to the director

    # --- rapid response ---------------------------------------------------------
    ALERT_REPORT = "alert_report"
    ALERT_URGENT = "alert_urgent"
    ALERT_DECIDE = "alert_decide"
    ALERT_FOLLOW_UP = "alert_follow_up"
    ALERT_ESCALATE = "alert_escalate"
    ALERT_PURGE = "alert_purge"
    NETWORK_FORWARD = "network_forward"  # a verified report sent to the organizing group's network
    NETWORK_INBOUND = "network_inbound"  # a library's report received by the network's own instance

    # --- administration -----------------------------------------------------------
    STAFF_ACCOUNT = "staff_account"
    STAFF_SIGN_IN_LIMIT = "staff_sign_in_limit"
    SELF_SIGNIN_LIMIT = "self_signin_limit"
    SELFCHECK_MACHINE = "selfcheck_machine"
    GUIDE_CHANGE = "guide_change"
    DRILL_COMPLETED = "drill_completed"
    VENDOR_REGISTER = "vendor_register"
    CAMERA_REGISTER = "camera_register"
    PROGRAM_CREATE = "program_create"
    STATISTICS = "statistics"
    PRIVACY_AUDIT = "privacy_audit"
    PURGE = "purge"
    IMPORT = "import"
    KOHA_EXPOSURE = "koha_exposure"
    KOHA_ENFORCE = "koha_enforce"
    RESTORE = "restore"
    SHRED_REPLAY = "shred_replay"
    REGISTRATION_EXPIRY = "registration_expiry"
    ROUTINE_SUMMARY = "routine_summary"
    LOG_PRUNE = "log_prune"
    LOG_FORMAT = "log_format"

    @property
    def keep(self) -> Keep:
        return _KEEP.get(self, Keep.ADMIN)

    @property
    def routine(self) -> bool:
        return self.keep is Keep.ROUTINE


_ROUTINE = {
    Event.CHECKOUT, Event.RETURN, Event.RENEW, Event.PAY_FINE, Event.PLACE_HOLD, Event.CANCEL_HOLD,
    Event.CARD_LOOKUP, Event.DESK_ACCOUNT, Event.PREFERENCES, Event.ERASE_HISTORY, Event.COMPUTER_SESSION,
    Event.COMPUTER_SESSION_END, Event.PROGRAM_REGISTER, Event.PROGRAM_UNREGISTER, Event.PROGRAM_ATTENDANCE,
    Event.ILL_REQUEST, Event.ILL_ARRIVED, Event.ILL_CLOSE, Event.SELF_ACCESS, Event.BROADCAST_READ, Event.ALERT_ACK,
}
_VIEW = {
    Event.VIEW, Event.SEARCH, Event.REGISTER, Event.EDIT, Event.SHRED, Event.PIN_CHANGE, Event.AUTHORIZATION,
    Event.REFERENCE_NOTE, Event.NETWORK_CHANGE, Event.AUDIT_SCAN, Event.ACCESS_HISTORY, Event.EXPIRY_NOTICE,
}
_DISCLOSURE = {Event.EXPORT, Event.PRODUCE, Event.PARENT_VIEW, Event.THIRD_PARTY_VIEW, Event.KOHA_PRODUCTION_READ}
_CASE = {
    Event.CASE_OPEN, Event.CASE_NOTICE, Event.CASE_NOTE, Event.CASE_DOCUMENT, Event.CASE_STATE, Event.CASE_DECIDE,
    Event.CASE_CLOSE, Event.CASE_UPDATE, Event.CASE_VIEW, Event.PRODUCTION_SCOPE, Event.PRODUCTION,
    Event.PACKAGE_DOWNLOAD, Event.INCIDENT_REPORT, Event.LEGAL_HOLD, Event.LEGAL_HOLD_RELEASE,
    Event.SUBPOENA_PROPOSE, Event.SUBPOENA_CONFIRM, Event.STAFF_NOTICE, Event.CASE_REMINDER,
}
_KEEP: dict[Event, Keep] = (
    dict.fromkeys(_ROUTINE, Keep.ROUTINE) | dict.fromkeys(_VIEW, Keep.VIEW)
    | dict.fromkeys(_DISCLOSURE, Keep.DISCLOSURE) | dict.fromkeys(_CASE, Keep.CASE)
)

# Disclosures are the events after which a checkpoint is signed at once, so that a
# later restore or truncation that would hide one is caught (docs/architecture.md).
DISCLOSURES = frozenset(_DISCLOSURE | {Event.PRODUCTION})


# Marks a read of a patron whose home branch is not the reader's (misuse detection;
# the log itself cannot be joined to patrons).
OTHER_BRANCH = "[other branch]"


def by_keep(keep: Keep) -> frozenset[Event]:
    return frozenset(e for e in Event if e.keep is keep)
