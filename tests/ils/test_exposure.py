"""`quietdesk koha exposure`: counts checked against plain SQL on a real Koha schema (MariaDB)."""

from __future__ import annotations

import datetime
import io
import json

import pytest
from django.core.management import call_command

from quietdesk.audit.models import AccessEntry
from quietdesk.ils import connector
from quietdesk.ils.koha_db import KohaDatabase
from tests.ils import kohadata
from tests.ils.conftest import AS_OF

pytestmark = pytest.mark.django_db


def exposure_json(**kwargs) -> dict:
    out = io.StringIO()
    call_command("koha", "exposure", "--json", "--as-of", AS_OF.isoformat(), stdout=out, **kwargs)
    return json.loads(out.getvalue())


def by(findings, kind, table=None, column=None, preference=None):
    for f in findings:
        if f["kind"] == kind and (table is None or f["table"] == table) and (
                column is None or f["column"] == column) and (preference is None or f["preference"] == preference):
            return f
    raise AssertionError(f"no finding {kind} {table} {column} {preference}")


def test_table_counts_match_plain_sql(koha):
    data = exposure_json()
    cutoff = AS_OF - datetime.timedelta(days=30)
    loans = by(data["findings"], "table", "old_issues")
    rows, linked, oldest = koha.one("SELECT COUNT(*), SUM(borrowernumber <> 1), MIN(CASE WHEN borrowernumber <> 1 "
                                    "THEN returndate END) FROM old_issues")
    # Past the 30-day rule, naming a real patron, and not one who chose to keep history (OPACPrivacy is on).
    past = koha.one("SELECT COUNT(*) FROM old_issues o JOIN borrowers b USING (borrowernumber) "
                    "WHERE o.borrowernumber <> 1 AND o.returndate < %s AND b.privacy <> 0", (cutoff,))[0]
    kept = koha.one("SELECT COUNT(*) FROM old_issues o JOIN borrowers b USING (borrowernumber) "
                    "WHERE o.returndate < %s AND b.privacy = 0", (cutoff,))[0]
    assert (loans["rows"], loans["linked"], loans["oldest"]) == (rows, int(linked), oldest.date().isoformat())
    assert loans["past_retention"] == past > 0 and loans["kept"] == kept > 0
    assert loans["severity"] == "high" and loans["retention_days"] == 30
    logs = by(data["findings"], "table", "action_logs")
    assert logs["rows"] == koha.one("SELECT COUNT(*) FROM action_logs WHERE module <> 'CATALOGUING'")[0]
    queue = by(data["findings"], "table", "message_queue")
    assert queue["past_retention"] == koha.one(
        "SELECT COUNT(*) FROM message_queue WHERE status <> 'pending' AND time_queued < %s", (cutoff,))[0]
    stats = by(data["findings"], "table", "statistics")
    assert stats["past_retention"] == koha.one(
        "SELECT COUNT(*) FROM statistics WHERE borrowernumber IS NOT NULL AND datetime < %s", (cutoff,))[0]
    # Tables with no rule are reported, with what to do, and never "past retention".
    files = by(data["findings"], "table", "borrower_files")
    assert files["past_retention"] is None and files["severity"] == "high" and files["rows"] == 1
    assert data["summary"]["past_retention"] == sum(f["past_retention"] or 0 for f in data["findings"]
                                                    if f["kind"] == "table")
    for finding in data["findings"]:
        assert {"table", "rows", "past_retention", "oldest", "severity", "recommendation"} <= finding.keys()
        assert finding["column"] or finding["preference"] or finding["kind"] == "preference"


