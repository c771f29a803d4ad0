"""Statistics releases, the privacy-budget ledger and circulation tallies. None of these
holds a patron's data: releases hold noisy counts, tallies hold per-item-group totals.
(The vendor register and the saved privacy audits moved to ``quietdesk.privacy``.)"""

from django.db import models


class Release(models.Model):
    """One differentially private statistics query, as published (noisy counts only).

    Showing or downloading a release again spends nothing: it is post-processing
    of numbers already released.
    """

    kind = models.CharField(max_length=20)
    first_month = models.CharField(max_length=7)  # YYYY-MM
    last_month = models.CharField(max_length=7)
    epsilon_micro = models.PositiveBigIntegerField()  # epsilon x 1e6, exact sums in the ledger
    bound = models.PositiveIntegerField()  # contribution bound (per patron per month), the L1 sensitivity
    scale = models.FloatField()  # discrete Laplace scale
    accuracy95 = models.FloatField()  # 95% of counts are within +/- this of the true count
    rows = models.JSONField(default=list)  # [[key, ..., noisy count], ...]
    columns = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.CharField(max_length=150)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"release #{self.pk} {self.kind}"

    @property
    def epsilon(self) -> float:
        return self.epsilon_micro / 1e6


class BudgetSpend(models.Model):
    """The ledger: epsilon spent on one month of data by one release."""

    month = models.CharField(max_length=7, db_index=True)  # YYYY-MM of the data
    epsilon_micro = models.PositiveBigIntegerField()
    release = models.ForeignKey(Release, on_delete=models.PROTECT, related_name="spends")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["month", "at"]

    def __str__(self) -> str:
        return f"{self.month}: {self.epsilon_micro / 1e6}"


class CirculationTally(models.Model):
    """Items' lifetime loan counts summed per branch and collection on a day (no patron, no item)."""

    day = models.DateField()
    branch_code = models.CharField(max_length=20, blank=True)
    collection = models.CharField(max_length=40)
    loans_total = models.PositiveBigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "branch_code", "collection"], name="stats_tally_key"),
        ]

    def __str__(self) -> str:
        return f"tally {self.day}"
