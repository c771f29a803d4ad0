"""Requests under non-disclosure: the one place that says what must stay hidden.

A case under non-disclosure (``Case.nondisclosure``: a FISA order, a National Security
Letter, or a sealing order the director recorded) is for the director or designee only
(``Cap.DECIDE_CASES``). Everyone else, and the privacy audit, must not learn it exists:

* its access-log entries: those written while it was marked (``restricted = "nd"``)
  and those that name it (``case_ref``), written before it was marked;
* the legal holds placed for it (their ``reference`` is the case's pseudonym).

Both forms are here, for the ORM (``log_exclusion``, ``hold_ids``) and for the raw SQL
of the audit report (``Secret.sql_exclusion``). There is no fallback: if this module
cannot be imported, nothing that shows the log can be either.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from quietdesk.retention.models import LegalHold

from .models import Case

MARK = "nd"


def case_refs() -> frozenset[str]:
    return frozenset(Case.objects.filter(nondisclosure=True).values_list("pseudonym", flat=True))


def hold_ids() -> frozenset:
    """Legal holds placed for cases under non-disclosure."""
    refs = case_refs()
    if not refs:
        return frozenset()
    return frozenset(LegalHold.objects.filter(reference__in=refs).values_list("id", flat=True))


def log_exclusion() -> Q:
    """The access-log entries to leave out for anyone without DECIDE_CASES."""
    refs = case_refs()
    q = Q(restricted=MARK)
    return q | Q(case_ref__in=sorted(refs)) if refs else q


@dataclass(frozen=True)
class Secret:
    """What the privacy audit leaves out, loaded once per audit."""

    case_pseudonyms: frozenset[str] = frozenset()
    hold_ids: frozenset = frozenset()

    def sql_exclusion(self, prefix: str = "") -> tuple[str, list]:
        """`` AND ...`` keeping such entries out of an access-log query (``prefix``: a table alias and dot)."""
        sql, params = f" AND {prefix}restricted <> %s", [MARK]
        if self.case_pseudonyms:
            marks = ", ".join(["%s"] * len(self.case_pseudonyms))
            sql += f" AND {prefix}case_ref NOT IN ({marks})"
            params += sorted(self.case_pseudonyms)
        return sql, params


def load() -> Secret:
    refs = case_refs()
    return Secret(refs, hold_ids() if refs else frozenset())
