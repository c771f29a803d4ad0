"""The sample corpus: legal documents modelled on public descriptions of the real forms
(AO 93, AO 442, AO 110, AO 88B, DHS I-200, I-205, I-138, I-862, I-247A, 18 U.S.C. 2709
letters, 2703(d) orders, FISC orders, CBP and IRS summonses, state warrants, orders and
subpoenas), in our own words. Every person, officer, judge, case and address is made up.

Run ``python tests/documents/corpus_gen.py`` to rewrite tests/documents/corpus/*.txt
and labels.json. It is deterministic; test_corpus checks the committed files match.
"""

import datetime
import json
import sys
from pathlib import Path

CORPUS_DIR = Path(__file__).with_name("corpus")
TODAY = datetime.date(2025, 6, 16)  # the date every expectation is computed against
LIBRARY_STATE = "CA"
# The library's branches, for "names other premises" (core.Branch.address in the app).
BRANCH_ADDRESSES = (
    "100 Example Avenue, Riverside, California 92500",
    "7 Sample Street, Riverside, CA",
)

if __package__:
    from .docs_admin import DOCS as ADMIN
    from .docs_agency import DOCS as AGENCY
    from .docs_federal import DOCS as FEDERAL
    from .docs_judicial import DOCS as WARRANTS
    from .docs_orders import DOCS as ORDERS
    from .docs_other import DOCS as OTHER
    from .docs_state import DOCS as STATE
else:  # run as a script
    sys.path.insert(0, str(Path(__file__).parent))
    from docs_admin import DOCS as ADMIN
    from docs_agency import DOCS as AGENCY
    from docs_federal import DOCS as FEDERAL
    from docs_judicial import DOCS as WARRANTS
    from docs_orders import DOCS as ORDERS
    from docs_other import DOCS as OTHER
    from docs_state import DOCS as STATE

DOCS = (*WARRANTS, *ORDERS, *ADMIN, *FEDERAL, *OTHER, *STATE, *AGENCY)


def labels() -> list[dict]:
    out = []
    for name, kind, lang, expect, _text in DOCS:
        expect = dict(expect)
        row = {"file": f"{name}.txt", "kind": kind, "lang": lang}
        row["signed_by_judge"] = expect.pop("signed_by_judge", _judge_default(kind))
        row.update(expect)
        out.append(row)
    return out


def _judge_default(kind: str) -> bool | None:
    if kind == "unknown":
        return None
    return kind in {
        "judicial_search_warrant",
        "judicial_arrest_warrant",
        "court_order",
        "fisa_order",
    }


def files() -> dict[str, str]:
    out = {f"{name}.txt": text.strip("\n") + "\n" for name, _k, _l, _e, text in DOCS}
    meta = {
        "today": TODAY.isoformat(),
        "library_state": LIBRARY_STATE,
        "branch_addresses": list(BRANCH_ADDRESSES),
        "documents": labels(),
    }
    out["labels.json"] = json.dumps(meta, indent=1, ensure_ascii=False) + "\n"
    return out


def main() -> None:
    CORPUS_DIR.mkdir(exist_ok=True)
    wanted = files()
    for old in CORPUS_DIR.glob("*"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (CORPUS_DIR / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(wanted) - 1} documents to {CORPUS_DIR}")


if __name__ == "__main__":
    main()
