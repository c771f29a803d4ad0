"""Pages for programs, computer sessions, reference follow-up notes and the camera register."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from quietdesk.audit.service import Actor
from quietdesk.circulation import errors as circ_errors
from quietdesk.circulation.services import patron_by_card
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap

from . import forms, services
from .models import Camera, ComputerSession, Program, ProgramRegistration, ReferenceNote


def _bind(form_class, request):
    return form_class(request.POST if request.method == "POST" else None)


def _branch(request):
    return getattr(request.user, "branch", None)


@require(Cap.MANAGE_RECORDS)
@require_http_methods(["GET", "POST"])
def programs(request):
    form = _bind(forms.ProgramForm, request)
    if request.method == "POST" and form.is_valid():
        program = services.do_create_program(Actor.from_request(request), branch=_branch(request), **form.cleaned_data)
        messages.success(request, "Program scheduled.")
        return redirect("records:program", program_id=program.pk)
    upcoming = Program.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at")
    past = Program.objects.filter(ends_at__lt=timezone.now())[:20]
    return render(request, "records/programs.html", {"form": form, "upcoming": upcoming, "past": past})


@require(Cap.MANAGE_RECORDS)
@require_http_methods(["GET"])
def program(request, program_id):
    prog = get_object_or_404(Program, pk=program_id)
    names = code = None
    if request.GET.get("show") == "names":
        names = services.roster(Actor.from_request(request), prog, purpose="check registrations at the door")
    if request.GET.get("show") == "code":
        code = services.code_word(Actor.from_request(request), prog, purpose="share the code word with an attendee")
    return render(request, "records/program.html", {
        "program": prog, "names": names, "code": code, "count": prog.registrations.count(),
        "register_form": forms.RegistrationForm(), "attendance_form": forms.AttendanceForm(
            initial={"attendance": prog.attendance}),
    })


@require(Cap.MANAGE_RECORDS)
@require_POST
def program_register(request, program_id):
    prog = get_object_or_404(Program, pk=program_id)
    form = forms.RegistrationForm(request.POST)
    if form.is_valid():
        try:
            services.do_register(Actor.from_request(request), prog, form.cleaned_data["first_name"])
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, "Registered.")
    else:
        messages.error(request, "A first name only, and nothing that looks like an identity number.")
    return redirect("records:program", program_id=prog.pk)


@require(Cap.MANAGE_RECORDS)
@require_POST
def registration_remove(request, registration_id):
    reg = get_object_or_404(ProgramRegistration, pk=registration_id)
    program_id = reg.program_id
    services.do_remove_registration(Actor.from_request(request), reg)
    messages.success(request, "Registration removed.")
    return redirect("records:program", program_id=program_id)


@require(Cap.MANAGE_RECORDS)
@require_POST
def program_attendance(request, program_id):
    prog = get_object_or_404(Program, pk=program_id)
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        services.do_record_attendance(Actor.from_request(request), prog, form.cleaned_data["attendance"])
        messages.success(request, "Attendance recorded.")
    else:
        messages.error(request, "Attendance is a whole number.")
    return redirect("records:program", program_id=prog.pk)


@require(Cap.MANAGE_RECORDS)
@require_http_methods(["GET", "POST"])
def computers(request):
    form = _bind(forms.SessionForm, request)
    started = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            patron = None
            if data["card_number"]:
                patron = patron_by_card(Actor.from_request(request), data["card_number"], purpose="book a computer",
                                        category="computer_use")
            started = services.do_start_session(Actor.from_request(request), station=data["station"], minutes=data["minutes"],
                                                patron=patron, branch=_branch(request))
        except circ_errors.CirculationError as exc:
            form.add_error("card_number", str(exc))
        except ValidationError as exc:
            form.add_error(None, exc.messages[0])
        else:
            form = forms.SessionForm()
    sessions = ComputerSession.objects.filter(ended_at__isnull=True, branch=_branch(request)).order_by("station")
    return render(request, "records/computers.html", {"form": form, "sessions": sessions, "started": started,
                                                      "now": timezone.now()})


@require(Cap.MANAGE_RECORDS)
@require_POST
def computer_end(request, session_id):
    session = get_object_or_404(ComputerSession, pk=session_id, ended_at__isnull=True)
    services.do_end_session(Actor.from_request(request), session)
    messages.success(request, "Session ended; its record is deleted.")
    return redirect("records:computers")


@require(Cap.MANAGE_RECORDS)
@require_http_methods(["GET", "POST"])
def notes(request):
    form = _bind(forms.NoteForm, request)
    if request.method == "POST" and form.is_valid():
        note = services.do_write_note(Actor.from_request(request), branch=_branch(request), **form.cleaned_data)
        messages.success(request, "Note saved; it destroys itself when it expires.")
        return redirect("records:note", note_id=note.pk)
    return render(request, "records/notes.html", {"form": form, "notes": ReferenceNote.objects.all()})


@require(Cap.MANAGE_RECORDS)
@require_http_methods(["GET", "POST"])
def note(request, note_id):
    obj = get_object_or_404(ReferenceNote, pk=note_id)
    if request.method == "POST":
        services.do_destroy_note(Actor.from_request(request), obj)
        messages.success(request, "Note destroyed.")
        return redirect("records:notes")
    values = services.read_note(Actor.from_request(request), obj, purpose="reference follow-up")
    return render(request, "records/note.html", {"note": obj, "values": values})


@require(Cap.MANAGE_RECORDS)
@require_http_methods(["GET", "POST"])
def cameras(request):
    form = _bind(forms.CameraForm, request)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_add_camera(Actor.from_request(request), branch=_branch(request), **form.cleaned_data)
        except ValidationError as exc:
            form.add_error("retention_days", exc.messages[0])
        else:
            messages.success(request, "Camera added to the register.")
            return redirect("records:cameras")
    return render(request, "records/cameras.html", {"form": form, "cameras": Camera.objects.select_related("branch")})


@require(Cap.MANAGE_RECORDS)
@require_POST
def camera_retention(request, camera_id):
    camera = get_object_or_404(Camera, pk=camera_id)
    form = forms.CameraRetentionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Retention is a number of days.")
        services.do_set_camera_retention(Actor.from_request(request), camera, form.cleaned_data["retention_days"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Retention changed.")
    return redirect("records:cameras")
