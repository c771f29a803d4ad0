"""Uploads that never touch the disk.

Django writes an upload over 2.5 MB (FILE_UPLOAD_MAX_MEMORY_SIZE) to a temporary
file before any view sees it: plaintext on disk (an officer's document, a list of
names and phone numbers), deleted afterwards but not wiped. Views that take such
files swap in ``MemoryOnlyUploadHandler`` with ``memory_uploads`` (before the CSRF
check parses the body). The handler:

* with a ``max_total_bytes``, decides from Content-Length, before a byte is
  read, whether the request can hold files within it; if not it keeps nothing;
* keeps each file in memory up to ``max_file_bytes`` (and all files together up
  to ``max_total_bytes``); a file past a limit keeps nothing and is flagged
  ``too_large`` so the form can say so;
* past ``max_files`` files, buffers nothing more (the form refuses the lot).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from functools import wraps

from django.core.files.uploadedfile import InMemoryUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.views.decorators.csrf import csrf_exempt, csrf_protect

# Room in the request for multipart boundaries and headers and the CSRF token.
MULTIPART_OVERHEAD = 64 * 1024


class MemoryOnlyUploadHandler(FileUploadHandler):
    def __init__(self, request=None, *, max_file_bytes: int, max_total_bytes: int | None = None,
                 max_files: int | None = None):
        super().__init__(request)
        self.max_file_bytes = max_file_bytes
        self.max_files = max_files
        self.max_total_bytes = max_total_bytes  # None: no limit on the request as a whole
        self.refuse_all = False
        self.kept = 0  # bytes buffered, all files together
        self.files = 0

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The body is still read (and discarded) so that the CSRF token can be checked.
        if self.max_total_bytes is not None:
            self.refuse_all = content_length > self.max_total_bytes + MULTIPART_OVERHEAD
        return None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.files += 1
        self._buffer = io.BytesIO()
        self._too_large = self.refuse_all
        self._skip = self.max_files is not None and self.files > self.max_files

    def receive_data_chunk(self, raw_data, start):
        over_total = self.max_total_bytes is not None and self.kept + len(raw_data) > self.max_total_bytes
        if start + len(raw_data) > self.max_file_bytes or over_total:
            self._too_large = True
        if not (self._too_large or self._skip):
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


def memory_uploads(handler_for: Callable[[object], FileUploadHandler]):
    """A view decorator: uploads go to ``handler_for(request)`` only; CSRF still checked, after it."""

    def decorator(view):
        protected = csrf_protect(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            request.upload_handlers = [handler_for(request)]
            return protected(request, *args, **kwargs)

        return csrf_exempt(wrapped)

    return decorator
