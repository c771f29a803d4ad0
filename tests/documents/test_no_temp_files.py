"""OCR never writes the officer's document to disk (finding 8).

pytesseract saved the page image (tess_*_input.PNG) and Tesseract's text (.tsv) in the
temporary directory and only unlinked them afterwards: not wiped, and left behind if the
worker died. Tesseract now reads the page from a pipe and answers on one. These tests
watch for any file created while a document is read: in this process (Python's audit
events: every open for writing, every tempfile.mkstemp/mkdtemp) and by the Tesseract
child (inotify on TMPDIR and on the working directory, both empty directories here).
"""

import ctypes
import datetime
import io
import os
import shutil
import struct
import sys
import tempfile
import threading

import pytest
from PIL import Image

from quietdesk.documents import extract
from quietdesk.documents import markers as mk
from quietdesk.documents.pipeline import read_document

from . import render
from .conftest import CORPUS

pytestmark = [
    pytest.mark.nodb,
    pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract-ocr is not installed"),
]

TODAY = datetime.date(2025, 6, 16)

# --- Watching this process: audit hooks cannot be removed, so one hook, switched by a flag.
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
_watch = threading.local()


def _audit(event: str, args: tuple) -> None:
    seen = getattr(_watch, "seen", None)
    if seen is None:
        return
    if event in ("tempfile.mkstemp", "tempfile.mkdtemp"):
        seen.append(f"{event} {args[0]}")
    elif event == "open":
        path, mode, flags = args
        if isinstance(mode, str):
            writes = any(c in mode for c in "wax+")
        else:
            writes = bool(flags & _WRITE_FLAGS)
        bytecode = "__pycache__" in str(path)  # a first import may cache its .pyc
        if writes and not isinstance(path, int) and not bytecode:
            seen.append(f"open {path!s} {mode or flags}")


sys.addaudithook(_audit)


# --- Watching the Tesseract child: inotify (Linux), which queues a file's creation
# even when the file is deleted before anyone looks.
_IN_CREATE_ETC = 0x2 | 0x8 | 0x80 | 0x100  # IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE


class DirWatch:
    def __init__(self, *paths):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_NONBLOCK | os.O_CLOEXEC)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        for path in paths:
            wd = self.libc.inotify_add_watch(self.fd, os.fsencode(path), _IN_CREATE_ETC)
            assert wd >= 0, os.strerror(ctypes.get_errno())

    def events(self) -> list[str]:
        names = []
        while True:
            try:
                buf = os.read(self.fd, 65536)
            except BlockingIOError:
                return names
            offset = 0
            while offset < len(buf):
                _wd, _mask, _cookie, length = struct.unpack_from("iIII", buf, offset)
                offset += 16
                names.append(buf[offset : offset + length].rstrip(b"\0").decode(errors="replace"))
                offset += length

    def close(self):
        os.close(self.fd)


@pytest.fixture
def no_files_written(tmp_path, monkeypatch):
    """TMPDIR and the working directory are fresh empty directories, watched; yields
    the list this process's writes are recorded in."""
    tmpdir, workdir = tmp_path / "tmpdir", tmp_path / "workdir"
    tmpdir.mkdir()
    workdir.mkdir()
    monkeypatch.setenv("TMPDIR", str(tmpdir))  # for the Tesseract child
    monkeypatch.setattr(tempfile, "tempdir", str(tmpdir))  # for this process (cached otherwise)
    monkeypatch.chdir(workdir)
    watch = DirWatch(tmpdir, workdir)
    seen: list[str] = []
    _watch.seen = seen
    try:
        yield seen
    finally:
        _watch.seen = None
        created = watch.events()
        watch.close()
        assert created == [], f"files created while reading: {created}"
        assert list(tmpdir.iterdir()) == [] and list(workdir.iterdir()) == []


def _turned_photo() -> bytes:
    """A damaged phone photo of an I-138, turned sideways with no EXIF orientation:
    read once, the orientation check (OSD), then read again."""
    text = (CORPUS / "as_i138.txt").read_text(encoding="utf-8")
    photo = render.photograph(render.render_page(text), render.Damage.random("as_i138"), "as_i138")
    buf = io.BytesIO()
    Image.open(io.BytesIO(photo)).rotate(90, expand=True).save(buf, "JPEG", quality=80)
    return buf.getvalue()


def test_reading_a_photo_writes_no_file(no_files_written):
    photo = _turned_photo()  # rendered before the watch counts: Pillow writes nothing either
    no_files_written.clear()
    c = read_document(photo, today=TODAY, library_state="CA")
    assert c.kind == mk.AS, (c.kind, c.reason)  # OCR and OSD really ran
    assert no_files_written == []


def test_reading_a_scanned_pdf_writes_no_file(no_files_written):
    text = (CORPUS / "ice_i205.txt").read_text(encoding="utf-8")
    photo = render.photograph(
        render.render_page(text), render.Damage.random("ice_i205"), "ice_i205"
    )
    pdf = render.scanned_pdf(photo)
    no_files_written.clear()
    c = read_document(pdf, today=TODAY, library_state="CA")
    assert c.kind == mk.ICE, (c.kind, c.reason)
    assert no_files_written == []


def test_tesseract_keeps_one_thread(monkeypatch):
    """OMP_THREAD_LIMIT=1 reaches the child (several times faster on two shared cores)
    without being forced on this process."""
    monkeypatch.delenv("OMP_THREAD_LIMIT", raising=False)
    envs = []
    real_run = extract.subprocess.run

    def spy(*args, **kwargs):
        envs.append(kwargs.get("env"))
        return real_run(*args, **kwargs)

    monkeypatch.setattr(extract.subprocess, "run", spy)
    text, quality = extract.ocr(render.render_page("SEARCH WARRANT\nUnited States District Court"))
    assert "WARRANT" in text and quality > 0.5
    assert [e["OMP_THREAD_LIMIT"] for e in envs] == ["1"]
    assert "OMP_THREAD_LIMIT" not in os.environ


def test_missing_tesseract_and_timeout_are_reasons(monkeypatch):
    page = io.BytesIO()
    render.render_page("SEARCH WARRANT").save(page, "PNG")
    monkeypatch.setattr(extract, "TESSERACT_CMD", "/nonexistent/tesseract")
    assert (
        extract.extract(page.getvalue()).reason
        == "OCR is not installed on this computer (tesseract-ocr)."
    )
    monkeypatch.setattr(extract, "TESSERACT_CMD", "tesseract")
    monkeypatch.setattr(extract, "OCR_TIMEOUT", 0.001)
    assert extract.extract(page.getvalue()).reason == "Reading the image took too long."
