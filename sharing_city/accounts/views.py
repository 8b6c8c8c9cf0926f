"""Sign-up, profile with member card, and each role's starting page."""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import select_template
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from sharing_city.core.ratelimits import limit_login

from . import limits
from . import signup as signup_flow
from .access import landing_url_name, role_required
from .access_log import may_read_access_log
from .consent import current_versions, documents_to_renew, record_consent, remember, safe_next
from .email_confirmation import (
    MAX_AGE_DAYS,
    confirm,
    member_for,
    send_confirmation,
)
from .filters import AccessLogFilter
from .forms import ProfileForm, SignUpForm
from .models import AccessLog, Role
from .rights import AccountClosureRefused, closure_refusals, export_for, sections
from .rights import close_account as close_account_service


@ratelimit(group=signup_flow.GROUP, key="ip", rate=signup_flow.RATE, method="POST", block=True)
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        signup_flow.sign_up(form)
        return redirect("accounts:signup-sent")
    # Bad input is a 4xx everywhere (DESIGN.md), also when a form re-renders with its errors.
    status = 400 if form.is_bound else 200
    context = {"form": form, "versions": current_versions()}
    return render(request, "accounts/signup.html", context, status=status)


@require_GET
def signup_sent(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signup_sent.html", {"days": MAX_AGE_DAYS})


@require_GET
def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the confirmation email: the address is the member's; they are signed in."""
    user = member_for(token)
    if user is None:
        return render(request, "accounts/confirm_failed.html", {"days": MAX_AGE_DAYS}, status=400)
    confirm(user)
    if request.user.is_authenticated and request.user.pk != user.pk:
        logout(request)
    login(request, user, backend="sharing_city.accounts.backends.EmailOrUsernameBackend")
    messages.success(
        request, _("Welcome! Your address is confirmed and your member card is ready.")
    )
    response = redirect("accounts:profile")
    response.set_cookie("django_language", user.preferred_language, samesite="Lax")
    return response


@login_required
@require_POST
@ratelimit(**limits.RESEND_CONFIRMATION, block=True)
def resend_confirmation(request: HttpRequest) -> HttpResponse:
    user = request.user
    if getattr(user, "email_confirmation_pending", False):
        send_confirmation(user)  # type: ignore[arg-type]
    messages.success(
        request, _("We sent the link again. Open it within %(days)s days.") % {"days": MAX_AGE_DAYS}
    )
    return redirect("accounts:profile")


@method_decorator(limit_login, name="post")  # per username and per real client address
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@method_decorator(ratelimit(**limits.PASSWORD_CHANGE, block=True), name="post")
class PasswordChangeView(auth_views.PasswordChangeView):
    """The site's own page (templates/registration/), not the admin's."""

    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


@method_decorator(ratelimit(key="ip", rate="5/m", method="POST", block=True), name="post")
class PasswordResetView(auth_views.PasswordResetView):
    def form_invalid(self, form: Any) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"


@login_required
def landing(request: HttpRequest) -> HttpResponse:
    return redirect(landing_url_name(request.user))  # type: ignore[arg-type]


def member_card_svg(member_number: str) -> str:
    """The member card's QR code as inline SVG: a desk scanner reads the member number."""
    qr = segno.make(member_number, error="m")
    return qr.svg_inline(scale=4, dark="#000", light="#fff", title=member_number)


PROFILE_ACCESSES = 20  # the whole list is in the data export


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        messages.success(request, _("Your profile is saved."))
        response = redirect("accounts:profile")
        response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    status = 400 if form.is_bound else 200
    user = request.user
    context = {
        "form": form,
        "member_card_qr": mark_safe(member_card_svg(user.member_number)),  # type: ignore[union-attr]  # noqa: S308 - segno output, no user HTML
        # The latest looks only: one query, whatever the log's size.
        "accesses": list(AccessLog.objects.about(user)[:PROFILE_ACCESSES]),  # type: ignore[arg-type]
    }
    return render(request, "accounts/profile.html", context, status=status)


@role_required(Role.STAFF)
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/staff_home.html")


@role_required(Role.COORDINATOR)
def coordinator_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/coordinator_home.html")


@role_required(Role.VOLUNTEER, Role.STAFF)
def volunteer_home(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/volunteer_home.html")


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything the platform holds about the member, readable, with the JSON download."""
    data = export_for(request.user)
    titled = [(s.title, data["sections"][s.key]) for s in sections()]
    return render(request, "accounts/my_data.html", {"member": data["member"], "sections": titled})


@login_required
@require_GET
def my_data_json(request: HttpRequest) -> HttpResponse:
    data = export_for(request.user)
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    name = f"sharing-city-{request.user.member_number}.json"  # type: ignore[union-attr]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
def close_account(request: HttpRequest) -> HttpResponse:
    """Close my account: the reasons it cannot be closed yet, or a confirmation to close it."""
    reasons = closure_refusals(request.user)
    status = 200
    if request.method == "POST":
        if request.POST.get("confirm") != "yes":
            messages.error(
                request, _("Tick the box to confirm that you want to close your account.")
            )
            status = 400
        else:
            try:
                close_account_service(user=request.user)
            except AccountClosureRefused as refused:
                reasons, status = refused.reasons, 409
            else:
                logout(request)
                messages.success(request, _("Your account is closed. Thank you for sharing."))
                return redirect("/")
    return render(request, "accounts/close_account.html", {"reasons": reasons}, status=status)


# --- Terms of use and privacy notice --------------------------------------------------------


def _policy(request: HttpRequest, document: str) -> HttpResponse:
    # One template per language: a legal text reads better written whole than as msgids.
    language = (get_language() or "ko")[:2]
    body = select_template(
        [f"accounts/policies/{document}.{language}.html", f"accounts/policies/{document}.ko.html"]
    )
    context = {
        "document": document,
        "version": current_versions()[document],
        "body": body.template.name,
        "contact": settings.PRIVACY_CONTACT_EMAIL,
        "inactive_years": settings.RETENTION_INACTIVE_YEARS,
        "proof_days": settings.RETENTION_PROOF_DAYS,
        "notice_days": settings.RETENTION_NOTICE_DAYS,
    }
    return render(request, "accounts/policy.html", context)


@require_GET
def terms(request: HttpRequest) -> HttpResponse:
    return _policy(request, "terms")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    return _policy(request, "privacy")


@login_required
def consent(request: HttpRequest) -> HttpResponse:
    """Agree to the new version of the terms or the privacy notice before going on."""
    to_renew = documents_to_renew(request.user)
    next_url = safe_next(request, reverse("accounts:landing"))
    if not to_renew:
        return redirect(next_url)
    status = 200
    if request.method == "POST":
        if request.POST.get("agree") == "yes":
            record_consent(member=request.user, documents=to_renew)
            remember(request, request.user)
            messages.success(request, _("Thank you. Your consent is recorded."))
            return redirect(next_url)
        messages.error(request, _("Tick the box to agree, or log out."))
        status = 400
    context = {"documents": to_renew, "versions": current_versions(), "next": next_url}
    return render(request, "accounts/consent.html", context, status=status)


ACCESS_LOG_PAGE_SIZE = 50


@login_required
@require_GET
def access_log(request: HttpRequest) -> HttpResponse:
    """City admins search who looked at whose personal data (the admin has the same rows)."""
    if not may_read_access_log(request.user):
        raise PermissionDenied
    rows = AccessLog.objects.select_related("viewer", "member")
    filters = AccessLogFilter(request.GET, queryset=rows)
    if not filters.is_valid():
        context = {"page": None, "filters": filters}
        return render(request, "accounts/access_log.html", context, status=400)
    page = Paginator(filters.qs, ACCESS_LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/access_log.html", {"page": page, "filters": filters})
