"""Printable sheets: door signs for the library's areas, red cards, QR codes to the patron pages."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_GET

from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .. import languages, qr, redcards
from ..models import Zone
from .public import PAGES

CARDS_PER_SHEET = 8


def _languages() -> list[tuple[str, str]]:
    return list(settings.LANGUAGES)  # each named in its own language


def public_url(request, page: str, language: str) -> str:
    with translation.override(language):
        return request.build_absolute_uri(reverse(f"public:{page}"))


@require_GET
@require(Cap.VIEW_GUIDE)
def signs(request):
    zones = list(Zone.objects.select_related("branch"))
    return render(request, "guide/print/signs.html", {
        "zones": zones, "languages": [(code, name, languages.direction(code)) for code, name in _languages()],
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def red_cards(request):
    editions = [{"code": code, "name": name, "dir": languages.direction(code), "ilrc": redcards.link_for(code)}
                for code, name in _languages()]
    return render(request, "guide/print/red_cards_index.html", {"languages": editions, "ilrc_page": redcards.ILRC_PAGE})


@require_GET
@require(Cap.VIEW_GUIDE)
def red_card_sheet(request, language: str):
    if language not in dict(settings.LANGUAGES):
        raise Http404
    url = public_url(request, "rights", language)
    return render(request, "guide/print/red_cards.html", {
        "language": language, "url": url, "qr": qr.svg(url, scale=3),
        "cards": range(CARDS_PER_SHEET), "name": dict(_languages())[language],
        "text_direction": languages.direction(language),
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def qr_codes(request):
    codes = []
    for code, name in _languages():
        for page in ("index", "rights", "resources"):
            url = public_url(request, page, code)
            codes.append({"language": code, "name": name, "dir": languages.direction(code), "page": page, "url": url, "svg": qr.svg(url, scale=4)})
    return render(request, "guide/print/qr.html", {"codes": codes, "pages": PAGES})
