"""Document photos and scans: kept in memory only, checked, then sealed by the vault.

Views that take documents use ``memory_uploads`` (quietdesk.core.uploads: files stay
in memory, each up to the size limit, flagged when larger, at most the configured
number). Types come from the file's first bytes, never its name.
"""

from __future__ import annotations

from django import forms
from django.conf import settings

from quietdesk.core.uploads import MemoryOnlyUploadHandler
from quietdesk.core.uploads import memory_uploads as core_memory_uploads

ACCEPTED = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "heic": "image/heic",
    "tiff": "image/tiff",
    "pdf": "application/pdf",
}
ACCEPT_ATTR = "image/*,application/pdf"


def max_bytes() -> int:
    return settings.QUIETDESK_REQUEST_UPLOAD_MAX_BYTES


def max_files() -> int:
    return settings.QUIETDESK_REQUEST_UPLOAD_MAX_FILES


def sniff(head: bytes) -> str | None:
    """The file's real type from its first bytes, or None if it is not one we keep."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
        return "heic"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head.startswith(b"%PDF-"):
        return "pdf"
    return None


def _handler(request) -> MemoryOnlyUploadHandler:
    return MemoryOnlyUploadHandler(request, max_file_bytes=max_bytes(), max_files=max_files())


# Limits read per request, from settings in force.
memory_uploads = core_memory_uploads(_handler)


class Upload:
    """A checked upload: bytes, sniffed type and the name as given (sealed later)."""

    def __init__(self, data: bytes, kind: str, name: str):
        self.data = data
        self.kind = kind
        self.content_type = ACCEPTED[kind]
        self.name = (name or "document")[:120]


def check(upload, number: int = 1) -> Upload:
    """Refuse a file over the limit or of a type we do not keep, with a clear message.

    Messages say "file 2", never the file's name: a name can be personal data.
    """
    limit_mb = max_bytes() / (1024 * 1024)
    name = f"File {number}"
    if getattr(upload, "too_large", False) or upload.size > max_bytes():
        raise forms.ValidationError(
            f"{name} is too large ({upload.size / 1048576:.1f} MB). The limit is {limit_mb:.0f} MB per "
            "file: take the photo again at a lower resolution, or scan one page at a time.",
            code="too_large",
        )
    data = upload.read()
    if not data:
        raise forms.ValidationError(f"{name} is empty.", code="empty")
    kind = sniff(data[:16])
    if kind is None:
        raise forms.ValidationError(
            f"{name} is not a photo or a PDF. Accepted: JPEG, PNG, WebP, HEIC, TIFF photos and PDF scans.",
            code="type",
        )
    return Upload(data, kind, getattr(upload, "name", ""))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """Zero or more document files, each checked; cleans to a list of ``Upload``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            if self.required:
                raise forms.ValidationError("Add a photo or scan of the document.", code="required")
            return []
        if len(files) > max_files():
            raise forms.ValidationError(f"At most {max_files()} files at a time.", code="too_many")
        errors, out = [], []
        for number, f in enumerate(files, 1):
            try:
                out.append(check(f, number))
            except forms.ValidationError as exc:
                errors.append(exc)
        if errors:
            raise forms.ValidationError(errors)
        return out