def test_personal_fields_and_high_risk_text_are_counted_never_quoted(koha):
    data = exposure_json()
    birth = by(data["findings"], "field", "borrowers", "dateofbirth")
    assert birth["rows"] == koha.one("SELECT COUNT(*) FROM borrowers WHERE dateofbirth IS NOT NULL")[0] > 0
    assert birth["severity"] == "high"
    notes = by(data["findings"], "free_text", "borrowers", "borrowernotes")
    assert {"ssn", "a_number", "immigration"} <= notes["kinds"].keys() and notes["severity"] == "high"
    assert notes["rows"] < notes["linked"]  # plain notes ("the novel 'Refugee'", an ISBN) are not flagged
    old_notes = by(data["findings"], "free_text", "old_issues", "note")
    assert old_notes["rows"] > 0
    text = json.dumps(data)
    for secret in ("219-09-9999", "A123456789", "undocumented", "asilo", kohadata.CARD.format(7), "García"):
        assert secret not in text
    # The run is in the access log, with counts only.
    entry = AccessEntry.objects.filter(action="koha_exposure").get()
    assert entry.actor == "system:koha" and "past retention" in entry.basis
    assert kohadata.CARD.format(7) not in entry.basis


def test_preferences_and_categories_with_recommendations(koha):
    findings = exposure_json()["findings"]
    issue_log = by(findings, "preference", preference="IssueLog")
    assert (issue_log["value"], issue_log["recommended"], issue_log["severity"]) == ("1", "0", "high")
    assert "ALA" in issue_log["checklist"]
    assert by(findings, "preference", preference="AnonymousPatron")["severity"] == "ok"
    assert by(findings, "preference", preference="StoreLastBorrower")["severity"] == "ok"
    homebound = next(f for f in findings if f["kind"] == "category" and "HB" in f["label"])
    assert homebound["severity"] == "high" and "forever" in homebound["recommendation"]
    assert homebound["rows"] == koha.one("SELECT COUNT(*) FROM borrowers WHERE categorycode = 'HB'")[0]
    kohadata.set_pref(koha.conn(), "AnonymousPatron", "0")
    findings = exposure_json()["findings"]
    assert by(findings, "preference", preference="AnonymousPatron")["severity"] == "high"


def test_a_patrons_choice_counts_only_where_koha_lets_them_choose(koha):
    r = connector.retention(AS_OF)
    db = KohaDatabase(koha.url)
    loans = next(f for f in db.exposure(r) if f.table == "old_issues")
    assert loans.kept > 0
    kohadata.set_pref(koha.conn(), "OPACPrivacy", "0")
    again = next(f for f in db.exposure(r) if f.table == "old_issues")
    assert again.kept == 0 and again.past_retention == loans.past_retention + loans.kept
    db.close()


def test_legal_holds_are_counted_as_kept(koha):
    number = next(n for n in koha.facts.patrons if n % 6 not in (0, 1))  # privacy 1: its loans would be due
    card = koha.facts.cards[number]
    keep = connector.Keep(patrons=((card, frozenset({"circulation"}), datetime.date(2000, 1, 1), AS_OF),))
    db = KohaDatabase(koha.url)
    plain = next(f for f in db.exposure(connector.retention(AS_OF)) if f.table == "old_issues")
    held = next(f for f in db.exposure(connector.retention(AS_OF, keep)) if f.table == "old_issues")
    his = koha.one("SELECT COUNT(*) FROM old_issues WHERE borrowernumber = %s AND returndate < %s",
                   (number, AS_OF - datetime.timedelta(days=30)))[0]
    assert his > 0 and held.kept == plain.kept + his and held.past_retention == plain.past_retention - his
    # A hold on holds (not circulation) keeps none of the loans.
    keep = connector.Keep(patrons=((card, frozenset({"holds"}), datetime.date(2000, 1, 1), AS_OF),))
    other = next(f for f in db.exposure(connector.retention(AS_OF, keep)) if f.table == "old_issues")
    assert other.past_retention == plain.past_retention
    db.close()


def test_human_form_reads_like_the_audit(koha):
    out = io.StringIO()
    call_command("koha", "exposure", "--as-of", AS_OF.isoformat(), stdout=out)
    text = out.getvalue()
    for title in ("What a demand served today could reach", "Personal fields beyond what lending needs",
                  "High-risk free text", "Privacy settings", "Patron categories"):
        assert title in text
    assert "Past loans (old_issues)" in text and "past 30-day rule" in text
    assert "219-09-9999" not in text
