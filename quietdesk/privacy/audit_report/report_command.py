"""`quietdesk privacy report` (and its older name, `quietdesk audit report`): run the privacy
audit now as a system job and write its HTML and PDF where the operator asks."""

from __future__ import annotations

from pathlib import Path

from quietdesk.audit.service import Actor

from . import audit_runs, files


def run_report(command, out: Path | None = None) -> tuple[Path, Path]:
    run = audit_runs.do_audit(Actor.system("privacy-audit"))
    stamp = run.created_at.strftime("%Y%m%dT%H%M%SZ")
    html_path, pdf_path = files.write(run.data, out, stem=f"privacy-audit-{stamp}")
    s = run.data["summary"]
    c = s["checklist"]
    command.stdout.write(
        f"Privacy audit #{run.pk}: {s['past_limit']} record(s) past their rule, {s['flagged_staff']} staff flagged, "
        f"{s['findings']} field(s) with high-risk data; checklist {c['pass']} pass, {c['fail']} fail, "
        f"{c['person']} need a person; {s['vendors_incomplete']} vendor entr(ies) incomplete."
    )
    command.stdout.write(f"HTML: {html_path}")
    command.stdout.write(f"PDF:  {pdf_path}")
    return html_path, pdf_path
