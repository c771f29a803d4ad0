from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from .models import AccessEntry


@require_GET
@require(Cap.VIEW_ACCESS_LOG)
def log(request):
    entries = AccessEntry.objects.order_by("-seq")
    subject = (request.GET.get("subject") or "").strip()[:32]
    if subject:
        entries = entries.filter(subject=subject)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "subject": subject})
