"""Statistics (VIEW_STATS). The privacy officer's pages (audit, vendor register) are in quietdesk.privacy."""

import csv
import datetime
import io

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from . import chart, dp, ledger, sources
from .forms import QueryForm
from .models import Release
from .present import label, present
from .queries import QUERIES, BudgetExceeded, QueryError, do_release


def _budget_months(count: int = 12) -> list[str]:
    day = timezone.localdate().replace(day=1)
    months = []
    for _ in range(count):
        months.append(sources.month_key(day))
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return months


@require(Cap.VIEW_STATS)
@require_http_methods(["GET", "POST"])
def index(request):
    form = QueryForm(request.POST if request.method == "POST" else None)
    refused = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        epsilon = data.get("epsilon")
        try:
            release = do_release(Actor.for_user(request.user), data["kind"], first=data.get("first_month"),
                                 last=data.get("last_month"), epsilon=float(epsilon) if epsilon else None)
        except BudgetExceeded as exc:
            refused = exc
        except QueryError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("stats:release", pk=release.pk)
    return render(request, "stats/index.html", {
        "form": form, "refused": refused, "budget": ledger.overview(_budget_months()),
        "releases": [(r, label(r)) for r in Release.objects.all()[:30]], "queries": _noise_preview(),
        "per_month": settings.QUIETDESK_DP_EPSILON_BUDGET, "per_query": settings.QUIETDESK_DP_EPSILON_PER_QUERY,
    }, status=409 if refused else 200)


def _noise_preview() -> list[dict]:
    """Each table's 95% error at the default epsilon: public numbers, shown before anything is spent."""
    eps = settings.QUIETDESK_DP_EPSILON_PER_QUERY
    return [{"query": q, "error": dp.accuracy(dp.scale_for(q.bound, eps))} for q in QUERIES.values()]


def _release_context(release: Release) -> dict:
    query = QUERIES.get(release.kind)
    shown = present(release)
    dims = [c for c in release.columns if c != "count"]
    return {"release": release, "query": query, "shown": shown, "chart": chart.draw(shown, dims),
            "enforced": bool(query and query.enforced)}


@require(Cap.VIEW_STATS)
@require_GET
def release(request, pk: int):
    return render(request, "stats/release.html", _release_context(get_object_or_404(Release, pk=pk)))


@require(Cap.VIEW_STATS)
@require_GET
def release_csv(request, pk: int):
    release = get_object_or_404(Release, pk=pk)
    query = QUERIES.get(release.kind)
    shown = present(release)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([f"# {query.label if query else release.kind}; months {release.first_month} to {release.last_month}"])
    writer.writerow([f"# differential privacy: discrete Laplace noise, scale {release.scale:.2f}; epsilon "
                     f"{release.epsilon:g}; 95% of counts within +/-{release.accuracy95:.0f} of the true count; "
                     f"contribution bound {release.bound} per patron per month "
                     f"({'enforced' if query and query.enforced else 'declared'}); negative counts shown as 0"])
    writer.writerow(["# low_95 and high_95: the 95% interval around each count; too_noisy: the error is half the "
                     "count or more, do not quote the figure on its own"])
    writer.writerow([*release.columns, "low_95", "high_95", "too_noisy"])
    for figure in shown.figures:
        writer.writerow([*figure.keys, figure.count, figure.low, figure.high, "yes" if figure.swamped else "no"])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="statistics-{release.pk}-{release.kind}.csv"'
    return response
