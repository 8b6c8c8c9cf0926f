"""Home-share pages: applicants apply and answer proposals; coordinators screen, match, agree.

Each view parses, asks homeshare.access, calls one service or selector, and renders. A refusal
from a service is shown with its reason and a 4xx status (see `refusals`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, cast

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
from sharing_city.accounts.models import AccessKind, District, Role, User
from sharing_city.core.bounds import id_from
from sharing_city.core.errors import DomainError

from . import forms, selectors, services
from .access import (
    coordinated_districts,
    match_role,
    may_see_host_contact,
    require_coordinator,
    require_coordinator_of,
    require_enrolment_proof_access,
    require_own_application,
)
from .explain import describe_exclusion, describe_reason
from .filters import CoordinatorFilter
from .models import (
    Agreement,
    AgreementReference,
    Candidate,
    CheckIn,
    CommuteTime,
    HostApplication,
    Match,
    MatchingRun,
    RunStatus,
    ScreeningCheck,
    StudentApplication,
    University,
)

KINDS: dict[str, type[HostApplication] | type[StudentApplication]] = {
    "host": HostApplication,
    "student": StudentApplication,
}


def refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A service's named refusal becomes a page with the reason and its 4xx status."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            if exc.http_status == 403:
                raise PermissionDenied from exc
            context = {"message": exc.message, "back": request.META.get("HTTP_REFERER", "")}
            return render(request, "homeshare/refused.html", context, status=exc.http_status)

    return wrapped


def member(request: HttpRequest) -> User:
    """The logged-in member (every view using it is behind login_required)."""
    return cast(User, request.user)


def _application(kind: str, pk: int) -> HostApplication | StudentApplication:
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    return get_object_or_404(model.objects.select_related("district", "applicant"), pk=pk)


# --- Applicants ------------------------------------------------------------------------------


def start(request: HttpRequest) -> HttpResponse:
    context: dict[str, Any] = {}
    if request.user.is_authenticated:
        context["host_applications"] = HostApplication.objects.filter(applicant=request.user)
        context["student_applications"] = StudentApplication.objects.filter(
            applicant=request.user
        ).select_related("university")
        context["matches"] = selectors.matches_for_member(request.user)
    return render(request, "homeshare/start.html", context)


@login_required
@refusals
def apply(request: HttpRequest, kind: str) -> HttpResponse:
    """Create or edit the member's own application of this kind (until it is screened)."""
    model = KINDS.get(kind)
    if model is None:
        raise Http404
    instance = model.objects.live().filter(applicant=request.user).first()
    if instance is not None and not instance.is_editable:
        return redirect("homeshare:application", kind=kind, pk=instance.pk)
    if instance is None:
        instance = model(applicant=member(request), district=member(request).district)
    form_class = forms.HostApplicationForm if kind == "host" else forms.StudentApplicationForm
    form = form_class(request.POST or None, request.FILES or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "accepted_districts"}
        if kind == "host" and not fields.get("contact_phone"):
            fields["contact_phone"] = member(request).phone
        submit = request.POST.get("action") == "submit"
        application = services.save_application(
            by=member(request),
            application=instance,
            fields=fields,
            districts=list(form.cleaned_data["accepted_districts"]) if kind == "student" else None,
            submit=submit,
        )
        messages.success(
            request,
            _("Your application is sent to the coordinator.") if submit else _("Draft saved."),
        )
        return redirect("homeshare:application", kind=kind, pk=application.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "homeshare/apply.html", {"form": form, "kind": kind}, status=status)


