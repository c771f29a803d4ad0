"""Checking the translation catalogs: what is missing, fuzzy, not compiled, or not extracted.

Missing translations fall back to English on the page; this module lists them so
the test command can fail until someone translates them. A ``.po`` file is read
with a small parser (no extra dependency); the compiled ``.mo`` is read with the
standard library's ``gettext``.
"""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_SUFFIXES = {".py", ".html", ".txt"}


@dataclass
class Entry:
    msgid: str
    line: int
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.msgctxt, self.msgid)

    @property
    def translated(self) -> bool:
        return bool(self.msgstr) and all(s for s in self.msgstr)

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


@dataclass(frozen=True)
class Problem:
    language: str
    where: str
    reason: str
    msgid: str

    def __str__(self) -> str:
        text = self.msgid if len(self.msgid) <= 70 else self.msgid[:67] + "..."
        return f"{self.language}: {self.where}: {self.reason}: {text!r}"


def _unquote(text: str, path: Path, line: int) -> str:
    text = text.strip()
    if not (len(text) >= 2 and text[0] == text[-1] == '"'):
        raise ValueError(f"{path}:{line}: expected a quoted string")
    return ast.literal_eval(text)


def parse_po(path: Path) -> list[Entry]:
    """Entries of a .po file (obsolete ``#~`` entries and the header are left out)."""
    entries: list[Entry] = []
    current: Entry | None = None
    has_msgid = False
    flags: set[str] = set()
    target: tuple[str, int | None] | None = None

    def start(number: int) -> Entry:
        nonlocal flags, has_msgid
        if current is not None and current.msgid != "":
            entries.append(current)
        entry, flags, has_msgid = Entry(msgid="", line=number, flags=flags), set(), False
        return entry

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        if line.startswith('"'):
            if current is None or target is None:
                raise ValueError(f"{path}:{number}: a string continues nothing")
            value = _unquote(line, path, number)
            name, index = target
            if name == "msgstr" and index is not None:
                current.msgstr[index] += value
            else:
                setattr(current, name, getattr(current, name) + value)
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgctxt" or (keyword == "msgid" and (current is None or has_msgid)):
            current = start(number)
        if current is None:
            raise ValueError(f"{path}:{number}: unexpected {keyword!r}")
        value = _unquote(rest, path, number)
        if keyword == "msgctxt":
            current.msgctxt, target = value, ("msgctxt", None)
        elif keyword == "msgid":
            current.msgid, current.line, target, has_msgid = value, number, ("msgid", None), True
        elif keyword == "msgid_plural":
            current.msgid_plural, target = value, ("msgid_plural", None)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            current.msgstr.append(value)
            target = ("msgstr", len(current.msgstr) - 1)
        else:
            raise ValueError(f"{path}:{number}: unknown keyword {keyword!r}")
    if current is not None and current.msgid != "":
        entries.append(current)
    return entries


def catalog_problems(language: str, po: Path) -> list[Problem]:
    """Untranslated and fuzzy entries, and a compiled catalog that is missing or out of date."""
    problems = []
    entries = parse_po(po)
    for e in entries:
        where = f"{po}:{e.line}"
        if e.fuzzy:
            problems.append(Problem(language, where, "fuzzy (needs checking)", e.msgid))
        elif not e.translated:
            problems.append(Problem(language, where, "untranslated", e.msgid))
    mo = po.with_suffix(".mo")
    if not mo.exists():
        return [*problems, Problem(language, str(mo), "not compiled (run: quietdesk compilemessages)", "")]
    with mo.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]  # noqa: SLF001 (the standard parser's table has no public name)
    for e in entries:
        if e.fuzzy or not e.translated:
            continue
        prefix = f"{e.msgctxt}\x04" if e.msgctxt is not None else ""
        if e.msgid_plural is None:
            same = compiled.get(prefix + e.msgid) == e.msgstr[0]
        else:
            same = all(compiled.get((prefix + e.msgid, i)) == s for i, s in enumerate(e.msgstr))
        if not same:
            problems.append(Problem(language, f"{po}:{e.line}",
                                    "compiled catalog out of date (run: quietdesk compilemessages)", e.msgid))
    return problems


def extracted_keys(source_root: Path, language: str) -> set[tuple[str | None, str]]:
    """Every translatable string in the sources, found by Django's own makemessages (xgettext).

    Runs on a copy of the sources so the real catalog is not touched.
    """
    from django.core.management import call_command
    from django.test.utils import override_settings

    if shutil.which("xgettext") is None:
        raise RuntimeError("xgettext is missing: install Debian's gettext package (scripts/setup does).")
    with tempfile.TemporaryDirectory(prefix="qd-i18n-") as tmp:
        work = Path(tmp) / "src"
        for path in source_root.rglob("*"):
            rel = path.relative_to(source_root)
            if path.is_file() and path.suffix in SOURCE_SUFFIXES and not {"locale", "migrations"} & set(rel.parts):
                (work / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, work / rel)
        (work / "locale").mkdir(parents=True)
        before = Path.cwd()
        os.chdir(work)
        try:
            with override_settings(LOCALE_PATHS=[]):
                call_command("makemessages", locale=[language], verbosity=0, no_obsolete=True)
        finally:
            os.chdir(before)
        po = work / "locale" / language / "LC_MESSAGES" / "django.po"
        return {e.key for e in parse_po(po)} if po.exists() else set()


def catalog_path(locale_dir: Path, language: str) -> Path:
    """The .po file of a language code of settings.LANGUAGES: zh-hans is in locale/zh_Hans/."""
    from django.utils.translation import to_locale

    return locale_dir / to_locale(language) / "LC_MESSAGES" / "django.po"


def check(languages, locale_dir: Path, source_root: Path | None) -> list[Problem]:
    from django.utils.translation import to_locale

    problems: list[Problem] = []
    for language in languages:
        po = catalog_path(locale_dir, language)
        if not po.exists():
            problems.append(Problem(language, str(po), "no catalog for this language", ""))
            continue
        problems.extend(catalog_problems(language, po))
        if source_root is not None:
            known = {e.key for e in parse_po(po)}
            for ctxt, msgid in sorted(extracted_keys(source_root, to_locale(language)) - known, key=lambda k: k[1]):
                problems.append(Problem(language, str(po), "not in the catalog (run: quietdesk makemessages)",
                                        msgid if ctxt is None else f"{ctxt}|{msgid}"))
    return problems
