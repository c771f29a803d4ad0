"""From a file to text: size check first, type from magic bytes, then PDF text (pypdfium2),
OCR (Tesseract, English and Spanish) for photos and scanned pages, or plain text.
Pure: no Django. Tesseract runs as a child process reading the page from a pipe and
answering on one: no temporary files, so no copy of the document is left on disk.

Nothing here raises on bad input: every failure comes back as ``Extracted.reason`` so
the desk sees "unknown, because ..." rather than an error page.
"""

import io
import os
import stat
import subprocess
import time
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from . import imaging

DEFAULT_MAX_BYTES = 25 * 1024 * 1024
DEFAULT_MAX_PIXELS = 60_000_000  # a 48-megapixel phone photo fits; a decompression bomb does not
DEFAULT_MAX_PAGES = 10
OCR_LANG = "eng+spa"
OCR_CONFIG = "--oem 1 --psm 3"
OCR_TIMEOUT = 30  # seconds per Tesseract run
TESSERACT_CMD = "tesseract"
PNG_COMPRESS_LEVEL = 1  # the PNG only crosses a pipe: fast beats small
PDF_DPI = 200
MIN_PAGE_TEXT = 40  # letters: a PDF page with fewer is treated as scanned
POOR_QUALITY = 0.6  # below this mean word confidence, or
POOR_LETTERS = 150  # fewer letters than this, check whether the page is turned
MIN_TURN_LETTERS = 20  # a blank page or a cat is not worth the check


@dataclass
class Extracted:
    text: str = ""
    source: str = ""  # text, pdf-text, pdf-ocr, image-ocr
    pages: int = 0
    ocr_pages: int = 0
    ocr_quality: float | None = None  # mean word confidence, 0..1
    reason: str | None = None  # set when nothing could be read
    note: str | None = None
    page_seconds: list[float] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES
    max_pixels: int = DEFAULT_MAX_PIXELS
    max_pages: int = DEFAULT_MAX_PAGES


def sniff(head: bytes) -> str:
    """The real type from the first bytes, never from the file name."""
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[4:8] == b"ftyp" and head[8:12] in (
        b"heic",
        b"heix",
        b"mif1",
        b"msf1",
        b"hevc",
        b"avif",
    ):
        return "heic"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" not in head:
        return "text"
    return "binary"


def read_bytes(
    source: str | os.PathLike | bytes, limits: Limits
) -> tuple[bytes | None, str | None]:
    """The file's bytes, or a reason. The size is checked before anything is decoded."""
    mb = limits.max_bytes / (1024 * 1024)
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
        if len(data) > limits.max_bytes:
            return (
                None,
                f"The file is too large ({len(data) / 1048576:.0f} MB; the limit is {mb:.0f} MB).",
            )
    else:
        path = Path(source)
        try:
            st = path.stat()
        except OSError:
            return None, "The file could not be opened."
        if not stat.S_ISREG(st.st_mode):
            return None, "That is not a regular file."
        if st.st_size > limits.max_bytes:
            return (
                None,
                f"The file is too large ({st.st_size / 1048576:.0f} MB; the limit is {mb:.0f} MB).",
            )
        try:
            with path.open("rb") as fh:
                data = fh.read(limits.max_bytes + 1)
        except OSError:
            return None, "The file could not be read."
        if len(data) > limits.max_bytes:
            return None, f"The file is too large (the limit is {mb:.0f} MB)."
    if not data:
        return None, "The file is empty (0 bytes)."
    return data, None


class OcrError(RuntimeError):
    """Tesseract failed. The message never carries its output (the document's text)."""


class OcrNotInstalled(OcrError):
    pass


class OcrTimeout(OcrError):
    pass


def _png(img: Image.Image) -> bytes:
    """The page as PNG bytes, in memory. Transparency is flattened onto white."""
    if "A" in img.getbands():
        background = Image.new("RGB", img.size, (255, 255, 255))
        background.paste(img, (0, 0), img.getchannel("A"))
        img = background
    buf = io.BytesIO()
    img.save(buf, format="PNG", compress_level=PNG_COMPRESS_LEVEL)
    return buf.getvalue()


