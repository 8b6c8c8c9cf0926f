"""Applicants' pages: apply, follow the application, answer a proposal, confirm the
agreement, leave a reference."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import forms, selectors, services
from ..access import match_role, may_see_host_contact, require_own_application
from ..explain import describe_reason
from ..models import Agreement, AgreementReference, HostApplication, Match, StudentApplication
from .common import KINDS, find_application, member, refusals


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
    app = find_application(kind, pk)
    require_own_application(request.user, app)
    return render(request, "homeshare/application.html", {"application": app, "kind": kind})


@require_POST
@login_required
@refusals
def withdraw(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    app = find_application(kind, pk)
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
