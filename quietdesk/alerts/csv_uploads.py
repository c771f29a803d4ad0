"""Network CSV imports stay in memory: names and phone numbers never go to a temporary file.

The import view uses the shared memory-only handler (quietdesk.core.uploads) with a
2 MB limit on the file and on the request as a whole, checked from Content-Length
before a byte is read; a file past it comes back flagged ``too_large`` and the form
refuses it.
"""

from __future__ import annotations

from quietdesk.core import uploads as core

MAX_IMPORT_BYTES = 2_000_000
MULTIPART_OVERHEAD = core.MULTIPART_OVERHEAD


class MemoryOnlyUploadHandler(core.MemoryOnlyUploadHandler):
    def __init__(self, request=None, max_bytes: int = MAX_IMPORT_BYTES):
        super().__init__(request, max_file_bytes=max_bytes, max_total_bytes=max_bytes)


memory_uploads = core.memory_uploads(MemoryOnlyUploadHandler)
