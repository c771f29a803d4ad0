"""Differentially private counts on OpenDP's core API.

Design notes
------------
What is protected. The unit of privacy is *one patron's records in one calendar
month*. A release satisfies epsilon-differential privacy for that unit: adding or
removing everything one patron did in a month changes the probability of any
published table by at most a factor e^epsilon. Months are disjoint slices of the
data, so the ledger (``ledger.py``) keeps one budget per month of data
(QUIETDESK_DP_EPSILON_BUDGET) and every query spends its epsilon on each month it
covers (sequential composition within a month, parallel across months).

The mechanism. Each query produces a vector of integer counts, one per public
key, and OpenDP adds discrete Laplace noise to the whole vector
(``make_laplace`` over ``vector_domain(atom_domain(T="i64"))`` with the L1
distance). The scale is bound / epsilon, and OpenDP's own privacy map is asked
to confirm that d_in = bound gives at most epsilon before anything is sampled.
The noise is sampled exactly on the integers by OpenDP (no hand-rolled
floating-point noise, which leaks through its low bits).

Public keys. The table's rows are fixed before the data is looked at: the
library's branches (configuration), the collections (QUIETDESK_DP_COLLECTIONS),
and the calendar months asked for. Every cell is released, zeros included, so
no key's presence reveals anything and no delta is needed. (Deriving keys from
the data, say "collections that had a loan", would itself leak.)

The cap on rows per patron, and why quietdesk mostly *states* it. DP needs a
bound on how much one patron can move the counts (the sensitivity).

* Where per-patron rows exist when the query runs (loans currently out still
  name their borrower), the cap is enforced in SQL: a window function numbers
  each patron's rows (``ROW_NUMBER() OVER (PARTITION BY patron_id)``) and only
  the first ``bound`` are counted. The GROUP BY runs in the database: only the
  grouped counts come back, never a per-patron row.
* Everything else quietdesk keeps only as counts, by design: a return cuts the
  loan's link to the borrower in the same transaction (the item keeps a count),
  program attendance is a number typed at the door, and a computer session is
  deleted at its end after adding one to the branch's day. There is no
  per-patron row left to cap, and keeping one so that it could be capped would
  undo the minimization that protects patrons against a stolen database or a
  subpoena, a far more likely harm than a statistics table. So for these the
  bound is a *declared contribution bound* (QUIETDESK_DP_MAX_LOANS, _PROGRAMS,
  _SESSIONS per patron per month) and the noise is calibrated to it. The
  guarantee is exact for every patron within the bound; a patron who did k
  times the bound in a month is protected at k x epsilon (group privacy). Every
  release states its bound and this caveat. The default bounds (5 loans or
  sessions, 2 programs a month, at epsilon 1 per table) keep a count within
  about ±15 (±6 for programs) 95 times in 100, sensible at a branch's scale;
  docs/operators-guide.md ("Statistics") says why, and what a heavier user
  gives up. That is the price of not keeping who did what.
* Aggregation is in SQL in every case; statistics never read a per-patron row
  into Python.

Post-processing. Noisy counts below zero are published as 0; totals are not
re-derived from the noisy cells. A stored release can be shown and downloaded
again for free: re-publishing released numbers spends no budget. Showing each
count with its 95% interval, flagging the ones the noise swamps and drawing the
chart (``present.py``, ``chart.py``) are post-processing too.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHA = 0.05  # the stated accuracy is the 95% interval


@dataclass(frozen=True)
class Noised:
    counts: list[int]  # noisy, negatives published as 0
    scale: float
    accuracy95: float  # 95% of cells are within +/- this of the true count


def _dp():
    import opendp.prelude as dp

    dp.enable_features("contrib")
    return dp


def scale_for(bound: int, epsilon: float) -> float:
    if bound < 1 or epsilon <= 0:
        raise ValueError("The contribution bound must be at least 1 and epsilon above 0.")
    return bound / epsilon


def measurement(bound: int, epsilon: float):
    """OpenDP's discrete Laplace on a vector of counts, checked to spend at most ``epsilon``."""
    dp = _dp()
    space = (dp.vector_domain(dp.atom_domain(T="i64")), dp.l1_distance(T="i64"))
    meas = dp.m.make_laplace(*space, scale=scale_for(bound, epsilon))
    spent = meas.map(bound)
    if spent > epsilon * (1 + 1e-9):
        raise ValueError(f"OpenDP reports epsilon {spent} for bound {bound}, above {epsilon}.")
    return meas


def accuracy(scale: float, alpha: float = ALPHA) -> float:
    return float(_dp().discrete_laplacian_scale_to_accuracy(scale, alpha))


def noisy_counts(counts: list[int], *, bound: int, epsilon: float) -> Noised:
    """Release ``counts`` (one per public key, true values, aggregated in SQL) with noise."""
    meas = measurement(bound, epsilon)
    scale = scale_for(bound, epsilon)
    released = meas([int(c) for c in counts]) if counts else []
    return Noised([max(0, int(v)) for v in released], scale, accuracy(scale))
