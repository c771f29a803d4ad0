"""Session fixtures: the committed text corpus, and its photos and PDFs rendered once."""

import datetime
import json
from pathlib import Path

import pytest
from PIL import Image

from . import render

CORPUS = Path(__file__).with_name("corpus")

# Photos OCR'd by the suite (the bench does all of them): every kind, both languages,
# and every administrative form that must never read as judicial.
PHOTOS = (
    "js_ao93_ndcal", "js_pr_registro_es", "ja_ao442_ndcal", "co_2703d_gag", "fi_primary_2024",
    "nsl_2709", "gj_ao110", "as_i138", "as_i138_es", "as_dea_876", "ice_i200",
    "ice_i205_court_judge_box", "ice_i200_es", "nta_i862", "nta_i862_es", "wa_form",
    "unk_immigration_judge_order", "unk_cropped_search_warrant",
    # issue 13: a state warrant and order, a court subpoena, a detainer, a summons, a
    # patron's permission (the bench reads the others)
    "js_texas_magistrate", "co_cook_judge_no", "cs_ny_ada_teste", "det_i247a_with_i200",
    "as_cbp_summons_1509", "wa_permission_holds",
)  # fmt: skip
SCANNED_PDFS = ("ice_i205", "js_ca_superior")
TURNED = ("as_i138",)  # also photographed sideways, with no EXIF orientation
TEXT_PDFS = ("nsl_short", "co_oregon", "nta_date_to_be_set")


@pytest.fixture(scope="session")
def corpus() -> dict:
    meta = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    meta["today"] = datetime.date.fromisoformat(meta["today"])
    meta["by_name"] = {row["file"].removesuffix(".txt"): row for row in meta["documents"]}
    return meta


def _text(name: str) -> str:
    return (CORPUS / f"{name}.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, corpus) -> list[tuple[str, str, Path]]:
    """(name, source, path) for every photo and PDF the suite reads."""
    out_dir = tmp_path_factory.mktemp("documents")
    items = []
    for i, name in enumerate((*PHOTOS, *SCANNED_PDFS)):
        page = render.render_page(_text(name), render.FONTS[i % len(render.FONTS)])
        photo = render.photograph(page, render.Damage.random(name), name)
        if name in SCANNED_PDFS:
            path = out_dir / f"{name}.pdf"
            path.write_bytes(render.scanned_pdf(photo))
            items.append((name, "pdf-scan", path))
        else:
            path = out_dir / f"{name}.jpg"
            path.write_bytes(photo)
            items.append((name, "photo", path))
        if name in TURNED:
            path = out_dir / f"{name}-turned.jpg"
            Image.open(path.with_name(f"{name}.jpg")).rotate(90, expand=True).save(path, quality=80)
            items.append((name, "photo-turned", path))
    for name in TEXT_PDFS:
        path = out_dir / f"{name}.pdf"
        path.write_bytes(render.text_pdf(_text(name)))
        items.append((name, "pdf-text", path))
    return items
