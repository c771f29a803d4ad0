from pathlib import Path

from django.shortcuts import render
from django.views.decorators.http import require_GET

from quietdesk.staff.access import public_view, require
from quietdesk.staff.roles import Cap

FAVICON = Path(__file__).resolve().parent / "static" / "quietdesk" / "favicon.ico"


@require_GET
@require(Cap.USE_DESK)
def home(request):
    return render(request, "core/home.html")


@public_view
@require_GET
def healthz(request):
    from django.http import HttpResponse

    return HttpResponse("ok\n", content_type="text/plain")


@public_view
@require_GET
def favicon(request):
    """Browsers and tools that ask for /favicon.ico without reading the page's links."""
    from django.http import HttpResponse

    return HttpResponse(FAVICON.read_bytes(), content_type="image/vnd.microsoft.icon")
