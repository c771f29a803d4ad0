"""Document photos and scans: kept in memory only, checked, then sealed by the vault.

Django writes uploads over 2.5 MB to a temporary file: plaintext on disk. Views that
take documents replace the upload handlers with ``MemoryOnlyUploadHandler`` (before
the CSRF check reads the body, hence ``memory_uploads``), which keeps each file in
memory up to the size limit and discards the rest, marking the file as too large so
the form can say so. Types come from the file's first bytes, never its name.
"""

from __future__ import annotations

import io
from functools import wraps

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.views.decorators.csrf import csrf_exempt, csrf_protect

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


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Every file stays in memory; bytes past the limit are dropped and the file flagged."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._too_large = False
        self._files = getattr(self, "_files", 0) + 1
        # Past the file count limit, nothing more is buffered (the form refuses the lot).
        self._skip = self._files > max_files()

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > max_bytes():
            self._too_large = True
        elif not (self._too_large or self._skip):
            self._buffer.write(raw_data)
        return None

    def file_complete(self, file_size):
        self._buffer.seek(0)
        upload = InMemoryUploadedFile(
            file=self._buffer, field_name=self.field_name, name=self.file_name,
            content_type=self.content_type, size=file_size, charset=self.charset,
            content_type_extra=self.content_type_extra,
        )
        upload.too_large = self._too_large
        return upload


def memory_uploads(view):
    """Use the memory-only handler for this view (the CSRF check still runs, after it)."""
    protected = csrf_protect(view)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.upload_handlers = [MemoryOnlyUploadHandler(request)]
        return protected(request, *args, **kwargs)

    return csrf_exempt(wrapped)


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
