"""`quietdesk i18n_check`: list the patron-facing strings a translation lacks; exit 1 if any.

Checks each language of settings.LANGUAGES (but the default) in the catalog under
LOCALE_PATHS: untranslated and fuzzy entries, a compiled .mo that is missing or
out of date, and strings in the sources that are not in the catalog yet (found
with Django's makemessages on a copy of the sources; needs Debian's gettext).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from quietdesk.guide import translations


class Command(BaseCommand):
    help = "List untranslated, fuzzy, uncompiled or unextracted strings; exit non-zero if there are any."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--locale-dir", type=Path, default=None, help="Catalog directory (default: LOCALE_PATHS[0]).")
        parser.add_argument("--no-extract", action="store_true",
                            help="Do not look for strings missing from the catalog (no xgettext needed).")

    def handle(self, *args, **opts):
        locale_dir = opts["locale_dir"] or Path(settings.LOCALE_PATHS[0])
        languages = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        source_root = None if opts["no_extract"] else Path(settings.BASE_DIR)
        try:
            problems = translations.check(languages, locale_dir, source_root)
        except (RuntimeError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        for problem in problems:
            self.stdout.write(str(problem))
        from quietdesk.guide import privacy_notice

        for language in languages:
            for category in privacy_notice.untranslated_periods(language):
                self.stdout.write(
                    f"warning: {language}: the retention period for {category!r} shows in English: "
                    "quietdesk.retention.public_schedule() does not translate it"
                )
        if problems:
            raise CommandError(
                f"{len(problems)} translation problem(s): these strings show in English until fixed."
            )
        self.stdout.write(f"Translations complete: {', '.join(languages)}.")
