"""Sign-up, profile with member card, and each role's starting page."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_ratelimit.decorators import ratelimit

from sharing_city.core.ratelimits import limit_login

from .access import landing_url_name, role_required
from .forms import ProfileForm, SignUpForm
from .models import Role


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="sharing_city.accounts.backends.EmailOrUsernameBackend")
        messages.success(request, _("Welcome! Your member card is ready."))
        response = redirect("accounts:profile")
        response.set_cookie("django_language", user.preferred_language, samesite="Lax")
        return response
    # Bad input is a 4xx everywhere (DESIGN.md), also when a form re-renders with its errors.
    status = 400 if form.is_bound else 200
    return render(request, "accounts/signup.html", {"form": form}, status=status)


@method_decorator(limit_login, name="post")  # per username and per real client address
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

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
