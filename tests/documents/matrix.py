"""A confusion matrix, printed as a plain-text table."""

from collections import Counter

SHORT = {
    "judicial_search_warrant": "jsw",
    "judicial_arrest_warrant": "jaw",
    "court_order": "ord",
    "fisa_order": "fisa",
    "national_security_letter": "nsl",
    "grand_jury_subpoena": "gjs",
    "court_subpoena": "csub",
    "administrative_subpoena": "adm",
    "ice_administrative_warrant": "ice",
    "immigration_detainer": "det",
    "notice_to_appear": "nta",
    "written_authorization": "auth",
    "unknown": "unk",
}
JUDICIAL = frozenset(
    {"judicial_search_warrant", "judicial_arrest_warrant", "court_order", "fisa_order"}
)


def table(pairs: list[tuple[str, str]], title: str) -> str:
    """pairs: (label, predicted). Rows are labels, columns predictions."""
    counts = Counter(pairs)
    kinds = list(SHORT)
    right = sum(n for (a, b), n in counts.items() if a == b)
    lines = [f"{title}: {right}/{len(pairs)} correct ({right / max(len(pairs), 1):.1%})"]
    lines.append("label \\ predicted " + " ".join(f"{SHORT[k]:>4}" for k in kinds))
    for label in kinds:
        row = [counts[(label, k)] for k in kinds]
        if any(row):
            lines.append(f"{SHORT[label]:>17} " + " ".join(f"{n or '.':>4}" for n in row))
    return "\n".join(lines)


def admin_as_judicial(rows: list[tuple[str, str, str, bool | None]]) -> list[str]:
    """rows: (name, label, predicted kind, signed_by_judge) -> the unsafe ones."""
    return [
        name
        for name, label, kind, judge in rows
        if label not in JUDICIAL and (kind in JUDICIAL or judge)
    ]
