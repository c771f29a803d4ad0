"""The patron pages' languages: their writing direction, and whether a person has reviewed them.

A translation nobody has reviewed may say something the library does not mean, and on
these pages (know your rights, the privacy notice) that matters. So until the director
records that a person fluent in the language has read the pages against the English
(Guide > Patron page languages, ``services.do_set_translation_review``), every page in
that language says so, in that language and in English. The default language
(settings.LANGUAGE_CODE) is the original and never shows the notice.
"""

from __future__ import annotations

from django.conf import settings


def translated() -> list[tuple[str, str]]:
    """(code, name) of every language of the patron pages but the original."""
    return [(code, name) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def direction(code: str) -> str:
    """"rtl" for a right-to-left language (settings.LANGUAGES_BIDI, e.g. Arabic), else "ltr"."""
    return "rtl" if code.split("-")[0] in settings.LANGUAGES_BIDI else "ltr"


def reviewed_languages() -> set[str]:
    from .models import TranslationReview

    return set(TranslationReview.objects.filter(reviewed=True).values_list("language", flat=True))


def needs_review_notice(code: str) -> bool:
    """True while no person has been recorded as having reviewed this language's pages."""
    if code == settings.LANGUAGE_CODE or code not in dict(settings.LANGUAGES):
        return False
    return code not in reviewed_languages()


def review_states() -> list[dict]:
    """For the director's page: each translated language and whether it is reviewed."""
    from .models import TranslationReview

    rows = {r.language: r for r in TranslationReview.objects.all()}
    return [
        {"code": code, "name": name, "dir": direction(code),
         "reviewed": bool(rows.get(code) and rows[code].reviewed),
         "changed_at": rows[code].changed_at if code in rows else None}
        for code, name in translated()
    ]
