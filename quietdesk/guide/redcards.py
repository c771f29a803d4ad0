"""Where the Immigrant Legal Resource Center's "Know Your Rights" red cards are, per language.

The ICE response protocol for library workers ("Programmatic Ideas", "Passive
programming": provide Know Your Rights red cards) points libraries to the ILRC's
print-your-own red cards, offered in about 19 languages. The ILRC publishes them on one
page (``ILRC_PAGE``) with a printable file per language.

``EDITIONS`` links a language straight to the ILRC's own file only where at least two
independent public sources give the same address for it (they were not opened from the
machine these were written on, which has no network); for any other language the
patron pages link to ``ILRC_PAGE`` with a note that the page is in English and lists the
cards by language. Addresses on ilrc.org change when files are replaced: the operator's
guide asks the library to check them once a year (docs/operators-guide.md, "Patron
pages and their languages"). Add an address only once you have opened it yourself.
"""

from __future__ import annotations

from dataclasses import dataclass

ILRC_PAGE = "https://www.ilrc.org/red-cards-tarjetas-rojas"

_FILES = "https://www.ilrc.org/sites/default/files/"
EDITIONS: dict[str, str] = {
    "en": _FILES + "documents/red_card-self_srv-english.pdf",
    "es": _FILES + "2025-01/Artwork%20for%20Printing%20Your%20Own%20Red%20Cards%20-%20Spanish.pdf",
    "ht": _FILES + "2023-06/Artwork%20for%20Printing%20Your%20Own%20Red%20Cards%20-%20Haitian%20Creole.pdf",
    # zh-hans, vi, ar: the ILRC offers cards in Chinese, Vietnamese and Arabic, but the public
    # sources found disagree on those files' addresses (Chinese, Arabic) or give only one
    # (Vietnamese), and none says which Chinese script; these languages link to ILRC_PAGE.
}


@dataclass(frozen=True)
class RedCardLink:
    url: str
    in_language: bool  # False: the ILRC's page in English, where the reader picks their language


def link_for(language: str) -> RedCardLink:
    if language in EDITIONS:
        return RedCardLink(EDITIONS[language], True)
    return RedCardLink(ILRC_PAGE, False)
