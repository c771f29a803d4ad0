"""The privacy officer's pages (PRIVACY_AUDIT): the audit and the vendor register.

Asking for an audit only queues it (the worker builds it: it decrypts and scans, and
may take minutes); its page shows the state until the files are ready to download.
"""

import datetime

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from . import vendor_register
from .audit_report import audit_runs, files
from .forms import VendorForm
from .models import AuditRun, Vendor

STALLED_AFTER = datetime.timedelta(hours=1)

# --- the privacy audit -------------------------------------------------------


@require(Cap.PRIVACY_AUDIT)
@require_http_methods(["GET", "POST"])
def audit(request):
    if request.method == "POST":
        run = audit_runs.do_request_audit(Actor.for_user(request.user))
        return redirect("privacy:audit_run", pk=run.pk)
    runs = AuditRun.objects.only("id", "created_at", "created_by", "state")
    return render(request, "privacy/audit/index.html", {"runs": runs})


@require(Cap.PRIVACY_AUDIT)
@require_GET
def audit_run(request, pk: int):
    run = get_object_or_404(AuditRun, pk=pk)
    if run.state != AuditRun.State.DONE:
        # A worker stopped mid-build leaves the audit "running": say so rather than wait forever.
        stalled = run.state == AuditRun.State.RUNNING and run.created_at < timezone.now() - STALLED_AFTER
        return render(request, "privacy/audit/waiting.html", {"run": run, "stalled": stalled})
    return render(request, "privacy/audit/page.html", {
        "run": run, "report": run.data, "has_files": files.stored(run.pk, "pdf").exists()})


def _download(pk: int, kind: str):
    run = get_object_or_404(AuditRun, pk=pk, state=AuditRun.State.DONE)
    path = files.stored(run.pk, kind)
    if not path.exists():
        raise Http404("This audit's files are not kept: run a new audit.")
    return FileResponse(path.open("rb"), as_attachment=True, filename=f"privacy-audit-{run.pk}.{kind}",
                        content_type=files.KINDS[kind])


@require(Cap.PRIVACY_AUDIT)
@require_GET
def audit_pdf(request, pk: int):
    return _download(pk, "pdf")


@require(Cap.PRIVACY_AUDIT)
@require_GET
def audit_html(request, pk: int):
    return _download(pk, "html")


# --- the vendor register --------------------------------------------------------


@require(Cap.PRIVACY_AUDIT)
@require_GET
def vendor_list(request):
    return render(request, "privacy/vendors.html",
                  {"vendors": [(v, vendor_register.summary(v)) for v in Vendor.objects.all()]})


@require(Cap.PRIVACY_AUDIT)
@require_http_methods(["GET", "POST"])
def vendor_edit(request, pk=None):
    vendor = get_object_or_404(Vendor, pk=pk) if pk else None
    initial = VendorForm.initial_for(vendor) if vendor else None
    form = VendorForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        vendor_register.do_save_vendor(Actor.for_user(request.user), vendor, form.cleaned_data)
        return redirect("privacy:vendors")
    return render(request, "privacy/vendor_form.html", {"form": form, "vendor": vendor,
                                                        "missing": vendor_register.missing(vendor) if vendor else []})


@require(Cap.PRIVACY_AUDIT)
@require_POST
def vendor_delete(request, pk):
    vendor_register.do_delete_vendor(Actor.for_user(request.user), get_object_or_404(Vendor, pk=pk))
    return redirect("privacy:vendors")
