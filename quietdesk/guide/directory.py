"""The resources directory: hotlines, legal services, immigration and privacy help."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf.locale import LANG_INFO
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from .models import Resource

# Patron-facing names for the kinds of resource (the model's labels are the staff side's).
KIND_LABELS: dict[str, str | Promise] = {
    Resource.Kind.HOTLINE: _("Hotlines"),
    Resource.Kind.LEGAL: _("Legal services"),
    Resource.Kind.IMMIGRATION: _("Immigration help"),
    Resource.Kind.PRIVACY: _("Privacy and digital security"),
    Resource.Kind.SUPPORT: _("Crisis and community support"),
}


# Languages immigrant communities often need that Django does not list (LANG_INFO).
EXTRA_LANGUAGES = {
    "am": _("Amharic"),
    "hmn": _("Hmong"),
    "ht": _("Haitian Creole"),
    "mam": _("Mam"),
    "prs": _("Dari"),
    "ps": _("Pashto"),
    "quc": _("K'iche'"),
    "so": _("Somali"),
    "ti": _("Tigrinya"),
    "tl": _("Tagalog"),
}
PHONE_NUMBER = re.compile(r"\+?\d[\d\-\s().]*\d|\d")


@dataclass
class Entry:
    resource: Resource
    description: str
    languages: list[str]

    @property
    def dial(self) -> str:
        """The number to put in a tel: link ("1-844-363-1423 (text 877877)" -> "1-844-363-1423")."""
        match = PHONE_NUMBER.search(self.resource.phone or "")
        return re.sub(r"[\s().]", "", match.group(0)) if match else ""


@dataclass
class Group:
    kind: str
    label: object
    entries: list[Entry]


def language_name(code: str) -> str:
    """A language's name in the language of the page (Django's own catalog translates them)."""
    if code in EXTRA_LANGUAGES:
        return str(EXTRA_LANGUAGES[code])
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def parse_languages(text: str) -> list[str]:
    """"en, es, vi" -> ["en", "es", "vi"]; unknown codes are refused, naming them."""
    codes = [c.strip().lower() for c in (text or "").replace(";", ",").split(",") if c.strip()]
    unknown = [c for c in codes if c not in LANG_INFO and c not in EXTRA_LANGUAGES]
    if unknown:
        raise ValidationError(
            "Unknown language code(s): %(codes)s. Use codes such as en, es, vi, zh-hans, ar, tl, ht, mam.",
            params={"codes": ", ".join(unknown)}, code="language",
        )
    return list(dict.fromkeys(codes))


def groups(language: str, *, public_only: bool) -> list[Group]:
    rows = Resource.objects.all()
    if public_only:
        rows = rows.filter(public=True)
    by_kind: dict[str, list[Entry]] = {}
    for r in rows:
        by_kind.setdefault(r.kind, []).append(
            Entry(r, r.description_in(language), [language_name(c) for c in r.languages or []])
        )
    return [Group(kind, KIND_LABELS[kind], by_kind[kind]) for kind in Resource.Kind.values if kind in by_kind]