@login_required
def application(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = _application(kind, pk)
    require_own_application(request.user, app)
    return render(request, "homeshare/application.html", {"application": app, "kind": kind})


@require_POST
@login_required
@refusals
def withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = _application(kind, pk)
    require_own_application(request.user, app)
    services.withdraw_application(by=member(request), application=app)
    messages.success(request, _("Your application is withdrawn."))
    return redirect("homeshare:start")


@login_required
def match_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One page per match for the host, the student and the coordinator, each seeing their part.

    The student never gets the host's address or phone in the context before both accept.
    """
    match = get_object_or_404(
        Match.objects.select_related(
            "host_application__district",
            "host_application__applicant",
            "student_application__applicant",
            "student_application__university",
            "candidate",
        ),
        pk=pk,
    )
    role = match_role(request.user, match)
    host = match.host_application
    show_contact = may_see_host_contact(request.user, match)
    agreement = Agreement.objects.filter(match=match).first()
    reference_form: forms.ReferenceForm | None = None
    left_reference = False
    if agreement is not None and role in ("host", "student"):
        left_reference = AgreementReference.objects.filter(
            agreement=agreement, author=member(request)
        ).exists()
        if not left_reference and services.reference_open_to(
            member(request), agreement, timezone.localdate()
        ):
            reference_form = forms.ReferenceForm()
    context: dict[str, Any] = {
        "reference_form": reference_form,
        "left_reference": left_reference,
        "match": match,
        "role": role,
        "room": host,
        "host_contact": (
            {"name": host.applicant.full_name, "address": host.address, "phone": host.contact_phone}
            if show_contact
            else None
        ),
        "reasons": [describe_reason(r) for r in match.reasons],
        "agreement": agreement,
        "respond_form": forms.RespondForm(),
        "answer": getattr(match, f"{role}_response", None),
    }
    if role == "coordinator":
        context["meeting_form"] = forms.MeetingForm(
            initial={"meeting_on": match.meeting_on or timezone.localdate()}
        )
        context["agreement_form"] = forms.AgreementForm(
            initial={
                "rent": host.rent,
                "help_tasks": host.help_tasks,
                "help_hours": host.help_hours,
                "start_on": timezone.localdate(),
            }
        )
    return render(request, "homeshare/match.html", context)


@require_POST
@login_required
@refusals
def respond(request: HttpRequest, pk: int) -> HttpResponse:
    match = get_object_or_404(Match, pk=pk)
    if match.side_of(request.user) is None:
        raise PermissionDenied
    form = forms.RespondForm(request.POST)
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    accept = form.cleaned_data["answer"] == "accept"
    services.respond_to_match(
        by=member(request),
        match=match,
        accept=accept,
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, _("Thank you, your answer is recorded."))
    return redirect("homeshare:match", pk=pk)


@require_POST
@login_required
@refusals
def confirm_agreement(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.select_related("match"), pk=pk)
    if agreement.match.side_of(request.user) is None:
        raise PermissionDenied
    services.confirm_agreement(by=member(request), agreement=agreement)
    messages.success(request, _("You confirmed the agreement."))
    return redirect("homeshare:match", pk=agreement.match_id)


@require_POST
@login_required
@refusals
def leave_reference(request: HttpRequest, pk: int) -> HttpResponse:
    agreement = get_object_or_404(Agreement.objects.select_related("match"), pk=pk)
    if agreement.match.side_of(request.user) is None:
        raise PermissionDenied
    form = forms.ReferenceForm(request.POST)
    if not form.is_valid():
        return render(request, "homeshare/refused.html", {"form": form}, status=400)
    services.leave_reference(by=member(request), agreement=agreement, **form.cleaned_data)
    messages.success(request, _("Thank you. Your reference is with the coordinator."))
    return redirect("homeshare:match", pk=agreement.match_id)


# --- Coordinators ----------------------------------------------------------------------------


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
    app = _application(kind, pk)
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
    app = _application(kind, pk)
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
    app = _application(kind, pk)
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
    app = _application(kind, pk)
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


# --- Staff: the commute table ---------------------------------------------------------------


@role_required(Role.STAFF)
@refusals
def commute_table(request: HttpRequest) -> HttpResponse:
    universities = University.objects.order_by("name_en")
    chosen = id_from(request.GET.get("university"))
    university = (chosen and universities.filter(pk=chosen).first()) or universities.first()
    if request.method == "POST":
        row = get_object_or_404(CommuteTime, pk=id_from(request.POST.get("row")))
        form = forms.CommuteForm(request.POST)
        if not form.is_valid():
            return render(request, "homeshare/refused.html", {"form": form}, status=400)
        services.set_commute_minutes(by=member(request), commute_time=row, **form.cleaned_data)
        messages.success(request, _("Commute time saved."))
        return redirect(f"{request.path}?university={row.university_id}")
    rows = CommuteTime.objects.filter(university=university).select_related("district")
    context = {"universities": universities, "university": university, "rows": rows}
    return render(request, "homeshare/commute.html", context)
