"""A published table as a reader sees it: names instead of codes, every figure with its
95% interval, and a warning where the noise swamps the figure.

All of this is post-processing of numbers already released (``dp.py``): it reads no
data and spends no budget. The interval is the release's stated 95% accuracy around
the published count, cut at zero below (a count is never negative).
"""

from __future__ import annotations

from dataclasses import dataclass

from quietdesk.core.models import Branch

from .queries import QUERIES

# A figure is "too noisy" when its 95% error is half the figure or more: the interval
# then runs from about half to one and a half times it, or down to zero.
SWAMPED_RATIO = 0.5
NO_BRANCH_LABEL = "No branch recorded"
COLUMN_LABELS = {"branch": "Branch", "collection": "Collection", "month": "Month", "count": "Count"}


@dataclass(frozen=True)
class Figure:
    keys: tuple[str, ...]  # names as printed (branch name, collection, month)
    raw_keys: tuple[str, ...]  # the public keys as released (branch code)
    count: int
    low: int
    high: int
    swamped: bool

    @property
    def interval(self) -> str:
        return f"{self.low}–{self.high}"


def swamped(count: int, error: float) -> bool:
    return error >= SWAMPED_RATIO * count


def branch_names() -> dict[str, str]:
    names = dict(Branch.objects.values_list("code", "name"))
    names[""] = NO_BRANCH_LABEL
    return names


def figures(release, names: dict[str, str] | None = None) -> list[Figure]:
    names = branch_names() if names is None else names
    dims = [c for c in release.columns if c != "count"]
    error = float(release.accuracy95)
    out = []
    for row in release.rows:
        raw, count = tuple(str(v) for v in row[:-1]), int(row[-1])
        shown = tuple(names.get(v, v or NO_BRANCH_LABEL) if dim == "branch" else v
                      for dim, v in zip(dims, raw, strict=True))
        low, high = max(0, int(round(count - error))), int(round(count + error))
        out.append(Figure(shown, raw, count, low, high, swamped(count, error)))
    return out


@dataclass(frozen=True)
class Presented:
    label: str
    headers: list[str]
    figures: list[Figure]
    error: float
    too_noisy: int

    @property
    def warning(self) -> str:
        """What to tell the reader when some figures are swamped by the noise (empty if none)."""
        if not self.too_noisy:
            return ""
        every = self.too_noisy == len(self.figures)
        share = "Every figure" if every else f"{self.too_noisy} of {len(self.figures)} figures"
        return (f"{share} in this table {'is' if every or self.too_noisy == 1 else 'are'} too noisy to read on "
                f"{'its' if every or self.too_noisy == 1 else 'their'} own: the 95% error (±{self.error:.0f}) is "
                "half the figure or more. Do not quote or compare "
                f"{'it' if self.too_noisy == 1 else 'them'}; add months or branches together, or ask for "
                "fewer, larger groups next time.")


def label(release) -> str:
    """The statistic's name as published ("Program attendance by branch and month")."""
    query = QUERIES.get(release.kind)
    return query.label if query else release.kind.replace("_", " ").capitalize()


def present(release) -> Presented:
    dims = [c for c in release.columns if c != "count"]
    figs = figures(release)
    return Presented(
        label=label(release),
        headers=[COLUMN_LABELS.get(d, d.capitalize()) for d in dims],
        figures=figs, error=float(release.accuracy95), too_noisy=sum(1 for f in figs if f.swamped),
    )
