"""The transparency report: requests received by type and outcome, per half year.

* Only finished half-years are reported (a live count would announce each new request).
* A case under a non-disclosure requirement is never counted in the tables. The law
  lets a recipient report such requests only in aggregate bands: 50 U.S.C. 1874(a)(3)
  permits a semiannual report of all national security process received (national
  security letters and FISA orders, combined) in bands of 250 starting with 0-249.
  The band is shown for a half-year only once 180 days have passed since it ended (a
  cautious delay; 1874(b) sets delays for the finer-grained structures). Sealed or
  gagged court orders are folded into the same band: counsel may allow more. A FISA
  order or a National Security Letter is always in the band, whatever the case's flag
  says (and whatever document a production of the case names).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_noop

from quietdesk.policy import vocab

from . import words
from .models import Case, State, Verdict

BAND_WIDTH = 250
BAND_DELAY_DAYS = 180
OUTCOMES = (  # labels marked for the public report's translations (guide.views.public)
    ("produced", gettext_noop("Records produced")),
    ("refused", gettext_noop("Nothing disclosed")),
    ("pending", gettext_noop("Still under review")),
)
DOCUMENT_ORDER = (
    "none", "judicial_search_warrant", "court_order", "grand_jury_subpoena", "administrative_subpoena",
    "ice_administrative_warrant", "judicial_arrest_warrant", "notice_to_appear", "written_authorization",
    "unknown",
)


@dataclass(frozen=True)
class Period:
    year: int
    half: int

    @property
    def key(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)

    @property
    def label(self) -> str:
        return f"{'January to June' if self.half == 1 else 'July to December'} {self.year}"

    @classmethod
    def of(cls, day: datetime.date) -> Period:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, key: str) -> Period | None:
        try:
            year, half = key.split("-H")
            period = cls(int(year), int(half))
        except (ValueError, AttributeError):
            return None
        return period if half in ("1", "2") and 1900 < period.year < 3000 else None

    def previous(self) -> Period:
        return Period(self.year, 1) if self.half == 2 else Period(self.year - 1, 2)


def finished_periods(today: datetime.date | None = None, count: int = 6) -> list[Period]:
    today = today or timezone.localdate()
    out, period = [], Period.of(today).previous()
    for _ in range(count):
        out.append(period)
        period = period.previous()
    return out


def band(count: int, width: int = BAND_WIDTH) -> str:
    low = (count // width) * width
    return f"{low}\u2013{low + width - 1}"


def outcome(case: Case) -> str:
    if case.state == State.PRODUCED or any(p.produced_at for p in case.productions.all()):
        return "produced"
    if case.verdict == Verdict.REFUSE or case.state in (State.REFUSED, State.CLOSED):
        return "refused"
    return "pending"


def _cases(period: Period):
    tz = timezone.get_current_timezone()
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(period.end + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return Case.objects.filter(arrived_at__gte=start, arrived_at__lt=end).prefetch_related("productions")


def under_nondisclosure(case: Case) -> bool:
    """Counted only in the band: flagged, or national security process by its document."""
    return (case.nondisclosure or case.document in vocab.NONDISCLOSURE_DOCUMENTS
            or any(p.document in vocab.NONDISCLOSURE_DOCUMENTS for p in case.productions.all()))


def report(period: Period, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    by_document: Counter[tuple[str, str]] = Counter()
    by_requester: Counter[tuple[str, str]] = Counter()
    gagged = 0
    for case in _cases(period):
        if under_nondisclosure(case):
            gagged += 1
            continue
        result = outcome(case)
        by_document[(case.document, result)] += 1
        by_requester[(case.requester, result)] += 1

    def table(counter, order, labels):
        keys = [k for k in order if any(counter[(k, o)] for o, _ in OUTCOMES)]
        keys += sorted({k for k, _ in counter} - set(keys))
        rows = []
        for k in keys:
            counts = [counter[(k, o)] for o, _ in OUTCOMES]
            rows.append({"label": labels.get(k, k or gettext_noop("Not recorded")), "counts": counts, "total": sum(counts)})
        return rows

    band_ready = today >= period.end + datetime.timedelta(days=BAND_DELAY_DAYS)
    return {
        "period": period,
        "outcomes": [label for _, label in OUTCOMES],
        "by_document": table(by_document, DOCUMENT_ORDER, words.DOCUMENT),
        "by_requester": table(by_requester, words.DESK_REQUESTERS, words.REQUESTER_SHORT),
        "total": sum(by_document.values()),
        "band": band(gagged) if band_ready else None,
        "band_ready_on": period.end + datetime.timedelta(days=BAND_DELAY_DAYS),
    }
