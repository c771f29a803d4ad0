"""What the privacy audit must leave out: requests under a non-disclosure requirement.

A case under non-disclosure never appears in the audit: what that means is decided in
one place, ``legal.nondisclosure``. Only the legal app's aggregate band (national
security process, in bands of 250, half-yearly, after a delay) may be reported, and
the audit reports it exactly as ``legal.transparency`` computes it.
"""

from __future__ import annotations

from quietdesk.legal.nondisclosure import Secret, load

__all__ = ["Secret", "load", "transparency_band"]


def transparency_band() -> dict | None:
    """The last finished half-year's band for requests under non-disclosure, once it may be shown."""
    from quietdesk.legal import transparency

    period = transparency.finished_periods(count=1)[0]
    report = transparency.report(period)
    if report["band"] is None:
        return {"period": period.label, "band": None, "ready_on": report["band_ready_on"].isoformat()}
    return {"period": period.label, "band": report["band"], "ready_on": None}
