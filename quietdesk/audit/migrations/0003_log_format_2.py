"""The access log's format 2 (docs/architecture.md, "The access log").

* New columns: ``case_ref``, ``restricted``, ``body_digest``, ``pruned_by``; the
  subject becomes a sealed reference. Entries written before lose the patron
  pseudonym they named (a case keeps its reference), and their free-text action
  becomes an event (``OLD_ACTIONS``; "nd-" becomes the ``restricted`` mark).
* The chain is re-hashed under format 2 after the old chain is verified under
  format 1: a migration over a broken log stops, and says where it is broken.
* The routine tally and the anchors left by pruning.
"""

import hashlib

from django.db import migrations, models

SEP = "\x1f"
GENESIS = "0" * 64


# Format 1's free-text actions, in every spelling, and the event each became.
OLD_ACTIONS = {
    "view": "view", "search": "search", "register": "register", "edit": "edit", "shred": "shred",
    "export": "export", "produce": "produce", "parent-view": "parent_view", "third-party-view": "third_party_view",
    "self-access": "self_access", "authorization": "authorization", "authorization-approve": "authorization",
    "authorization-revoke": "authorization", "authorization-view": "view", "pin-set": "pin_change",
    "pin-remove": "pin_change", "pin-unlock": "pin_change", "self-signin-limit": "self_signin_limit",
    "self-signin-hold": "self_signin_limit", "checkout": "checkout", "return": "return", "renew": "renew",
    "pay_fine": "pay_fine", "place_hold": "place_hold", "cancel_hold": "cancel_hold", "preferences": "preferences",
    "erase_history": "erase_history", "ill_request": "ill_request", "ill_arrived": "ill_arrived",
    "ill_cancel": "ill_close", "ill_complete": "ill_close", "computer_session": "computer_session",
    "computer_session_end": "computer_session_end", "program_register": "program_register",
    "program_unregister": "program_unregister", "program_attendance": "program_attendance",
    "create_program": "program_create", "camera_register": "camera_register", "reference_note": "reference_note",
    "legal_hold": "legal_hold", "legal-hold": "legal_hold", "legal_hold_release": "legal_hold_release",
    "case-open": "case_open", "case-notice": "case_notice", "case-note": "case_note", "case-document": "case_document",
    "case-state": "case_state", "case-decide": "case_decide", "case-close": "case_close", "case-update": "case_update",
    "case-view": "case_view", "production-scope": "production_scope", "production": "production",
    "package-download": "package_download", "incident-report": "incident_report", "alert_report": "alert_report",
    "alert_urgent": "alert_urgent", "alert_confirm": "alert_decide", "alert_false": "alert_decide",
    "alert_update": "alert_follow_up", "alert_cancel": "alert_follow_up", "alert_ack": "alert_ack",
    "alert_purge": "alert_purge", "alert_escalate": "alert_escalate", "broadcast": "broadcast_read",
    "network_add": "network_change", "staff-create": "staff_account", "staff-role": "staff_account",
    "staff-deactivate": "staff_account", "staff-password": "staff_account", "staff-2fa-reset": "staff_account",
    "enroll-2fa": "staff_account", "selfcheck_add": "selfcheck_machine", "selfcheck_revoke": "selfcheck_machine",
    "guide.add": "guide_change", "guide.edit": "guide_change", "guide.delete": "guide_change",
    "guide.defaults": "guide_change", "drill.completed": "drill_completed", "vendor-register": "vendor_register",
    "statistics": "statistics", "privacy-audit": "privacy_audit", "audit-scan": "audit_scan", "purge": "purge",
    "import": "import",
}


def rehash(apps, schema_editor):
    Entry = apps.get_model("audit", "AccessEntry")
    prev_old = prev_new = GENESIS
    expected = 1
    for e in Entry.objects.order_by("seq").iterator(chunk_size=5000):
        if e.seq != expected:
            raise RuntimeError(f"Access log is not intact at entry #{e.seq} (missing entries before it); "
                               "run `quietdesk audit verify` on the previous release and restore before migrating.")
        old_line = SEP.join((str(e.seq), e.at, e.actor, e.role, e.subject, e.categories, e.action, e.basis))
        if hashlib.sha256(f"{prev_old}{SEP}{old_line}".encode()).hexdigest() != e.entry_hash:
            raise RuntimeError(f"Access log is not intact at entry #{e.seq}; it cannot be migrated.")
        prev_old = e.entry_hash
        at = e.at[:19] + "Z" if len(e.at) > 20 else e.at  # to the second
        restricted = "nd" if e.action.startswith("nd-") or e.basis.startswith("nd-") else ""
        old = e.action.removeprefix("nd-")
        action = OLD_ACTIONS.get(old, "log_format")
        basis = e.basis.removeprefix("nd-") if action != "log_format" else f"{old}: {e.basis}"[:300]
        # Format 1 named patrons by a pseudonym that their row also carries: that link is dropped
        # (the privacy-preserving direction). A case keeps its plain reference.
        case_ref = e.subject if e.subject.startswith("C-") else ""
        body = SEP.join((at, e.actor, e.role, "", case_ref, e.categories, basis, restricted))
        digest = hashlib.sha256(body.encode()).hexdigest()
        new_hash = hashlib.sha256(f"{prev_new}{SEP}{e.seq}{SEP}{at[:10]}{SEP}{action}{SEP}{digest}".encode()).hexdigest()
        Entry.objects.filter(seq=e.seq).update(at=at, subject="", case_ref=case_ref, action=action,
                                               restricted=restricted, basis=basis, entry_hash=new_hash)
        prev_new = new_hash
        expected += 1


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_seq_is_the_key")]

    operations = [
        migrations.RemoveIndex("accessentry", "audit_entry_subject"),
        migrations.AlterField("accessentry", "subject", models.CharField(max_length=64)),
        migrations.AddField("accessentry", "case_ref", models.CharField(max_length=16, default=""), preserve_default=False),
        migrations.AddField("accessentry", "restricted", models.CharField(max_length=2, default=""),
                            preserve_default=False),
        migrations.AddField("accessentry", "body_digest", models.CharField(max_length=64, null=True)),
        migrations.AddField("accessentry", "pruned_by", models.BigIntegerField(null=True)),
        migrations.AddIndex("accessentry", models.Index(fields=["case_ref"], name="audit_entry_case")),
        migrations.RunPython(rehash, migrations.RunPython.noop),
        migrations.CreateModel(
            name="RoutineTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("actor", models.CharField(max_length=150)),
                ("role", models.CharField(max_length=32)),
                ("action", models.CharField(max_length=32)),
                ("count", models.PositiveIntegerField(default=0)),
            ],
            options={"constraints": [models.UniqueConstraint(fields=("day", "actor", "role", "action"),
                                                             name="audit_tally_key")]},
        ),
        migrations.CreateModel(
            name="LogAnchor",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("first_kept", models.BigIntegerField()),
                ("head_hash", models.CharField(max_length=64)),
                ("note", models.TextField()),
                ("removed", models.BigIntegerField()),
                ("made_at", models.DateTimeField()),
                ("rules", models.CharField(max_length=300)),
            ],
            options={"ordering": ["-first_kept"]},
        ),
    ]
