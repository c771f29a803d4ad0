from django.shortcuts import render
from django.views.decorators.http import require_GET

from quietdesk.staff.access import public_view, require
from quietdesk.staff.roles import Cap


@require_GET
@require(Cap.USE_DESK)
def home(request):
    return render(request, "core/home.html")


@public_view
@require_GET
def healthz(request):
    from django.http import HttpResponse

    return HttpResponse("ok\n", content_type="text/plain")
