"""The audit's HTML and PDF files, readable by quietdesk's owner only.

``write`` is what ``quietdesk privacy report`` (and ``quietdesk audit report``) leaves
where the operator asks. ``store`` keeps a finished audit's two files in the data
directory's audit area (QUIETDESK_AUDIT_DIR/runs, 0700, files 0600: the same place and
the same confidentiality the command's files have had), where the privacy officer's
page downloads them from; they go when the audit is pruned.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from quietdesk.private_files import write_private

from . import audit_pdf

KINDS = {"html": "text/html; charset=utf-8", "pdf": "application/pdf"}


def html(data: dict) -> str:
    """A standalone HTML file: the same body as the staff page, with its stylesheet inlined."""
    css = (Path(__file__).resolve().parent.parent / "static" / "quietdesk" / "audit.css").read_text(encoding="utf-8")
    return render_to_string("privacy/audit/standalone.html", {"report": data, "css": css})


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write(data: dict, out_dir: Path | None = None, stem: str = "privacy-audit") -> tuple[Path, Path]:
    out_dir = Path(out_dir or settings.QUIETDESK_AUDIT_DIR)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    _write(html_path, html(data).encode("utf-8"))
    _write(pdf_path, audit_pdf.render(data))
    return html_path, pdf_path


def stored(run_id: int, kind: str) -> Path:
    """Where a finished audit's file is kept (``kind`` is "html" or "pdf")."""
    if kind not in KINDS:
        raise ValueError(kind)
    return Path(settings.QUIETDESK_AUDIT_DIR) / "runs" / f"privacy-audit-{int(run_id)}.{kind}"


def store(run_id: int, data: dict) -> None:
    write_private(stored(run_id, "pdf"), audit_pdf.render(data))
    write_private(stored(run_id, "html"), html(data))


def discard(run_ids) -> None:
    for run_id in run_ids:
        for kind in KINDS:
            stored(run_id, kind).unlink(missing_ok=True)
