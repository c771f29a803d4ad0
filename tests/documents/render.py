"""Turn corpus text into what staff actually photograph: a printed page, then a phone
photo of it (skew, blur, shadow, dimness, sensor noise, JPEG artefacts), plus text and
scanned PDFs. Deterministic: every random choice comes from a seed.
"""

import hashlib
import io
import random
import textwrap
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FONTS = ("DejaVuSerif", "DejaVuSans", "DejaVuSansCondensed", "DejaVuSerifCondensed")
PAGE = (1700, 2200)  # US letter at 200 dpi
MARGIN = 130


def _font(name: str, size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(FONT_DIR / f"{name}{'-Bold' if bold else ''}.ttf"), size)


def _is_heading(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and len(line) < 60 and all(c.isupper() for c in letters)


def render_page(text: str, font_name: str = "DejaVuSerif") -> Image.Image:
    """The document printed on a white page, headings bold and centred."""
    lines: list[tuple[str, bool]] = []
    for raw in text.strip("\n").split("\n"):
        heading = _is_heading(raw)
        for part in textwrap.wrap(raw, 84) or [""]:
            lines.append((part, heading))
    usable = PAGE[1] - 2 * MARGIN
    size = max(22, min(34, int(usable / (len(lines) * 1.45))))
    width_ok = False
    while not width_ok and size > 20:
        body = _font(font_name, size)
        width_ok = all(body.getlength(t) <= PAGE[0] - 2 * MARGIN for t, _ in lines)
        size -= 0 if width_ok else 1
    body, bold = _font(font_name, size), _font(font_name, size, bold=True)
    img = Image.new("L", PAGE, 255)
    draw = ImageDraw.Draw(img)
    y = MARGIN
    for t, heading in lines:
        font = bold if heading else body
        x = (PAGE[0] - font.getlength(t)) / 2 if heading else MARGIN
        draw.text((x, y), t, font=font, fill=20)
        y += int(size * 1.45)
    return img


@dataclass(frozen=True)
class Damage:
    angle: float  # degrees
    blur: float  # Gaussian radius, pixels
    shadow: float  # darkest fraction of light at one edge (1.0: no shadow)
    dim: float  # overall brightness
    noise: float  # sensor noise sigma
    quality: int  # JPEG quality
    scale: float  # photo size relative to the page

    @classmethod
    def random(cls, seed: str, harsh: bool = False) -> "Damage":
        rng = random.Random(seed)
        k = 1.4 if harsh else 1.0
        return cls(
            angle=rng.choice((-1, 1)) * rng.uniform(0.5, 5.0 * k),
            blur=rng.uniform(0.4, 1.0 * k),
            shadow=rng.uniform(0.45 / k, 0.85),
            dim=rng.uniform(0.6 / k, 0.9),
            noise=rng.uniform(3, 8 * k),
            quality=rng.randint(int(40 / k), 70),
            scale=rng.uniform(0.75, 1.1),
        )

    @classmethod
    def extreme(cls, seed: str) -> "Damage":
        """Worse than staff should ever send: small, very blurred, very dark, badly skewed."""
        rng = random.Random(seed + "/extreme")
        return cls(
            angle=rng.choice((-1, 1)) * rng.uniform(4, 10),
            blur=rng.uniform(1.4, 2.2),
            shadow=rng.uniform(0.3, 0.5),
            dim=rng.uniform(0.35, 0.55),
            noise=rng.uniform(6, 12),
            quality=rng.randint(25, 40),
            scale=rng.uniform(0.6, 0.8),
        )


def photograph(page: Image.Image, damage: Damage, seed: str) -> bytes:
    """A phone photo of the page on a desk, as JPEG bytes."""
    rng = np.random.default_rng(_seed_int(seed))
    rgb = page.convert("RGB")
    desk = Image.new("RGB", (int(PAGE[0] * 1.12), int(PAGE[1] * 1.08)), (96, 84, 70))
    desk.paste(rgb, ((desk.width - PAGE[0]) // 2, (desk.height - PAGE[1]) // 2))
    photo = desk.rotate(
        damage.angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=(96, 84, 70)
    )
    w, h = photo.size
    photo = photo.resize((int(w * damage.scale), int(h * damage.scale)), Image.Resampling.BILINEAR)
    photo = photo.filter(ImageFilter.GaussianBlur(damage.blur))
    arr = np.asarray(photo, dtype=np.float32)
    # Light falls off towards one corner: a shadow from the phone or a hand.
    yy, xx = np.mgrid[0 : arr.shape[0], 0 : arr.shape[1]].astype(np.float32)
    fx, fy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    ramp = (xx / arr.shape[1] - 0.5) * fx + (yy / arr.shape[0] - 0.5) * fy
    ramp = (ramp - ramp.min()) / max(float(np.ptp(ramp)), 1e-6)
    light = damage.dim * (1.0 - (1.0 - damage.shadow) * ramp)
    arr = arr * light[..., None] * np.array([1.0, 0.97, 0.9], dtype=np.float32)  # warm indoor light
    arr += rng.normal(0, damage.noise, arr.shape).astype(np.float32)
    out = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "RGB")
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=damage.quality)
    return buf.getvalue()


def _seed_int(seed: str) -> int:
    return int(hashlib.sha256(seed.encode("utf-8")).hexdigest()[:12], 16)


def text_pdf(text: str) -> bytes:
    """A PDF with a real text layer (what a court's e-filing system produces)."""
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.add_font("DejaVu", "", str(FONT_DIR / "DejaVuSerif.ttf"))
    pdf.set_font("DejaVu", size=10)
    pdf.add_page()
    for line in text.strip("\n").split("\n"):
        pdf.multi_cell(0, 5, line or " ", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def scanned_pdf(image_bytes: bytes) -> bytes:
    """A PDF holding only a picture of the page (a scan or a photo saved as PDF)."""
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.add_page()
    pdf.image(io.BytesIO(image_bytes), x=0, y=0, w=pdf.w, h=pdf.h)
    return bytes(pdf.output())


def encrypted_pdf(text: str, password: str) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.multi_cell(0, 6, text)
    return bytes(pdf.output())
