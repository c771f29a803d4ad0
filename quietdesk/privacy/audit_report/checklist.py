"""The audit checklist: items from the ALA Library Privacy Checklists (overview and
public libraries; vendors) and the NISO Consensus Principles on Users' Digital
Privacy, each answered "pass", "fail" or "person" (needs a person to check).

quietdesk answers what it can know from its own configuration and data; the
rest is left for the privacy officer, with what to look at.
"""

from __future__ import annotations

import datetime
import tomllib

from django.conf import settings
from django.utils import timezone

PASS, FAIL, PERSON = "pass", "fail", "person"


def _item(key, source, text, status, evidence) -> dict:
    return {"key": key, "source": source, "text": text, "status": status, "evidence": evidence}


def _period(key: str, days: int) -> float:
    """0 means "until the patron erases it" (reading history) or "never cancelled" (waiting holds)."""
    return float("inf") if key in ("reading_history_days", "unfilled_hold_days") and days == 0 else days


def _shorter_than_defaults() -> tuple[str, str]:
    from quietdesk.retention import schedule

    current = schedule.get()
    defaults = {}
    for table in tomllib.loads(schedule.DEFAULT_FILE.read_text(encoding="utf-8")).values():
        defaults.update(table)
    longer = []
    for key, value in defaults.items():
        if isinstance(value, bool) or not isinstance(value, int) or key in ("batch_size", "legal_minimum_days"):
            continue
        mine = getattr(current, key)
        if _period(key, mine) > _period(key, value):
            longer.append(f"{key} = {mine} (default {value})")
    if longer:
        return FAIL, "Longer than quietdesk's defaults: " + "; ".join(longer) + f" (schedule: {current.source})."
    return PASS, f"Every period is at most the default (schedule: {current.source})."


def _backups() -> tuple[str, str]:
    from pathlib import Path

    folder = Path(settings.BACKUP_DIR)
    files = sorted(folder.glob("quietdesk-*.qdbackup")) if folder.is_dir() else []
    if not files:
        return PERSON, (f"Backups made by `quietdesk backup` are always encrypted, but none is in {folder}: "
                        "check where backups are kept and that they are encrypted.")
    newest = datetime.datetime.fromtimestamp(max(f.stat().st_mtime for f in files), tz=datetime.UTC)
    age = (timezone.now() - newest).days
    status = PASS if age <= 7 else FAIL
    return status, f"{len(files)} encrypted backup(s) (AES-256-GCM with the keyring's backup key); newest {age} day(s) old."


