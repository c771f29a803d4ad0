"""Things that are not documents: always unknown with a reason, never a crash, and the
size limit enforced before anything is decoded."""

import datetime
import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFilter

from quietdesk.documents import extract
from quietdesk.documents import markers as mk
from quietdesk.documents.extract import Limits
from quietdesk.documents.pipeline import read_document

from . import render

pytestmark = pytest.mark.nodb

TODAY = datetime.date(2025, 6, 16)


def read(source, **kw):
    c = read_document(source, today=TODAY, library_state="CA", **kw)
    assert c.kind == mk.UNKNOWN and c.signed_by_judge is None and c.reason
    assert c.guidance[-1].startswith("Call the library director")
    return c


def _jpeg(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()


def test_photo_of_a_cat(tmp_path):
    rng = np.random.default_rng(7)
    fur = rng.normal(128, 60, (240, 320, 3)).clip(0, 255).astype(np.uint8)
    cat = (
        Image.fromarray(fur)
        .resize((1280, 960), Image.Resampling.BICUBIC)
        .filter(ImageFilter.GaussianBlur(3))
    )
    path = tmp_path / "cat.jpg"
    path.write_bytes(_jpeg(cat))
    assert "No text" in read(path).reason


def test_empty_page(tmp_path):
    path = tmp_path / "blank.png"
    Image.new("L", (1275, 1650), 250).save(path)
    assert "blank" in read(path).reason


def test_zero_bytes(tmp_path):
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert "empty" in read(path).reason


def test_200_megabytes_is_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.jpg"
    with path.open("wb") as fh:
        fh.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    opened = []
    monkeypatch.setattr(extract.Image, "open", lambda *a, **k: opened.append(a))
    monkeypatch.setattr(extract.Path, "open", lambda *a, **k: opened.append(a))
    assert "too large" in read(path).reason
    assert opened == []


def test_the_limit_is_configurable_and_applies_to_bytes():
    data = ("U.S. Department of Homeland Security\nWarrant for Arrest of Alien\n" * 40).encode()
    assert "too large" in read(data, limits=Limits(max_bytes=1000)).reason
    assert read_document(data, today=TODAY, library_state="CA").kind == mk.ICE


def test_password_protected_pdf(tmp_path):
    path = tmp_path / "locked.pdf"
    path.write_bytes(
        render.encrypted_pdf("SEARCH AND SEIZURE WARRANT\nJudge's signature", "example-only")
    )
    assert "password" in read(path).reason


def test_text_file_named_jpg(tmp_path):
    path = tmp_path / "warrant.jpg"
    path.write_text("hello, this is just a note about lunch\n", encoding="utf-8")
    assert ".jpg" in read(path).reason


def test_decompression_bomb_is_refused_from_its_header(tmp_path):
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 0, 0, 0, 0)  # 10 gigapixels
    png = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 64))
        + chunk(b"IEND", b"")
    )
    path = tmp_path / "bomb.png"
    path.write_bytes(png)
    assert "too large" in read(path).reason
    assert "too large" in read(png, limits=Limits(max_pixels=1000)).reason


@pytest.mark.parametrize(
    "data, words",
    [
        (b"\xff\xd8\xff\xe0" + b"\x00" * 200, "decoded"),  # a JPEG header and nothing else
        (_jpeg(Image.new("L", (800, 600), 200))[:900], "damaged"),  # cut off half way
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "decoded"),
        (b"%PDF-1.7\n" + b"not really a pdf" * 10, "PDF"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 100, "HEIC"),
        (bytes(range(256)) * 20, "not a photo"),
    ],
)
def test_broken_or_foreign_files(data, words):
    assert words in read(data).reason


def test_paths_that_are_not_files(tmp_path):
    assert "opened" in read(tmp_path / "missing.jpg").reason
    assert "regular file" in read(tmp_path).reason


def test_type_comes_from_the_bytes_not_the_name(tmp_path):
    path = tmp_path / "scan.pdf"
    path.write_text(
        "U.S. DEPARTMENT OF HOMELAND SECURITY\nNOTICE TO APPEAR\nForm I-862\n"
        "YOU ARE ORDERED to appear before an immigration judge\n",
        encoding="utf-8",
    )
    c = read_document(path, today=TODAY, library_state="CA")
    assert c.kind == mk.NTA
    assert any(f["marker"] == "note" and ".pdf" in f["text"] for f in c.findings)
