"""quietdesk's own lint rules: the "dangerous constructs" of docs/architecture.md, checked.

Like Zulip's tools/linter_lib/custom_check.py: each rule is a regular expression over
source lines (or whole files), with the files it applies to and an allow-list of the
few places where the construct is the reviewed, intended one. Run by scripts/test:

    python tools/custom_check.py [PATH ...]

It prints each hit as ``path:line: rule: why`` and exits 1 if there is any.
tests/test_custom_check.py proves every rule fires on a sample and stays quiet on its
allow-list.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Rule:
    name: str
    pattern: str
    why: str
    include: tuple[str, ...] = ("quietdesk/**/*.py",)
    exclude: tuple[str, ...] = ("quietdesk/**/migrations/*.py",)
    allow: frozenset[str] = field(default_factory=frozenset)  # files (relative) where it is intended

    def applies_to(self, rel: str) -> bool:
        path = Path(rel)
        if rel in self.allow:
            return False
        if not any(path.match(g) or _glob_match(rel, g) for g in self.include):
            return False
        return not any(path.match(g) or _glob_match(rel, g) for g in self.exclude)


def _glob_match(rel: str, pattern: str) -> bool:
    regex = re.escape(pattern).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
    return re.fullmatch(regex, rel) is not None


RULES = (
    Rule(
        "unseal-outside-the-reader",
        r"^\s*(from\s+quietdesk\.vault(\.unseal)?\s+import\s+.*\bunseal\b|import\s+quietdesk\.vault\.unseal|"
        r"from\s+\.\s+import\s+.*\bunseal\b|from\s+\.unseal\s+import)",
        "only vault/reader.py (and staff second-factor seeds) may open ciphertext",
        allow=frozenset({"quietdesk/vault/reader.py", "quietdesk/vault/staff_secrets.py"}),
    ),
    Rule(
        "reach-into-the-sealing-key",
        r"_SealOnly__aead",
        "the sealing key handed to other apps must not be used to decrypt",
    ),
    Rule(
        "import-fallback",
        r"^\s*except\s+(\(?\s*)?(ImportError|ModuleNotFoundError)\b",
        "a missing module must fail loudly: a silent fallback can fail open (non-disclosure, guidance)",
    ),
    Rule(
        "raw-cursor-outside-the-allow-list",
        r"(\bcursor\.execute(many)?\(|\bconnection\.connection\.execute\(|\bconn\.execute\()",
        "plain SQL only where it was reviewed: constant table and column names, measured hot paths, set-based jobs",
        allow=frozenset({
            "quietdesk/sql.py", "quietdesk/audit/verify.py", "quietdesk/audit/prune.py",
            "quietdesk/vault/datakeys.py", "quietdesk/vault/api.py", "quietdesk/vault/backup.py",
            "quietdesk/patrons/services.py", "quietdesk/circulation/services.py", "quietdesk/circulation/holds.py",
            "quietdesk/circulation/shelf.py",
            "quietdesk/circulation/history.py", "quietdesk/circulation/plain_sql.py", "quietdesk/circulation/koha.py",
            "quietdesk/retention/legal_holds.py", "quietdesk/retention/inventory.py", "quietdesk/retention/purge.py",
            "quietdesk/retention/steps.py", "quietdesk/records/retention_rules.py",
            "quietdesk/privacy/audit_report/access_review.py",
            "quietdesk/privacy/audit_report/audit_runs.py",  # a constant advisory lock, as stats/ledger.py
            "quietdesk/privacy/audit_report/compliance.py", "quietdesk/stats/ledger.py", "quietdesk/stats/sources.py",
            "quietdesk/ils/enforce.py", "quietdesk/ils/koha_db.py",
            "quietdesk/sip2/session.py",  # two constant SETs: PostgreSQL statement and lock timeouts
        }),
    ),
    Rule(
        "a-pseudonym-as-a-log-subject",
        r"\bappend\([^)]*\bsubject\s*=\s*[^,)]*pseudonym",
        "the access log names people by a sealed reference (vault.api.log_ref), never a pseudonym",
    ),
    Rule(
        "free-text-log-action",
        r"\b(append|record)\([^)]*\baction\s*=\s*[\"']",
        "access-log events are typed (audit.events.Event), not free text",
    ),
    Rule(
        "system-actor-in-a-view",
        r"\bActor\.system\(",
        "a view acts as the signed-in member of staff; system actors read what no role may",
        # An app's views are one views.py, or a views/ package with a module per area.
        include=("quietdesk/**/views.py", "quietdesk/**/views/*.py"),
    ),
    Rule(
        "csrf-exempt",
        r"\bcsrf_exempt\b",
        "CSRF protection is only lifted for machine APIs that authenticate otherwise",
        allow=frozenset({"quietdesk/circulation/json_api.py", "quietdesk/alerts/views/reports.py", "quietdesk/core/uploads.py"}),
    ),
    Rule(
        "mark-safe",
        r"\bmark_safe\(|\|\s*safe\b|{%\s*autoescape\s+off",
        "no unescaped output: SVGs and QR codes are built by reviewed code only",
        include=("quietdesk/**/*.py", "quietdesk/**/*.html"),
        allow=frozenset({"quietdesk/guide/qr.py", "quietdesk/stats/chart.py", "quietdesk/privacy/templates/privacy/audit/standalone.html",
                         "quietdesk/privacy/templates/privacy/audit/_body.html"}),
    ),
    Rule(
        "get-form-with-personal-fields",
        r"<form[^>]*method=[\"']get[\"'][^>]*>(?:(?!</form>).)*name=[\"'](card|card_number|name|given_name|"
        r"family_name|email|phone|query)[\"']",
        "a GET form puts what is typed in the URL, and so in the web server's and browsers' logs",
        include=("quietdesk/**/*.html",),
    ),
    Rule(
        "print-in-the-app",
        r"^\s*print\(",
        "print() bypasses logging's filters; management commands write to self.stdout",
        exclude=("quietdesk/**/migrations/*.py", "quietdesk/**/management/commands/*.py"),
        # Command-line entry points that speak before Django is set up (no patron data).
        allow=frozenset({"quietdesk/__main__.py", "quietdesk/config.py", "quietdesk/private_files.py"}),
    ),
)

MULTILINE = {"get-form-with-personal-fields"}


def check_text(rel: str, text: str) -> list[tuple[int, Rule]]:
    hits = []
    for rule in RULES:
        if not rule.applies_to(rel):
            continue
        if rule.name in MULTILINE:
            for m in re.finditer(rule.pattern, text, re.IGNORECASE | re.DOTALL):
                hits.append((text.count("\n", 0, m.start()) + 1, rule))
            continue
        regex = re.compile(rule.pattern)
        for number, line in enumerate(text.splitlines(), start=1):
            if regex.search(line):
                hits.append((number, rule))
    return hits


def files(paths: list[str]) -> list[Path]:
    roots = [ROOT / p for p in paths] if paths else [ROOT / "quietdesk"]
    out = []
    for root in roots:
        out += [root] if root.is_file() else [p for p in root.rglob("*") if p.suffix in {".py", ".html"}]
    return sorted(out)


def main(argv: list[str]) -> int:
    problems = 0
    for path in files(argv):
        rel = path.relative_to(ROOT).as_posix()
        for number, rule in check_text(rel, path.read_text(encoding="utf-8", errors="replace")):
            print(f"{rel}:{number}: {rule.name}: {rule.why}")
            problems += 1
    if problems:
        print(f"{problems} dangerous construct(s); see docs/architecture.md, \"Dangerous constructs\".")
        return 1
    print("No dangerous constructs.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
