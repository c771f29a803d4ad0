"""Image clean-up before OCR: orientation, size, uneven light, contrast, skew. Pure
(Pillow and numpy only; no Django).

A phone photo of a page at the desk is usually dim, lit from one side, a few degrees
off straight and slightly soft. Tesseract reads best from an upright, evenly lit,
high-contrast page whose text is 20 to 40 pixels tall, so:

1. apply the EXIF orientation and work in grey;
2. scale the long side to at most ``MAX_SIDE`` pixels (fewer pixels, faster OCR);
3. divide by a blurred background estimate, which removes shadows and dimness, and
   whiten what lies off the page (the desk);
4. stretch contrast, then a 3x3 median against the speckle that flattening a dim,
   noisy photo amplifies;
5. find the skew angle from the projection profile of dark pixels and rotate it away;
6. sharpen a little against blur.
"""

import numpy as np
from PIL import Image, ImageFilter, ImageOps

MAX_SIDE = 2000
MIN_SIDE = 1200  # small images are scaled up to this long side
MAX_SKEW = 12.0  # degrees searched either way


def _resize(img: Image.Image) -> Image.Image:
    long_side = max(img.size)
    if long_side > MAX_SIDE:
        scale = MAX_SIDE / long_side
    elif long_side < MIN_SIDE:
        scale = MIN_SIDE / long_side
    else:
        return img
    size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
    return img.resize(size, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BICUBIC)


PAPER = 0.45  # background at least this share of the brightest paper: the page, not the desk


def background(gray: Image.Image) -> tuple[np.ndarray, np.ndarray]:
    """The light falling on the page (text removed by a max filter, then blurred), and a
    mask of where the page is: bright background, shrunk a little away from its edges."""
    small = gray.reduce(8) if min(gray.size) >= 64 else gray
    bg = small.filter(ImageFilter.MaxFilter(5)).filter(ImageFilter.GaussianBlur(6))
    bg_small = np.asarray(bg, dtype=np.float32)
    paper = Image.fromarray(
        ((bg_small >= PAPER * np.percentile(bg_small, 99)) * 255).astype(np.uint8)
    )
    paper = paper.filter(ImageFilter.MinFilter(5)).resize(gray.size, Image.Resampling.NEAREST)
    full = np.asarray(bg.resize(gray.size, Image.Resampling.BILINEAR), dtype=np.float32)
    return np.maximum(full, 1.0), np.asarray(paper) > 0


def flatten_light(gray: Image.Image, bg: np.ndarray, paper: np.ndarray) -> Image.Image:
    """Divide by the background (removes shadows and dimness); what lies off the page
    (the desk, a sleeve) turns white so it neither confuses nor slows OCR."""
    g = np.asarray(gray, dtype=np.float32)
    flat = np.clip(g / bg * 255.0, 0, 255)
    if paper.mean() > 0.2:  # a page was found
        flat[~paper] = 255
    return Image.fromarray(flat.astype(np.uint8), mode="L")


def skew_angle(gray: Image.Image) -> float:
    """Degrees to rotate counter-clockwise so text lines run level (0.0 if unsure).
    Expects a flattened page (dark text on white)."""
    scale = 800 / max(gray.size)
    small = gray.resize((max(1, round(gray.width * scale)), max(1, round(gray.height * scale))))
    arr = np.asarray(small, dtype=np.uint8)
    dark = arr < 128
    ys, xs = np.nonzero(dark)
    if len(ys) < 200 or len(ys) > dark.size * 0.4:
        return 0.0
    ys = ys.astype(np.float32)
    xs = xs.astype(np.float32)
    height = arr.shape[0]

    def sharpness(deg: float) -> float:
        t = np.deg2rad(deg)
        proj = ys * np.cos(t) - xs * np.sin(t)
        hist = np.bincount(
            np.clip(proj + height, 0, 3 * height).astype(np.int32), minlength=3 * height
        )
        return float(np.square(np.diff(hist.astype(np.float32))).sum())

    coarse = np.arange(-MAX_SKEW, MAX_SKEW + 0.01, 1.0)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 1.0, best + 1.01, 0.2)
    best = max(fine, key=sharpness)
    return float(best) if abs(best) >= 0.3 else 0.0


def clean(img: Image.Image) -> Image.Image:
    """An image ready for Tesseract: grey, evenly lit, high contrast, upright."""
    img = ImageOps.exif_transpose(img)
    if img.mode in ("RGBA", "LA", "P"):
        base = Image.new("RGB", img.size, "white")
        rgba = img.convert("RGBA")
        base.paste(rgba, mask=rgba.getchannel("A"))
        img = base
    gray = _resize(img.convert("L"))
    gray = flatten_light(gray, *background(gray))
    gray = ImageOps.autocontrast(gray, cutoff=(1, 1))
    gray = gray.filter(ImageFilter.MedianFilter(3))  # sensor noise, amplified by flattening
    angle = skew_angle(gray)
    if angle:
        gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    return gray.filter(ImageFilter.UnsharpMask(radius=2, percent=60, threshold=3))