def _tesseract(png: bytes, *args: str) -> str:
    """Run Tesseract on the page with the image on stdin and the result on stdout.

    Nothing touches the disk: no page image, no text file, even if this worker is
    killed halfway (pytesseract wrote both to /tmp and only unlinked them, unwiped).
    """
    env = dict(os.environ)
    # One thread per Tesseract: with OpenMP threads on a small shared machine it is
    # several times slower, not faster. An operator may still set it.
    env.setdefault("OMP_THREAD_LIMIT", "1")
    try:
        done = subprocess.run(  # noqa: S603 - fixed program and arguments, no shell
            [TESSERACT_CMD, "stdin", "stdout", *args],
            input=png,
            capture_output=True,
            timeout=OCR_TIMEOUT,
            env=env,
            check=False,
        )
    except FileNotFoundError:
        raise OcrNotInstalled("tesseract is not installed") from None
    except subprocess.TimeoutExpired:  # run() has already killed and reaped the child
        raise OcrTimeout("tesseract timeout") from None
    if done.returncode != 0:
        raise OcrError(f"tesseract exited with status {done.returncode}")
    return done.stdout.decode("utf-8", errors="replace")


def _parse_tsv(tsv: str) -> tuple[str, float]:
    """Words grouped into lines (block, paragraph, line) and their mean confidence.

    Confidences are truncated to whole numbers, as pytesseract did, so the quality
    figure (and the decision to check the page's orientation) is unchanged."""
    lines: dict[tuple[int, int, int], list[str]] = {}
    confs: list[float] = []
    for row in tsv.splitlines()[1:]:  # the first line is the header
        cols = row.split("\t")
        if len(cols) < 12:
            continue
        word = cols[11].strip()
        if not word:
            continue
        try:
            key = (int(cols[2]), int(cols[3]), int(cols[4]))
            conf = float(int(float(cols[10])))
        except ValueError:
            continue
        lines.setdefault(key, []).append(word)
        if conf >= 0:
            confs.append(conf)
    text = "\n".join(" ".join(words) for _, words in sorted(lines.items()))
    quality = (sum(confs) / len(confs) / 100.0) if confs else 0.0
    return text, quality


def ocr(img: Image.Image) -> tuple[str, float]:
    """Text and mean word confidence (0..1) of one cleaned page image."""
    return _parse_tsv(_tesseract(_png(img), "-l", OCR_LANG, *OCR_CONFIG.split(), "tsv"))


def _parse_osd(osd: str) -> dict[str, float]:
    keys = {"Rotate": "rotate", "Orientation confidence": "orientation_conf"}
    out: dict[str, float] = {}
    for line in osd.splitlines():
        name, sep, value = line.partition(": ")
        if sep and name in keys:
            try:
                out[keys[name]] = float(value)
            except ValueError:
                continue
    return out


def _orientation(img: Image.Image) -> int:
    """Degrees Tesseract says the page is turned (0, 90, 180, 270); 0 when unsure."""
    try:
        osd = _parse_osd(_tesseract(_png(img), "--psm", "0", "-l", "osd"))
    except OcrError:
        return 0  # too little text to tell
    if "rotate" not in osd or osd.get("orientation_conf", 0.0) < 2.0:
        return 0
    return int(osd["rotate"])


def read_page(img: Image.Image) -> tuple[str, float]:
    """OCR of one page photo. A poor read may be a page turned sideways or upside
    down (a phone that ignored its orientation sensor): turn it and read again."""
    cleaned = imaging.clean(img)
    text, quality = ocr(cleaned)
    letters = sum(ch.isalpha() for ch in text)
    if letters >= MIN_TURN_LETTERS and (quality < POOR_QUALITY or letters < POOR_LETTERS):
        turn = _orientation(cleaned)
        if turn:
            text2, quality2 = ocr(cleaned.rotate(-turn, expand=True, fillcolor=255))
            if sum(ch.isalpha() for ch in text2) * quality2 > letters * quality:
                return text2, quality2
    return text, quality


def _ocr_pages(images, out: Extracted) -> None:
    texts, qualities = [], []
    for img in images:
        started = time.perf_counter()
        text, quality = read_page(img)
        out.page_seconds.append(time.perf_counter() - started)
        texts.append(text)
        qualities.append(quality)
        out.ocr_pages += 1
    out.text = "\n\n".join(t for t in texts if t)
    out.ocr_quality = round(sum(qualities) / len(qualities), 3) if qualities else None


