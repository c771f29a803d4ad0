"""What the privacy audit must leave out: requests under a non-disclosure requirement.

A case under non-disclosure (``legal.Case.nondisclosure``) never appears in the
audit: not its pseudonym, not its access-log entries, not the legal hold placed
when records were produced for it (whose reference is the case's pseudonym), not
the log entries that name that hold. Only the legal app's aggregate band (national
security process, in bands of 250, half-yearly, after a delay) may be reported,
and the audit reports it exactly as ``legal.transparency`` computes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Secret:
    case_pseudonyms: frozenset[str] = frozenset()
    hold_ids: frozenset = frozenset()
    hold_labels: frozenset[str] = field(default_factory=frozenset)

    @property
    def markers(self) -> list[str]:
        """Strings whose presence in an access-log entry's basis hides the entry."""
        return sorted(self.case_pseudonyms | self.hold_labels)

    def sql_exclusion(self, subject_col: str = "subject", basis_col: str = "basis") -> tuple[str, list]:
        """`` AND ...`` that keeps such entries out of an access-log query (constant column names)."""
        # Entries the legal app marks as belonging to a non-disclosure case ("nd-").
        sql, params = " AND action NOT LIKE %s AND basis NOT LIKE %s", ["nd-%", "nd-%"]
        if self.case_pseudonyms:
            marks = ", ".join(["%s"] * len(self.case_pseudonyms))
            sql += f" AND {subject_col} NOT IN ({marks})"
            params += sorted(self.case_pseudonyms)
        for marker in self.markers:
            sql += f" AND {basis_col} NOT LIKE %s"
            params.append(f"%{marker}%")
        return sql, params


def load() -> Secret:
    from quietdesk.legal.models import Case
    from quietdesk.retention.models import LegalHold

    pseudonyms = frozenset(Case.objects.filter(nondisclosure=True).values_list("pseudonym", flat=True))
    holds = [h for h in LegalHold.objects.filter(reference__in=pseudonyms)] if pseudonyms else []
    return Secret(pseudonyms, frozenset(h.id for h in holds), frozenset(h.label for h in holds))


def transparency_band() -> dict | None:
    """The last finished half-year's band for requests under non-disclosure, once it may be shown."""
    from quietdesk.legal import transparency

    period = transparency.finished_periods(count=1)[0]
    report = transparency.report(period)
    if report["band"] is None:
        return {"period": period.label, "band": None, "ready_on": report["band_ready_on"].isoformat()}
    return {"period": period.label, "band": report["band"], "ready_on": None}
