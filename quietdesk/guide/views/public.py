"""Patron pages: no sign-in, no cookies, no scripts, nothing from other websites.

The language is the URL prefix (``PathLanguageMiddleware``); every string is
translated with Django's translation framework (``quietdesk i18n_check`` lists
what is missing). What the pages say about who may see records comes from the
policy engine (``facts``), so they cannot contradict what the software does.
"""

from django.conf import settings
from django.shortcuts import render
from django.urls import translate_url
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET

from quietdesk.staff.access import public_view

from .. import directory, facts, languages, privacy_notice, redcards

PAGES = ("index", "privacy", "keeps", "your_records", "resources", "rights")


def alternates(request) -> list[dict]:
    """This page in every language the library offers, each named in its own language (settings.LANGUAGES)."""
    current = get_language()
    return [
        {"code": code, "name": name, "current": code == current, "url": translate_url(request.path, code)}
        for code, name in settings.LANGUAGES
    ]


def _page(request, template: str, page: str, **context):
    code = get_language()
    context.update(alternates=alternates(request), page=page, text_direction=languages.direction(code),
                   unreviewed=languages.needs_review_notice(code),
                   english_url=translate_url(request.path, settings.LANGUAGE_CODE))
    return render(request, f"guide/public/{template}", context)


@public_view
@require_GET
def index(request):
    return _page(request, "index.html", "index")


@public_view
@require_GET
def privacy(request):
    return _page(request, "privacy.html", "privacy", sections=privacy_notice.sections(get_language()))


@public_view
@require_GET
def keeps(request):
    return _page(request, "keeps.html", "keeps", kept=privacy_notice.kept_records(get_language()), never=privacy_notice.NEVER_ASKED,
                 collect_address=settings.COLLECT_ADDRESS)


@public_view
@require_GET
def your_records(request):
    now, reviewed = facts.own_records()
    return _page(request, "your_records.html", "your_records", now=now, reviewed=reviewed)


@public_view
@require_GET
def resources_page(request):
    return _page(request, "resources.html", "resources", groups=directory.groups(get_language(), public_only=True))


@public_view
@require_GET
def rights(request):
    return _page(request, "rights.html", "rights", areas=facts.statements(facts.AREAS),
                 who=facts.statements(facts.WHO_CAN_SEE), red_card=redcards.link_for(get_language()))


@public_view
@require_GET
def transparency(request):
    """The transparency report (quietdesk.legal.transparency) in the reader's language."""
    from quietdesk.legal import transparency as report_of

    periods = report_of.finished_periods()
    chosen = report_of.Period.parse(request.GET.get("period", "")) or periods[0]
    if chosen not in periods:
        chosen = periods[0]
    report = report_of.report(chosen)
    # The report's labels are marked for translation where they are defined (gettext_noop).
    outcomes = [gettext(label) for label in report["outcomes"]]

    def rows(raw):
        return [{"label": gettext(r["label"]), "cells": list(zip(outcomes, r["counts"], strict=True)),
                 "total": r["total"]} for r in raw]

    tables = [
        (gettext("By type of request"), rows(report["by_document"]), gettext("Document presented")),
        (gettext("By who asked"), rows(report["by_requester"]), gettext("Who asked")),
    ]
    return _page(request, "transparency.html", "transparency", report=report, periods=periods, chosen=chosen,
                 outcomes=outcomes, tables=tables, band_width=report_of.BAND_WIDTH)
