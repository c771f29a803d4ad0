"""Translation completeness: the check in the test command, and what it catches."""

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from quietdesk.guide import translations

pytestmark = pytest.mark.nodb

PO_HEADER = '''msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Language: es\\n"

'''


def catalog(root: Path, body: str, compile_: bool = True) -> Path:
    po = root / "es" / "LC_MESSAGES" / "django.po"
    po.parent.mkdir(parents=True)
    po.write_text(PO_HEADER + body, encoding="utf-8")
    if compile_:
        subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    return po


@pytest.mark.slow  # runs xgettext over the sources
def test_every_catalog_is_complete():
    out = io.StringIO()
    call_command("i18n_check", stdout=out)
    assert "Translations complete: es, zh-hans, vi, ht, ar." in out.getvalue()


def test_untranslated_fuzzy_and_stale_entries_are_listed_and_fail(tmp_path):
    po = catalog(tmp_path, '''msgid "Translated"
msgstr "Traducido"

msgid "Not yet"
msgstr ""

#, fuzzy
msgid "Guessed"
msgstr "Adivinado"

msgctxt "door"
msgid "Open"
msgstr "Abierto"

msgid "One file"
msgid_plural "%(n)s files"
msgstr[0] "Un archivo"
msgstr[1] ""
''')
    out = io.StringIO()
    with override_settings(LANGUAGES=[("en", "English"), ("es", "Español")]), \
            pytest.raises(CommandError, match="3 translation problem"):
        call_command("i18n_check", "--locale-dir", str(tmp_path), "--no-extract", stdout=out)
    lines = out.getvalue().splitlines()
    assert f"es: {po}:9: untranslated: 'Not yet'" in lines
    assert f"es: {po}:13: fuzzy (needs checking): 'Guessed'" in lines
    assert f"es: {po}:20: untranslated: 'One file'" in lines
    # The .mo compiled from an older .po: what the page would show is not what the .po says.
    po.write_text(po.read_text(encoding="utf-8").replace('"Traducido"', '"Traducido ya"'), encoding="utf-8")
    problems = translations.catalog_problems("es", po)
    assert any(p.reason.startswith("compiled catalog out of date") and p.msgid == "Translated" for p in problems)
    po.with_suffix(".mo").unlink()
    assert any(p.reason.startswith("not compiled") for p in translations.catalog_problems("es", po))


def test_a_missing_catalog_is_a_problem(tmp_path):
    problems = translations.check(["es"], tmp_path, None)
    assert [p.reason for p in problems] == ["no catalog for this language"]


@pytest.mark.slow  # runs xgettext
def test_a_string_missing_from_the_catalog_is_found(tmp_path):
    source = tmp_path / "src" / "app" / "templates"
    source.mkdir(parents=True)
    (source / "page.html").write_text('{% load i18n %}<p>{% translate "Brand new words" %}</p>'
                                      '<p>{% translate "Translated" %}</p>', encoding="utf-8")
    catalog(tmp_path / "locale", 'msgid "Translated"\nmsgstr "Traducido"\n')
    problems = translations.check(["es"], tmp_path / "locale", tmp_path / "src")
    assert [(p.reason.split(" (")[0], p.msgid) for p in problems] == [("not in the catalog", "Brand new words")]


def test_the_catalog_is_where_the_settings_say_and_parses():
    po = Path(settings.LOCALE_PATHS[0]) / "es" / "LC_MESSAGES" / "django.po"
    entries = translations.parse_po(po)
    assert len(entries) > 100
    assert all(e.translated and not e.fuzzy for e in entries)
    assert po.with_suffix(".mo").exists()
    assert shutil.which("msgfmt"), "Debian's gettext is needed to compile catalogs (scripts/setup installs it)"


TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def test_every_language_of_the_patron_pages_has_a_complete_compiled_catalog():
    assert set(TRANSLATED) >= {"es", "zh-hans", "vi", "ht", "ar"}
    for language in TRANSLATED:
        po = translations.catalog_path(Path(settings.LOCALE_PATHS[0]), language)
        entries = translations.parse_po(po)
        assert len(entries) > 200, language
        assert translations.catalog_problems(language, po) == [], language
    assert translations.catalog_path(Path("x"), "zh-hans") == Path("x/zh_Hans/LC_MESSAGES/django.po")


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_missing_translation_in_any_language_fails_the_check(tmp_path, language):
    locale = tmp_path / "locale"
    shutil.copytree(settings.LOCALE_PATHS[0], locale)
    po = translations.catalog_path(locale, language)
    text = po.read_text(encoding="utf-8")
    msgid = 'msgid "Know your rights"\n'
    start = text.index(msgid) + len(msgid)
    end = text.index("\n", start)
    po.write_text(text[:start] + 'msgstr ""' + text[end:], encoding="utf-8")
    subprocess.run(["msgfmt", "-o", str(po.with_suffix(".mo")), str(po)], check=True)
    out = io.StringIO()
    with pytest.raises(CommandError, match="^1 translation problem"):
        call_command("i18n_check", "--locale-dir", str(locale), "--no-extract", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "untranslated" in x)
    assert line.startswith(f"{language}: {po}:") and line.endswith("untranslated: 'Know your rights'")


@pytest.mark.parametrize("language", TRANSLATED)
def test_a_language_without_a_catalog_fails_the_check(tmp_path, language):
    problems = translations.check([language], tmp_path, None)
    assert [(p.language, p.reason) for p in problems] == [(language, "no catalog for this language")]
