"""quietdesk bench classify --json [--limit N] [--no-photos] [--pdf-every N] [--damage LEVEL]

Runs the document reader over the sample corpus in tests/documents/corpus: every text
file, a damaged phone photo of every document (harsh: skew up to 7 degrees, blur,
a shadow, dimness, noise, JPEG at quality 28-70; --damage extreme: smaller, blurrier,
darker, JPEG quality 25-40), and a scanned PDF and a text PDF of every Nth document.

documents               items read (text files + photos + PDFs)
accuracy                share of items whose kind matches the label
admin_as_judicial       items labelled not-judicial (ICE warrant, subpoena, NTA, NSL,
                        authorization, unknown) that came out judicial; must be 0
seconds_per_page_p50    median seconds per OCR'd page (photos and scanned PDF pages),
seconds_per_page_p95    from bytes in to classification out: decode, clean-up, OCR
                        (Tesseract eng+spa), classification (wall clock)
cpu_seconds_per_page_*  the same in CPU time (this process and Tesseract): what the
                        page costs when the machine is not shared
load_average            the 1-minute load average before and after (2 cores here)
fact_flips              OCR'd items read as the right kind whose validity facts
                        (out_of_state, expired, names_other_premises) or date of
                        issue contradict the clean text's (another value): must be 0
facts_lost              the same, read as null ("cannot tell") from a poor photo
confusion               {label: {predicted: count}}
by_source               accuracy for text, photo, pdf-text, pdf-scan
"""

import datetime
import importlib.util
import json
import os
import resource
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

NEEDS_DATABASE = False
ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "documents" / "corpus"
JUDICIAL = {"judicial_search_warrant", "judicial_arrest_warrant", "court_order", "fisa_order"}
FACTS = ("out_of_state", "expired", "names_other_premises")


def add_arguments(parser):
    parser.add_argument("--limit", type=int, default=0, help="Only the first N documents.")
    parser.add_argument("--no-photos", action="store_true", help="Skip the OCR of photos.")
    parser.add_argument(
        "--pdf-every", type=int, default=4, help="PDFs of every Nth document (0: none)."
    )
    parser.add_argument(
        "--damage",
        choices=("mild", "harsh", "extreme"),
        default="harsh",
        help="Photo damage: mild (as in the tests), harsh (default), extreme (worse than "
        "staff should ever send).",
    )


def _render_module():
    spec = importlib.util.spec_from_file_location(
        "qd_render", ROOT / "tests" / "documents" / "render.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("qd_render", module)
    spec.loader.exec_module(module)
    return module


def _cpu() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # Tesseract runs as a child
    return time.process_time() + children.ru_utime + children.ru_stime


def _percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    if len(values) == 1:
        return round(values[0], 3)
    return round(statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1], 3)


def _damage(render, name: str, level: str):
    if level == "extreme":
        return render.Damage.extreme(name)
    return render.Damage.random(name, harsh=level == "harsh")


def run(
    limit: int = 0, no_photos: bool = False, pdf_every: int = 4, damage: str = "harsh", **_ignored
) -> dict:
    from quietdesk.documents.pipeline import read_document

    meta = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    today = datetime.date.fromisoformat(meta["today"])
    state = meta["library_state"]
    branches = meta.get("branch_addresses", [])
    rows = meta["documents"][: limit or None]
    render = _render_module()
    items: list[tuple[str, str, str, object]] = []  # (name, source, label, input)
    for i, row in enumerate(rows):
        name = row["file"].removesuffix(".txt")
        text = (CORPUS / row["file"]).read_text(encoding="utf-8")
        items.append((name, "text", row["kind"], CORPUS / row["file"]))
        if not no_photos:
            page = render.render_page(text, render.FONTS[i % len(render.FONTS)])
            photo = render.photograph(page, _damage(render, name, damage), name)
            items.append((name, "photo", row["kind"], photo))
            if pdf_every and i % pdf_every == 0:
                items.append((name, "pdf-scan", row["kind"], render.scanned_pdf(photo)))
        if pdf_every and i % pdf_every == 1:
            items.append((name, "pdf-text", row["kind"], render.text_pdf(text)))

    confusion: dict[str, Counter] = defaultdict(Counter)
    by_source: dict[str, list[bool]] = defaultdict(list)
    ocr_seconds: list[float] = []
    ocr_cpu: list[float] = []
    load_before = round(os.getloadavg()[0], 2)
    admin_as_judicial: list[str] = []
    clean: dict[str, object] = {}  # the text file's reading, to compare the photos with
    fact_flips: list[str] = []
    facts_lost: list[str] = []
    for name, source, label, data in items:
        started, cpu = time.perf_counter(), _cpu()
        c = read_document(data, today=today, library_state=state, branch_addresses=branches)
        elapsed = time.perf_counter() - started
        if source in ("photo", "pdf-scan"):
            ocr_seconds.append(elapsed)
            ocr_cpu.append(_cpu() - cpu)
        confusion[label][c.kind] += 1
        by_source[source].append(c.kind == label)
        if label not in JUDICIAL and (c.kind in JUDICIAL or c.signed_by_judge):
            admin_as_judicial.append(f"{name} ({source})")
        if source == "text":
            clean[name] = c
        elif source in ("photo", "pdf-scan") and c.kind == label == clean[name].kind:
            ref = clean[name]
            pairs = [(f, getattr(ref, f), getattr(c, f)) for f in FACTS]
            pairs.append(("issued", ref.dates["issued"], c.dates["issued"]))
            for fact, was, now in pairs:
                if was != now:  # contradicted, or lost (read as null: "cannot tell")
                    changed = fact_flips if now is not None else facts_lost
                    changed.append(f"{name} ({source}): {fact} {was} -> {now}")
    correct = sum(sum(v) for v in by_source.values())
    return {
        "damage": damage,
        "documents": len(items),
        "accuracy": round(correct / len(items), 4) if items else None,
        "admin_as_judicial": len(admin_as_judicial),
        "admin_as_judicial_items": admin_as_judicial,
        "fact_flips": len(fact_flips),
        "fact_flips_items": fact_flips,
        "facts_lost": len(facts_lost),
        "facts_lost_items": facts_lost,
        "seconds_per_page_p50": _percentile(ocr_seconds, 50),
        "seconds_per_page_p95": _percentile(ocr_seconds, 95),
        "cpu_seconds_per_page_p50": _percentile(ocr_cpu, 50),
        "cpu_seconds_per_page_p95": _percentile(ocr_cpu, 95),
        "ocr_pages": len(ocr_seconds),
        "load_average": [load_before, round(os.getloadavg()[0], 2)],
        "by_source": {
            k: {"items": len(v), "accuracy": round(sum(v) / len(v), 4)}
            for k, v in by_source.items()
        },
        "confusion": {label: dict(counts) for label, counts in sorted(confusion.items())},
        "mistakes": [
            f"{label} -> {pred}: {n}"
            for label, counts in sorted(confusion.items())
            for pred, n in counts.items()
            if pred != label
        ],
    }


if __name__ == "__main__":  # python -m bench.classify
    import argparse

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    print(json.dumps(run(**vars(parser.parse_args())), indent=2))
