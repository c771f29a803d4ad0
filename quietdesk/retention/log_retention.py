"""The access log's own retention, run by ``quietdesk purge`` after the records' rules.

The periods are the schedule's ``[access_log]`` section; the mechanism (blank, then drop
the blanked prefix behind a signed checkpoint) is ``audit.prune``. Legal holds keep the
entries about the patron they name (matched with that patron's key, never stored as a
link) and the entries of the case they were placed for."""

from __future__ import annotations

from quietdesk.audit import prune
from quietdesk.audit.events import Keep
from quietdesk.vault import api as vault
from quietdesk.vault import checkpoints

from . import schedule
from .models import LegalHold


def keep_held(rules: prune.KeepRules) -> None:
    holds = LegalHold.objects.filter(released_at__isnull=True)
    rules.case_refs.update(h.reference for h in holds)
    patrons = [h.patron_id for h in holds if h.patron_id]
    if patrons:
        rules.subject_held.append(vault.ref_matcher(patrons))


def prune_access_log(*, dry_run: bool = False, progress=None) -> prune.Summary:
    days = {Keep(k): v for k, v in schedule.get().access_log_days.items()}
    summary = prune.prune(days, sign=checkpoints.sign, dry_run=dry_run, progress=progress)
    if summary.anchor is not None:
        anchor = prune.LogAnchor.objects.get(first_kept=summary.anchor)
        checkpoints.write(anchor.note, anchor.first_kept - 1)  # a copy to send off the machine
    return summary
