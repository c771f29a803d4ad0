"""Network CSV imports stay in memory: names and phone numbers never go to a temporary file.

Django writes an upload over 2.5 MB (FILE_UPLOAD_MAX_MEMORY_SIZE) to a temporary file
before any view sees it: plaintext on disk, deleted afterwards but not wiped. The import
view swaps in ``MemoryOnlyUploadHandler`` (before the CSRF check parses the body, hence
``memory_uploads``). It decides from Content-Length, before a byte is read, whether the
request can hold a file within the limit; if not it keeps nothing. Otherwise it keeps
at most ``MAX_IMPORT_BYTES`` in memory and drops the rest. Either way the file comes
back flagged ``too_large`` and the form refuses it.

The same idea as quietdesk.legal.uploads (which keeps document photos in memory), kept
separate so one app does not import the other's internals.
"""

from __future__ import annotations

import io
from functools import wraps

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.views.decorators.csrf import csrf_exempt, csrf_protect

MAX_IMPORT_BYTES = 2_000_000
# Room in the request for the multipart boundaries and headers and the CSRF token.
MULTIPART_OVERHEAD = 64 * 1024


class MemoryOnlyUploadHandler(FileUploadHandler):
    """Files stay in memory, at most ``max_bytes`` in all; past that, flagged and dropped."""

    def __init__(self, request=None, max_bytes: int = MAX_IMPORT_BYTES):
        super().__init__(request)
        self.max_bytes = max_bytes
        self.refuse_all = False
        self.kept = 0  # bytes buffered, all files together

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Checked before anything is read: a request this large cannot hold a file
        # within the limit, so none of it is kept (the body is still read, and
        # discarded, so that the CSRF token can be checked and the form answer).
        self.refuse_all = content_length > self.max_bytes + MULTIPART_OVERHEAD
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self._buffer = io.BytesIO()
        self._too_large = self.refuse_all

    def receive_data_chunk(self, raw_data, start):
        if self.kept + len(raw_data) > self.max_bytes:
            self._too_large = True
        if not self._too_large:
            self._buffer.write(raw_data)
            self.kept += len(raw_data)
        return None  # no other handler sees the bytes

    def file_complete(self, file_size):
        if self._too_large:
            self._buffer = io.BytesIO()  # what was kept of it goes too
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
