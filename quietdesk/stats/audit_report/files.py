"""Writing the audit's HTML and PDF files (`quietdesk audit report`), readable by the owner only."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from . import pdf


def html(data: dict) -> str:
    """A standalone HTML file: the same body as the staff page, with its stylesheet inlined."""
    css = (Path(__file__).resolve().parent.parent / "static" / "quietdesk" / "audit.css").read_text(encoding="utf-8")
    return render_to_string("stats/audit/standalone.html", {"report": data, "css": css})


def _write(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)


def write(data: dict, out_dir: Path | None = None, stem: str = "privacy-audit") -> tuple[Path, Path]:
    out_dir = Path(out_dir or settings.QUIETDESK_AUDIT_DIR)
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    html_path, pdf_path = out_dir / f"{stem}.html", out_dir / f"{stem}.pdf"
    _write(html_path, html(data).encode("utf-8"))
    _write(pdf_path, pdf.render(data))
    return html_path, pdf_path