def build(report: dict) -> list[dict]:
    from quietdesk.guide import privacy_notice
    from quietdesk.staff.models import SealedTOTPDevice, StaffUser
    from quietdesk.staff.roles import role_label

    inventory = report["inventory"]
    scan = report["scan"]
    vendors = report["vendors"]
    items = []

    officers = StaffUser.objects.filter(role="privacy_officer", is_active=True).count()
    items.append(_item("officer", "ALA Privacy Checklist (overview); NISO 12 Accountability",
                       "A privacy officer is designated.",
                       PASS if officers else FAIL, f"{officers} active privacy officer account(s)."))
    sections = [s.key for s in privacy_notice.sections(settings.LANGUAGE_CODE)]
    items.append(_item("notice", "ALA Q&A 5; NISO 2 Transparency, 8 Notification",
                       "A privacy notice is published, saying what is kept, why and for how long.",
                       PASS if {"summary", "keeps", "requests", "vendors"} <= set(sections) else FAIL,
                       f"Public page /{settings.LANGUAGE_CODE}/privacy/ with sections: {', '.join(sections)}; "
                       "generated from the configuration in every language offered."))
    status, evidence = _shorter_than_defaults()
    items.append(_item("retention", "ALA Q&A 10; NISO 4 Data Collection and Use",
                       "Retention periods are no longer than the shortest workable defaults.", status, evidence))
    past = sum(line["past"] or 0 for line in inventory)
    items.append(_item("purged", "ALA Privacy Checklist (public libraries): retention",
                       "Nothing is kept past its retention rule.", PASS if past == 0 else FAIL,
                       f"{past} record(s) past their rule; run `quietdesk purge` (see the inventory)."))
    status, evidence = _backups()
    items.append(_item("backups", "ALA Q&A 19; NISO 3 Security", "Backups are encrypted and recent.", status, evidence))
    items.append(_item("encryption", "ALA Q&A 19; NISO 3 Security", "Personal data is encrypted at rest.", PASS,
                       "Every personal field is sealed with a per-subject key (the vault); keys live outside the database."))
    roles = set(settings.OTP_REQUIRED_ROLES)
    privileged = StaffUser.objects.filter(role__in=["director", "privacy_officer", "sysadmin"], is_active=True)
    without = [u.username for u in privileged if not SealedTOTPDevice.objects.filter(user=u, confirmed=True).exists()]
    ok = {"director", "privacy_officer", "sysadmin"} <= roles and not without
    items.append(_item("2fa", "ALA Q&A 24; NISO 3 Security",
                       "Staff who can see the most use a second factor.", PASS if ok else FAIL,
                       f"Second factor required for: {', '.join(role_label(r) for r in sorted(roles))}."
                       + (f" Without an authenticator: {', '.join(without)}." if without else "")))
    items.append(_item("log", "NISO 12 Accountability", "Every read of patron data is logged in a tamper-evident log.",
                       PASS if report["log"]["intact"] else FAIL, report["log"]["summary"]))
    items.append(_item("access", "ALA Q&A 9, 24", "Staff access was reviewed and unusual patterns followed up.",
                       PERSON if report["access"]["flagged"] else PASS,
                       f"{report['access']['flagged']} staff member(s) flagged in the last {report['access']['days']} days."))
    found = sum(scan["totals"].values())
    items.append(_item("high_risk", "ALA Q&A 11 (avoid high-risk data); ALA Q&A 14 (SSNs)",
                       "No Social Security numbers, immigration status or other high-risk data in free text.",
                       PASS if found == 0 else FAIL, f"{found} finding(s) in {len(scan['findings'])} field(s)."))
    items.append(_item("no_fields", "ALA Q&A 11, 14", "No field asks for immigration status, citizenship, SSN or birth date.",
                       PASS, "quietdesk has no such field; free text refuses SSN-shaped numbers."))
    from quietdesk.retention import schedule

    items.append(_item("searches", "ALA Q&A 24; NISO 9 Supporting Anonymous Use",
                       "Database searches and online activity are not recorded.",
                       FAIL if schedule.get().stored else PASS, "Database searches are never stored."))
    items.append(_item("history", "NISO 6 Options and Informed Consent", "Reading history is kept only if the patron opts in.",
                       PASS, "Off unless the patron turns it on; visible to the patron alone; erasable at any time."))
    items.append(_item("stats", "ALA Q&A 11; NISO 5 Anonymization",
                       "Published statistics identify no one.", PASS,
                       f"Differential privacy (OpenDP), epsilon budget {settings.QUIETDESK_DP_EPSILON_BUDGET:g} "
                       "per month of data, public keys, contribution bounds stated on every release."))
    incomplete = [v["name"] or "unnamed" for v in vendors if v["missing"]]
    due = [v["name"] or "unnamed" for v in vendors if v["review_due"]]
    if not vendors:
        status, evidence = PERSON, "The vendor register is empty: list every company that holds patron data."
    elif incomplete or due:
        status, evidence = FAIL, "Incomplete: " + (", ".join(incomplete) or "none") + "; review due: " + (", ".join(due) or "none") + "."
    else:
        status, evidence = PASS, f"{len(vendors)} vendor(s), every contract clause confirmed, reviews scheduled."
    items.append(_item("vendors", "ALA Q&A 22; ALA Vendor Privacy Checklist; NISO 7 Sharing Data with Others",
                       "Vendors that hold patron data are bound by contract to the library's privacy rules.",
                       status, evidence))
    items.append(_item("self_access", "NISO 10 Access to One's Own User Data",
                       "Patrons can see their own records.", PASS,
                       "Self-access with a PIN; the privacy notice explains how to ask."))
    items.append(_item("training", "ALA Q&A 6, 7; NISO 1 Shared Responsibilities",
                       "Staff are trained on privacy and on requests from law enforcement.", PERSON,
                       "See the drills' completion record (guide); check everyone at the desk has done them."))
    items.append(_item("https", "NISO 3 Security", "Connections are encrypted (HTTPS, HSTS).",
                       PASS if settings.SECURE_HSTS_SECONDS and settings.SECURE_SSL_REDIRECT
                       else PERSON, "Production settings redirect to HTTPS and send HSTS; check the proxy in front."))
    items.append(_item("policy_review", "ALA Q&A 5, 9; NISO 11 Continuous Improvement",
                       "The privacy policy and this audit are reviewed at least once a year.", PERSON,
                       "Date and sign this report; keep it with the board's records."))
    return items
