"""My notices, channel choices, the staff list of failed notices, and the calendar feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sharing_city.accounts.access import role_required
from sharing_city.accounts.models import Role
from sharing_city.core.errors import DomainError

from . import services
from .access import notices_of, notices_staff_can_manage
from .calendar import build_feed
from .filters import FailedNoticeFilter
from .forms import ChannelsForm
from .kinds import UnknownNoticeKind, get_kind
from .models import CalendarFeed, NoticePreference

PAGE_SIZE = 20


def _with_kind_labels(page):  # type: ignore[no-untyped-def]
    for notice in page:
        try:
            kind = get_kind(notice.kind)
            notice.kind_label, notice.link = kind.label, kind.link(notice)
        except UnknownNoticeKind:
            notice.kind_label, notice.link = notice.kind, None
    return page


@login_required
def my_notices(request: HttpRequest) -> HttpResponse:
    notices = notices_of(request.user)
    page = Paginator(notices, PAGE_SIZE).get_page(request.GET.get("page"))
    preference = NoticePreference.objects.filter(member_id=request.user.pk).first()
    form = ChannelsForm(
        initial={"email": preference.email, "sms": preference.sms}
        if preference
        else {"email": True}
    )
    context = {"page": _with_kind_labels(page), "form": form}
    return render(request, "notifications/my_notices.html", context)


@require_POST
@login_required
def save_channels(request: HttpRequest) -> HttpResponse:
    form = ChannelsForm(request.POST)
    form.is_valid()  # two optional checkboxes: always valid
    try:
        services.set_channels(
            member=request.user,  # type: ignore[arg-type]
            email=form.cleaned_data["email"],
            sms=form.cleaned_data["sms"],
            by=request.user,  # type: ignore[arg-type]
        )
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return redirect("notifications:my-notices", permanent=False)
    messages.success(request, _("Your notice settings are saved."))
    return redirect("notifications:my-notices")


@role_required(Role.STAFF)
def failed_notices(request: HttpRequest) -> HttpResponse:
    notices = notices_staff_can_manage(request.user).failed().select_related("recipient")
    filters = FailedNoticeFilter(request.GET, queryset=notices)
    if not filters.is_valid():  # an unknown kind or channel: say so, list nothing
        context = {"page": None, "filters": filters}
        return render(request, "notifications/failed_notices.html", context, status=400)
    page = Paginator(filters.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": _with_kind_labels(page), "filters": filters}
    return render(request, "notifications/failed_notices.html", context)


@require_POST
@role_required(Role.STAFF)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(notices_staff_can_manage(request.user), pk=pk)
    try:
        services.retry_notice(notice=notice, by=request.user)  # type: ignore[arg-type]
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return redirect("notifications:failed")
    messages.success(request, _("The notice will be sent again."))
    return redirect("notifications:failed")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design (calendar apps cannot log in); the secret token is the key."""
    feed = CalendarFeed.objects.select_related("member").filter(token=token).first()
    if feed is None or not feed.member.is_active:
        raise Http404
    response = HttpResponse(build_feed(feed.member), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="sharing-city.ics"'
    return response


@require_POST
@login_required
def renew_calendar_feed(request: HttpRequest) -> HttpResponse:
    services.renew_calendar_feed(member=request.user, by=request.user)  # type: ignore[arg-type]
    messages.success(request, _("Your calendar has a new link. The old link no longer works."))
    return redirect("accounts:profile")