def from_image(data: bytes, limits: Limits) -> Extracted:
    out = Extracted(source="image-ocr", pages=1)
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            if img.width * img.height > limits.max_pixels:
                out.reason = (
                    f"The image is too large ({img.width}x{img.height} pixels); "
                    "take the photo at a lower resolution."
                )
                return out
            if img.format == "JPEG":
                img.draft("L", (imaging.MAX_SIDE, imaging.MAX_SIDE))  # decode at reduced size
            img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        out.reason = (
            "The image is too large to decode safely; take the photo at a lower resolution."
        )
        return out
    except UnidentifiedImageError:
        out.reason = "The file looks like an image but could not be decoded."
        return out
    except (OSError, ValueError, SyntaxError):
        out.reason = "The image is damaged and could not be decoded."
        return out
    decode = time.perf_counter() - started
    try:
        _ocr_pages([img], out)
    except Exception as exc:  # noqa: BLE001 - OCR failures become a reason, never a crash
        out.reason = _ocr_failure(exc)
    if out.page_seconds:
        out.page_seconds[0] += decode
    return out


def _ocr_failure(exc: Exception) -> str:
    if isinstance(exc, OcrNotInstalled):
        return "OCR is not installed on this computer (tesseract-ocr)."
    if isinstance(exc, OcrTimeout):
        return "Reading the image took too long."
    return "The image could not be read by OCR."


def from_pdf(data: bytes, limits: Limits) -> Extracted:
    import pypdfium2 as pdfium

    out = Extracted(source="pdf-text")
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            out.reason = "The PDF is password-protected; ask for an unprotected copy."
        else:
            out.reason = "The PDF is damaged and could not be opened."
        return out
    try:
        out.pages = len(pdf)
        if out.pages == 0:
            out.reason = "The PDF has no pages."
            return out
        if out.pages > limits.max_pages:
            out.note = f"Only the first {limits.max_pages} of {out.pages} pages were read."
        texts: list[str] = []
        scanned: list[int] = []
        for i in range(min(out.pages, limits.max_pages)):
            page = pdf[i]
            started = time.perf_counter()
            textpage = page.get_textpage()
            text = textpage.get_text_bounded() or ""
            textpage.close()
            if sum(ch.isalpha() for ch in text) >= MIN_PAGE_TEXT:
                texts.append(text.replace("\r\n", "\n").replace("\r", "\n"))
                out.page_seconds.append(time.perf_counter() - started)
            else:
                scanned.append(i)
            page.close()
        if scanned:
            out.source = "pdf-ocr" if not texts else "pdf-text+ocr"
            ocr_out = Extracted()
            _ocr_pages((_render(pdf[i], limits) for i in scanned), ocr_out)
            texts.append(ocr_out.text)
            out.ocr_pages = ocr_out.ocr_pages
            out.ocr_quality = ocr_out.ocr_quality
            out.page_seconds += ocr_out.page_seconds
        out.text = "\n\n".join(t for t in texts if t)
    except pdfium.PdfiumError:
        out.reason = "The PDF is damaged and could not be read."
    except Exception as exc:  # noqa: BLE001 - as above: a reason, never a crash
        out.reason = _ocr_failure(exc)
    finally:
        pdf.close()
    return out


def _render(page, limits: Limits) -> Image.Image:
    """A scanned page as an image, at PDF_DPI or less (never more than max_pixels)."""
    try:
        width, height = page.get_size()  # points
        scale = PDF_DPI / 72
        if width * height * scale * scale > limits.max_pixels:
            scale = (limits.max_pixels / max(width * height, 1.0)) ** 0.5
        return page.render(scale=scale, grayscale=True).to_pil()
    finally:
        page.close()


def from_text(data: bytes) -> Extracted:
    out = Extracted(source="text", pages=1)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        text = data.decode("utf-16", errors="replace")
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 50):
        out.reason = "The file is not a document the reader understands (binary data)."
        return out
    out.text = text.replace("\r\n", "\n").replace("\r", "\n")
    return out


def extract(source: str | os.PathLike | bytes, limits: Limits | None = None) -> Extracted:
    limits = limits or Limits()
    data, reason = read_bytes(source, limits)
    if data is None:
        return Extracted(reason=reason)
    kind = sniff(data[:4096])
    suffix = (
        "" if isinstance(source, bytes | bytearray | memoryview) else Path(source).suffix.lower()
    )
    if kind in ("jpeg", "png", "gif", "tiff", "webp"):
        out = from_image(data, limits)
    elif kind == "pdf":
        out = from_pdf(data, limits)
    elif kind == "heic":
        return Extracted(
            reason="HEIC photos cannot be read; set the camera to JPEG ('Most Compatible')."
        )
    elif kind == "text":
        out = from_text(data)
        if suffix in {".jpg", ".jpeg", ".png", ".gif", ".tif", ".tiff", ".webp", ".pdf", ".heic"}:
            out.note = f"The file is named {suffix} but holds plain text."
    else:
        return Extracted(reason="The file is not a photo, a PDF or a text file.")
    return out
