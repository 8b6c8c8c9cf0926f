"""Coordinators' pages: screen and decide, record checks, run matching, propose, record the
meeting, draw up the agreement and its check-ins."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sharing_city.accounts.access import role_required
from sharing_city.accounts.access_log import record_access
from sharing_city.accounts.models import AccessKind, District, Role

from .. import forms, selectors, services
from ..access import (
    coordinated_districts,
    require_coordinator,
    require_coordinator_of,
    require_enrolment_proof_access,
)
from ..explain import describe_exclusion
from ..filters import CoordinatorFilter
from ..models import (
    Agreement,
    AgreementReference,
    Candidate,
    CheckIn,
    HostApplication,
    Match,
    MatchingRun,
    RunStatus,
    ScreeningCheck,
    StudentApplication,
)
from .common import find_application, member, refusals


@role_required(Role.COORDINATOR)
def coordinator(request: HttpRequest) -> HttpResponse:
    filters = CoordinatorFilter(request.GET, user=request.user)
    valid = filters.is_valid()
    districts = filters.qs if valid else District.objects.none()
    context = selectors.coordinator_dashboard(
        districts,
        timezone.localdate(),
        city_runs=member(request).is_city_admin,
    )
    context.update(districts=districts, filters=filters)
    return render(request, "homeshare/coordinator.html", context, status=200 if valid else 400)


@role_required(Role.COORDINATOR)
def review(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = find_application(kind, pk)
    require_coordinator_of(request.user, app.district)
    initial = {
        "interview_on": app.interview_on,
        "interview_notes": app.interview_notes,
        "home_visit_on": getattr(app, "home_visit_on", None),
        "home_visit_notes": getattr(app, "home_visit_notes", ""),
        "enrolment_checked": getattr(app, "enrolment_checked", False),
    }
    context = {
        "application": app,
        "kind": kind,
        "age": app.age(timezone.localdate()) if isinstance(app, HostApplication) else None,
        "screening_form": forms.ScreeningForm(initial=initial, host=kind == "host"),
        "check_form": forms.CheckForm(
            initial={"checked_on": timezone.localdate()}, host=kind == "host"
        ),
        "checks": ScreeningCheck.objects.filter(**{f"{kind}_application": app}),
        # What earlier home-share partners said about this person, in confidence.
        "references_about": AgreementReference.objects.filter(about=app.applicant_id),
        "missing_checks": services.missing_checks(app),
        "decision_form": forms.DecisionForm(),
    }
    # The review page shows the applicant's address, phone and (hosts) age.
    record_access(
        request.user,
        app.applicant,
        AccessKind.HOMESHARE_APPLICATION,
        app,
        where=app.district.name_local,
    )
    return render(request, "homeshare/review.html", context)


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def record_check(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = find_application(kind, pk)
    require_coordinator_of(request.user, app.district)
    form = forms.CheckForm(request.POST, host=kind == "host")
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    services.record_check(by=member(request), application=app, **form.cleaned_data)
    messages.success(request, _("Check recorded."))
    return redirect("homeshare:review", kind=kind, pk=pk)


@never_cache
@login_required
def enrolment_proof(request: HttpRequest, pk: int) -> FileResponse:
    """The student's proof of enrolment, for the student and the district's coordinators only.

    The file lives outside MEDIA_ROOT (homeshare.storage), so this view is the only way out.
    """
    app = get_object_or_404(StudentApplication.objects.select_related("district"), pk=pk)
    require_enrolment_proof_access(request.user, app)
    if not app.enrolment_proof or not app.enrolment_proof.storage.exists(app.enrolment_proof.name):
        raise Http404
    extension = (
        app.enrolment_proof.name.rsplit(".", 1)[-1] if "." in app.enrolment_proof.name else ""
    )
    name = f"enrolment-S{app.pk}.{extension}" if extension else f"enrolment-S{app.pk}"
    response = FileResponse(app.enrolment_proof.open("rb"), as_attachment=True, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def record_screening(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = find_application(kind, pk)
    require_coordinator_of(request.user, app.district)
    form = forms.ScreeningForm(request.POST, host=kind == "host")
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    services.record_screening(by=member(request), application=app, **form.cleaned_data)
    messages.success(request, _("Screening notes saved."))
    return redirect("homeshare:review", kind=kind, pk=pk)


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def decide(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = find_application(kind, pk)
    require_coordinator_of(request.user, app.district)
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    approve = form.cleaned_data["decision"] == "approve"
    services.screen_application(
        by=member(request),
        application=app,
        approve=approve,
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Decision recorded."))
    return redirect("homeshare:coordinator")


@role_required(Role.COORDINATOR)
@refusals
def run_matching(request: HttpRequest) -> HttpResponse:
    require_coordinator(request.user)
    districts = coordinated_districts(request.user)
    city_wide = member(request).is_city_admin
    today = timezone.localdate()
    form = forms.MatchingRunForm(
        request.POST or None,
        districts=districts,
        city_wide=city_wide,
        initial={
            "district": member(request).district,
            "term_start": today,
            "term_end": services.add_months(today, 6),
        },
    )
    if request.method == "POST" and form.is_valid():
        run = services.run_matching(by=member(request), **form.cleaned_data)
        return redirect("homeshare:run", pk=run.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "homeshare/run_form.html", {"form": form}, status=status)


def _require_run(user: Any, run: MatchingRun) -> None:
    if run.district is None:
        if not user.is_city_admin:
            raise PermissionDenied
    else:
        require_coordinator_of(user, run.district)


@role_required(Role.COORDINATOR)
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(MatchingRun.objects.select_related("district"), pk=pk)
    _require_run(request.user, run)
    if run.status != RunStatus.DONE:
        return render(request, "homeshare/run_pending.html", {"run": run})
    context = {"run": run, **selectors.run_shortlists(run), "propose_form": forms.ProposeForm()}
    context["excluded_counts"] = [
        (describe_exclusion(code), count) for code, count in run.excluded_by_reason.items() if count
    ]
    return render(request, "homeshare/run.html", context)


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def propose(request: HttpRequest, pk: int) -> HttpResponse:
    candidate = get_object_or_404(Candidate.objects.select_related("run__district"), pk=pk)
    _require_run(request.user, candidate.run)
    form = forms.ProposeForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    match = services.propose_match(by=member(request), candidate=candidate, note=note)
    messages.success(request, _("Proposed to both. They will answer on their home-share page."))
    return redirect("homeshare:match", pk=match.pk)


def _coordinated_match(request: HttpRequest, pk: int) -> Match:
    match = get_object_or_404(Match.objects.select_related("host_application__district"), pk=pk)
    require_coordinator_of(request.user, match.host_application.district)
    return match


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def record_meeting(request: HttpRequest, pk: int) -> HttpResponse:
    match = _coordinated_match(request, pk)
    form = forms.MeetingForm(request.POST)
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    services.record_meeting(by=member(request), match=match, **form.cleaned_data)
    messages.success(request, _("Introduction meeting recorded."))
    return redirect("homeshare:match", pk=pk)


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def create_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    match = _coordinated_match(request, pk)
    form = forms.AgreementForm(request.POST)
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    services.create_agreement(by=member(request), match=match, **form.cleaned_data)
    messages.success(request, _("Agreement written. Both sides now confirm it."))
    return redirect("homeshare:match", pk=pk)


@role_required(Role.COORDINATOR)
def agreement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(
        Agreement.objects.select_related(
            "match__host_application__district",
            "match__host_application__applicant",
            "match__student_application__applicant",
        ),
        pk=pk,
    )
    require_coordinator_of(request.user, agreement.match.host_application.district)
    context = {
        "agreement": agreement,
        "match": agreement.match,
        "check_ins": agreement.check_ins.prefetch_related("reminders"),
        "check_in_form": forms.CheckInForm(initial={"done_on": timezone.localdate()}),
        "extend_form": forms.ExtendForm(
            initial={"new_end_on": services.add_months(agreement.end_on, 6)}
        ),
        "end_form": forms.EndForm(initial={"ended_on": timezone.localdate()}),
        "references": agreement.references.all(),
    }
    return render(request, "homeshare/agreement.html", context)


def _coordinated_agreement(request: HttpRequest, pk: int) -> Agreement:
    agreement = get_object_or_404(
        Agreement.objects.select_related("match__host_application__district"), pk=pk
    )
    require_coordinator_of(request.user, agreement.match.host_application.district)
    return agreement


def _agreement_action(
    form_class: type, service: Callable[..., Model], done: Any
) -> Callable[..., HttpResponse]:
    @require_POST
    @role_required(Role.COORDINATOR)
    @refusals
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        agreement = _coordinated_agreement(request, pk)
        form = form_class(request.POST)
        if not form.is_valid():
            return render(request, "homeshare/refused.html", {"form": form}, status=400)
        service(by=request.user, agreement=agreement, **form.cleaned_data)
        messages.success(request, done)
        return redirect("homeshare:agreement", pk=pk)

    return view


extend = _agreement_action(
    forms.ExtendForm, services.extend_agreement, gettext_lazy("Agreement extended.")
)
end = _agreement_action(forms.EndForm, services.end_agreement, gettext_lazy("Agreement ended."))


@require_POST
@role_required(Role.COORDINATOR)
@refusals
def record_check_in(request: HttpRequest, pk: int) -> HttpResponse:
    check_in = get_object_or_404(
        CheckIn.objects.select_related("agreement__match__host_application__district"), pk=pk
    )
    require_coordinator_of(request.user, check_in.agreement.match.host_application.district)
    form = forms.CheckInForm(request.POST)
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    services.record_check_in(by=member(request), check_in=check_in, **form.cleaned_data)
    messages.success(request, _("Check-in recorded."))
    return redirect("homeshare:agreement", pk=check_in.agreement_id)
