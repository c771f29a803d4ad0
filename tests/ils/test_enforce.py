"""`quietdesk koha enforce` on a real Koha schema (MariaDB): what changes, what never does, bad input."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quietdesk.audit.models import AccessEntry
from quietdesk.audit.service import Actor
from quietdesk.ils import runs
from quietdesk.ils.koha_db import KohaDatabase
from quietdesk.patrons.services import do_register_patron
from quietdesk.retention.legal_holds import do_place_legal_hold, do_release_legal_hold
from tests.audit.helpers import about
from tests.ils import kohadata
from tests.ils.conftest import AS_OF
from tests.personas import make_staff, patron_data

pytestmark = pytest.mark.django_db
CUTOFF = AS_OF - datetime.timedelta(days=30)


def enforce(*args) -> str:
    out = io.StringIO()
    call_command("koha", "enforce", "--as-of", AS_OF.isoformat(), "--no-progress", *args, stdout=out)
    return out.getvalue()


def snapshot(koha) -> dict:
    conn = koha.conn()
    try:
        return kohadata.snapshot(conn)
    finally:
        conn.close()


def test_dry_run_is_the_default_and_changes_nothing(koha):
    before = snapshot(koha)
    out = enforce()
    assert "Dry run" in out and "nothing was changed" in out and "to be anonymised" in out
    assert snapshot(koha) == before
    assert "dry run" in AccessEntry.objects.get(action="koha_enforce").basis
    assert enforce("--dry-run") == out


def test_apply_enforces_the_schedule_and_proves_it(koha):
    facts = koha.facts
    forever = facts.keep_forever[0]
    stamp = koha.one("SELECT timestamp FROM old_issues WHERE borrowernumber = %s AND returndate < %s "
                     "AND borrowernumber IN (SELECT borrowernumber FROM borrowers WHERE privacy = 1) LIMIT 1",
                     (facts.patrons[3], CUTOFF))
    out = enforce("--apply", "--batch-size", "97")
    assert "nothing past retention remains" in out
    # Past loans and holds point at the anonymous patron, except for patrons who chose to keep history.
    assert koha.one("SELECT COUNT(*) FROM old_issues o JOIN borrowers b USING (borrowernumber) "
                    "WHERE o.returndate < %s AND b.privacy <> 0 AND o.borrowernumber <> 1", (CUTOFF,))[0] == 0
    assert koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND returndate < %s",
                    (forever, CUTOFF))[0] > 0
    assert koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = 1")[0] > 0
    assert koha.one("SELECT COUNT(*) FROM old_reserves o JOIN borrowers b USING (borrowernumber) "
                    "WHERE o.timestamp < %s AND b.privacy <> 0 AND o.borrowernumber <> 1", (CUTOFF,))[0] == 0
    # Recent history is kept; loans and holds still open are never touched.
    assert koha.one("SELECT COUNT(*) FROM old_issues WHERE returndate >= %s AND borrowernumber <> 1",
                    (CUTOFF,))[0] > 0
    assert koha.one("SELECT COUNT(*) FROM issues WHERE borrowernumber = 1")[0] == 0
    assert koha.one("SELECT COUNT(*) FROM reserves")[0] == 10
    # Anonymising does not move a row's own date (Koha's ON UPDATE timestamp).
    if stamp:
        assert koha.one("SELECT COUNT(*) FROM old_issues WHERE timestamp = %s", stamp)[0] >= 1
    # Statistics keep their counts, lose their borrower.
    assert koha.one("SELECT COUNT(*) FROM statistics")[0] == 2 * facts.loans
    assert koha.one("SELECT COUNT(*) FROM statistics WHERE borrowernumber IS NOT NULL AND datetime < %s",
                    (CUTOFF,))[0] == 0
    # Logs about patrons go; the catalogue's logs stay; pending notices stay.
    assert koha.one("SELECT COUNT(*) FROM action_logs WHERE module <> 'CATALOGUING' AND timestamp < %s",
                    (CUTOFF,))[0] == 0
    assert koha.one("SELECT COUNT(*) FROM action_logs WHERE module = 'CATALOGUING' AND timestamp < %s",
                    (CUTOFF,))[0] > 0
    assert koha.one("SELECT COUNT(*) FROM message_queue WHERE status = 'pending' AND time_queued < %s",
                    (CUTOFF,))[0] > 0
    assert koha.one("SELECT COUNT(*) FROM message_queue WHERE status <> 'pending' AND time_queued < %s",
                    (CUTOFF,))[0] == 0
    assert koha.one("SELECT COUNT(*) FROM search_history WHERE time < %s", (AS_OF - datetime.timedelta(days=1),))[0] == 0
    assert koha.one("SELECT COUNT(*) FROM deletedborrowers WHERE updated_on < %s", (CUTOFF,))[0] == 0
    # The access log has the start and the end of the run: counts, never a card number.
    entries = list(AccessEntry.objects.filter(action="koha_enforce").order_by("seq"))
    assert [("started" in e.basis, "done" in e.basis) for e in entries] == [(True, False), (False, True)]
    assert "read back: 0 past retention" in entries[1].basis
    # Running again finds nothing to do and changes nothing.
    before = snapshot(koha)
    again = enforce("--apply")
    assert snapshot(koha) == before
    assert all(line.strip().startswith("0 ") for line in again.splitlines()[1:-1])


def test_progress_and_summary(koha):
    seen = []

    def progress(label, total):
        seen.append([label, total, 0])
        return lambda n: seen[-1].__setitem__(2, seen[-1][2] + n)

    result = runs.do_enforce(Actor.system("koha"), apply=True, batch_size=250, progress=progress, as_of=AS_OF)
    assert result.proven
    loans = next(s for s in seen if s[0].startswith("Past loans"))
    assert loans[1] == loans[2] == 6  # 1500 ids in ranges of 250
    stats = next(s for s in seen if s[0].startswith("Statistics"))
    assert stats[1] is None and stats[2] >= 2  # keyset batches: no total known up front
    assert next(s for s in result.steps if s.key == "old_issues").batches == 6


def test_missing_anonymous_patron_refuses_and_changes_nothing(koha):
    before = snapshot(koha)
    for value in ("", "0", "99999"):
        kohadata.set_pref(koha.conn(), "AnonymousPatron", value)
        with pytest.raises(CommandError, match="AnonymousPatron system preference does not name an existing patron"):
            enforce("--apply")
    kohadata.set_pref(koha.conn(), "AnonymousPatron", "1")
    assert snapshot(koha) == before
    assert not AccessEntry.objects.filter(action="koha_enforce", basis__contains="started").exists()


def test_a_read_only_account_gets_a_clear_message(koha, settings):
    koha.sql("DROP USER IF EXISTS 'qd_ro'@'%'")
    koha.sql("CREATE USER 'qd_ro'@'%' IDENTIFIED BY 'read-only-pass'")
    koha.sql("GRANT SELECT ON koha_test.* TO 'qd_ro'@'%'")
    settings.QUIETDESK_KOHA_DATABASE_URL = koha.server.url("koha_test", "qd_ro", "read-only-pass")
    before = snapshot(koha)
    assert "Dry run" in enforce()  # reading is all it needs for that
    with pytest.raises(CommandError) as raised:
        enforce("--apply")
    message = str(raised.value)
    assert "may not change old_issues" in message and "Nothing was changed" in message
    assert "read-only-pass" not in message
    assert snapshot(koha) == before
    # With the grants the guide lists, the same account can apply.
    for table in ("old_issues", "old_reserves", "statistics"):
        koha.sql(f"GRANT UPDATE ON koha_test.{table} TO 'qd_ro'@'%'")
    for table in ("items_last_borrower", "action_logs", "message_queue", "search_history", "deletedborrowers"):
        koha.sql(f"GRANT DELETE ON koha_test.{table} TO 'qd_ro'@'%'")
    assert "nothing past retention remains" in enforce("--apply")
    koha.sql("DROP USER 'qd_ro'@'%'")


@pytest.mark.parametrize("url, says", [
    ("mysql://root:wrong-password@127.0.0.1:{port}/koha_test", "refused the login"),
    ("mysql://root@127.0.0.1:{port}/no_such_koha", "no such database"),
    ("mysql://root@127.0.0.1:{dead}/koha_test", "Cannot reach"),
    ("postgres://root@127.0.0.1:{port}/koha_test", "must look like mysql://"),
    ("mysql://root@127.0.0.1:{port}/", "names no database"),
])
def test_bad_connection_settings_get_a_clear_message(koha, settings, url, says):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    settings.QUIETDESK_KOHA_DATABASE_URL = url.format(port=koha.server.port, dead=dead)
    for command in (("exposure",), ("enforce", "--apply")):
        with pytest.raises(CommandError) as raised:
            call_command("koha", *command, stdout=io.StringIO())
        assert says in str(raised.value)
        assert "wrong-password" not in str(raised.value)


def test_no_koha_configured(settings, db):
    settings.QUIETDESK_KOHA_DATABASE_URL = settings.QUIETDESK_KOHA_API_URL = ""
    with pytest.raises(CommandError, match="No Koha is configured"):
        call_command("koha", "exposure", stdout=io.StringIO())


def test_a_much_older_koha_is_refused(koha, settings):
    url = koha.server.create_koha("koha_old")
    try:
        # Koha before 22.11 (and 20.11): old_issues.renewals, no borrowers.anonymized.
        koha.server.sql("ALTER TABLE old_issues CHANGE renewals_count renewals tinyint(4) NOT NULL DEFAULT 0",
                        database="koha_old")
        koha.server.sql("ALTER TABLE borrowers DROP COLUMN anonymized", database="koha_old")
        settings.QUIETDESK_KOHA_DATABASE_URL = url
        for command in (("exposure",), ("enforce", "--apply")):
            with pytest.raises(CommandError, match="supports Koha 22.11 or later"):
                call_command("koha", *command, stdout=io.StringIO())
        settings.QUIETDESK_KOHA_DATABASE_URL = koha.server.url("mysql")
        with pytest.raises(CommandError, match="does not look like a Koha database"):
            call_command("koha", "exposure", stdout=io.StringIO())
    finally:
        koha.server.drop("koha_old")


def test_legal_holds_keep_a_patrons_records(koha):
    facts = koha.facts
    held = next(n for n in facts.patrons if n % 6 not in (0, 1))
    director = make_staff("director", "director")
    patron = do_register_patron(Actor.system("test"), patron_data(1, card_number=facts.cards[held]))
    hold = do_place_legal_hold(Actor.for_user(director), reference="Order 26-114", served_on=AS_OF,
                               categories=["circulation"], date_from=datetime.date(2021, 1, 1),
                               date_to=datetime.date(2026, 1, 31), patron=patron)
    in_range = koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND issuedate < '2026-02-01' "
                        "AND returndate >= '2021-01-01' AND returndate < %s", (held, CUTOFF))[0]
    assert in_range > 0
    enforce("--apply")
    assert koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND issuedate < '2026-02-01' "
                    "AND returndate >= '2021-01-01' AND returndate < %s", (held, CUTOFF))[0] == in_range
    # Outside the hold's dates, and in categories it does not name, the schedule applies.
    assert koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND returndate < '2021-01-01'",
                    (held,))[0] == 0
    assert koha.one("SELECT COUNT(*) FROM old_reserves WHERE borrowernumber = %s AND timestamp < %s",
                    (held, CUTOFF))[0] == 0
    # The card number was read through the vault's reader (logged about the patron, sealed), never written down.
    read = about(patron.id, action="view", basis__contains=hold.label)
    assert read and all(facts.cards[held] not in e.basis for e in AccessEntry.objects.all())
    # Released: the next run anonymises them.
    do_release_legal_hold(Actor.for_user(director), hold, reason="Case closed")
    enforce("--apply")
    assert koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND returndate < %s",
                    (held, CUTOFF))[0] == 0


def test_a_hold_on_everyone_keeps_every_record_in_its_dates(koha):
    director = make_staff("director", "director")
    do_place_legal_hold(Actor.for_user(director), reference="Preservation 26-2", served_on=AS_OF,
                        categories=["holds"], date_from=datetime.date(2024, 1, 1),
                        date_to=datetime.date(2024, 12, 31), all_patrons=True)
    enforce("--apply")
    kept = koha.one("SELECT COUNT(*) FROM old_reserves WHERE borrowernumber <> 1 AND reservedate <= '2024-12-31' "
                    "AND timestamp >= '2024-01-01'")[0]
    assert kept > 0
    assert koha.one("SELECT COUNT(*) FROM old_reserves o JOIN borrowers b USING (borrowernumber) "
                    "WHERE o.borrowernumber <> 1 AND b.privacy <> 0 AND o.timestamp < '2024-01-01'")[0] == 0
    db = KohaDatabase(koha.url)
    from quietdesk.ils import connector, legal_keep
    from quietdesk.ils.exposure import past_retention

    assert not any(past_retention(db, connector.retention(
        AS_OF, legal_keep.keep(Actor.system("koha")))).values())
    db.close()
