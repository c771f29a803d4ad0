"""Training drills: play a scenario step by step; the person in charge sees who completed which.

Progress lives in the staff member's session (which step, which first answer);
only the completion (who, which drill, when, score) is stored.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quietdesk.audit.service import Actor
from quietdesk.staff.access import require
from quietdesk.staff.roles import Cap, has_cap

from .. import drills, services
from ..forms import AnswerForm
from ..models import DrillCompletion

SESSION_KEY = "qd_drill"


def _drill(slug: str) -> drills.Drill:
    drill = drills.library_drills().drills.get(slug)
    if drill is None:
        raise Http404
    return drill


def _answers(request, slug: str) -> dict[str, int]:
    state = request.session.get(SESSION_KEY) or {}
    return dict(state.get("answers", {})) if state.get("slug") == slug else {}


def _save_answers(request, slug: str, answers: dict[str, int]) -> None:
    request.session[SESSION_KEY] = {"slug": slug, "answers": answers}


@require_GET
@require(Cap.VIEW_GUIDE)
def drill_list(request):
    loaded = drills.library_drills()
    mine = {c.drill: c for c in DrillCompletion.objects.filter(staff=request.user)}
    show_errors = has_cap(request.user, Cap.EDIT_GUIDE) or has_cap(request.user, Cap.VIEW_TRAINING)
    return render(request, "guide/drills/list.html", {
        "drills": [(d, mine.get(d.slug)) for d in loaded.ordered()],
        "errors": loaded.errors if show_errors else [],
        "error_count": len(loaded.errors),
    })


@require_GET
@require(Cap.VIEW_GUIDE)
def drill_intro(request, slug: str):
    drill = _drill(slug)
    return render(request, "guide/drills/intro.html", {"drill": drill})


@require_http_methods(["GET", "POST"])
@require(Cap.VIEW_GUIDE)
def drill_step(request, slug: str, number: int):
    drill = _drill(slug)
    if not 1 <= number <= drill.out_of:
        raise Http404
    step = drill.steps[number - 1]
    answers = _answers(request, slug)
    if number == 1 and request.method == "GET" and len(answers) == drill.out_of:
        answers = {}  # starting again after finishing
        _save_answers(request, slug, answers)
    form = AnswerForm(request.POST if request.method == "POST" else None, choices=[c.display for c in step.choices])
    feedback = None
    if request.method == "POST" and form.is_valid():
        picked = form.cleaned_data["choice"]
        answers.setdefault(str(number), picked)  # the first answer is the one that counts
        _save_answers(request, slug, answers)
        feedback = {"chosen": step.choices[picked], "best": step.best, "right": step.choices[picked].best}
    return render(request, "guide/drills/step.html", {
        "drill": drill, "step": step, "number": number, "form": form, "feedback": feedback,
        "last": number == drill.out_of, "next": number + 1,
    })


@require(Cap.VIEW_GUIDE)  # the capability first: a role without it gets 403, not 405
@require_POST
def drill_done(request, slug: str):
    drill = _drill(slug)
    answers = _answers(request, slug)
    for number in range(1, drill.out_of + 1):
        if str(number) not in answers:
            return redirect("guide:drill_step", slug=slug, number=number)
    score = 0
    for number, step in enumerate(drill.steps, 1):
        picked = answers[str(number)]
        score += 0 <= picked < len(step.choices) and step.choices[picked].best
    completion = services.do_record_completion(Actor.for_user(request.user), request.user, drill, score)
    request.session.pop(SESSION_KEY, None)
    return render(request, "guide/drills/done.html", {"drill": drill, "completion": completion})


@require_GET
@require(Cap.VIEW_TRAINING)
def training(request):
    loaded = drills.library_drills()
    rows = DrillCompletion.objects.select_related("staff").order_by("staff__username", "drill")
    completions = [
        {"who": c.staff.get_username(), "role": c.staff.role_label, "drill": c.drill,
         "title": loaded.drills[c.drill].title if c.drill in loaded.drills else f"{c.drill} (no longer offered)",
         "when": c.completed_at, "score": c.score, "out_of": c.out_of}
        for c in rows
    ]
    per_person: dict[str, int] = {}
    for c in completions:
        if c["drill"] in loaded.drills:
            per_person[c["who"]] = per_person.get(c["who"], 0) + 1
    return render(request, "guide/drills/training.html", {
        "completions": completions, "per_person": sorted(per_person.items()), "total": len(loaded.drills),
    })
