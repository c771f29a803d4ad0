"""quietdesk bench scan --json [--notes N] [--seed S] [--repeat R]

The privacy audit's high-risk scanner (quietdesk/privacy/audit_report/scanner.py)
against Microsoft Presidio's analyzer with its predefined recognizers, on the
same synthetic desk notes (tests/privacy/scanner_corpus.py), in the same
run. Presidio runs offline: ``NoOpNlpEngine`` (no spaCy model, nothing
downloaded), the public-suffix list from tldextract's bundled snapshot, score
threshold 0 (every candidate counts: the most generous reading of its recall),
asked only for the entities compared (which also spares it the other
recognizers' time).

notes                  how many notes
chars                  their total length
chars_per_s            quietdesk's scanner (best of --repeat runs)
presidio_chars_per_s   Presidio's analyzer on the same notes (one run: it is slow)
speedup                chars_per_s / presidio_chars_per_s (goal: at least 10)
recall, precision      per kind, quietdesk
presidio_recall, presidio_precision
                       per kind; None where Presidio has no recognizer for the
                       kind (A-numbers, immigration-status words): it finds none
                       of them, so its recall there is 0
"""

from __future__ import annotations

import time

NEEDS_DATABASE = False
# Presidio entity -> our kind. It has nothing for A-numbers or immigration-status words.
PRESIDIO_KINDS = {
    "US_SSN": "ssn", "US_ITIN": "itin", "US_PASSPORT": "passport", "PHONE_NUMBER": "phone", "EMAIL_ADDRESS": "email",
}


def add_arguments(parser):
    parser.add_argument("--notes", type=int, default=3000, help="How many synthetic notes (default 3000).")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="Runs of quietdesk's scanner (best one counts).")


def presidio_analyzer():
    """Presidio's AnalyzerEngine with its predefined recognizers, fully offline."""
    import tldextract
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NoOpNlpEngine

    # tldextract would fetch the public-suffix list from the Internet on first use.
    offline = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)
    tldextract.extract = offline
    engine = NoOpNlpEngine(models=[{"lang_code": "en", "model_name": "none"}])
    return AnalyzerEngine(nlp_engine=engine, supported_languages=["en"])


def run(notes: int = 3000, seed: int = 7, repeat: int = 3) -> dict:
    import logging

    from quietdesk.privacy.audit_report import scanner
    from tests.privacy import scanner_corpus as corpus

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    data = corpus.generate(notes, seed)
    texts = [n.text for n in data]
    chars = sum(len(t) for t in texts)

    best = float("inf")
    for _ in range(max(1, repeat)):
        start = time.perf_counter()
        ours = [scanner.scan(t) for t in texts]
        best = min(best, time.perf_counter() - start)
    by_text = dict(zip(texts, ours, strict=True))
    quality = corpus.evaluate(data, lambda t: [(f.kind, f.start, f.end) for f in by_text[t]])

    analyzer = presidio_analyzer()
    entities = list(PRESIDIO_KINDS)
    analyzer.analyze("warm up 415-555-0100", language="en", entities=entities)
    start = time.perf_counter()
    theirs = [analyzer.analyze(t, language="en", entities=entities, score_threshold=0.0) for t in texts]
    presidio_s = time.perf_counter() - start
    found = {t: [(PRESIDIO_KINDS[r.entity_type], r.start, r.end) for r in results if r.entity_type in PRESIDIO_KINDS]
             for t, results in zip(texts, theirs, strict=True)}
    presidio_quality = corpus.evaluate(data, lambda t: found[t])
    covered = set(PRESIDIO_KINDS.values())

    chars_per_s = chars / best
    presidio_chars_per_s = chars / presidio_s
    return {
        "notes": len(texts),
        "chars": chars,
        "chars_per_s": round(chars_per_s),
        "presidio_chars_per_s": round(presidio_chars_per_s),
        "speedup": round(chars_per_s / presidio_chars_per_s, 1),
        "recall": {k: v["recall"] for k, v in quality.items()},
        "precision": {k: v["precision"] for k, v in quality.items()},
        "presidio_recall": {k: (v["recall"] if k in covered else 0.0) for k, v in presidio_quality.items()},
        "presidio_precision": {k: (v["precision"] if k in covered else None) for k, v in presidio_quality.items()},
        "labelled": {k: v["labelled"] for k, v in quality.items()},
    }
