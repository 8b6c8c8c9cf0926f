"""Voice pages: residents list, ask and support; staff answer, set statuses and merge."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from sharing_city.core.bounds import id_from
from sharing_city.core.errors import DomainError

from . import access, selectors, services
from .filters import AskFilter
from .forms import AnswerForm, AskForm, MergeForm, StatusForm
from .models import Ask

PER_PAGE = 20


def _page(request: HttpRequest, queryset: Any, template: str, **extra: Any) -> HttpResponse:
    filters = AskFilter(request.GET or None, queryset=queryset)
    valid = not filters.is_bound or filters.is_valid()
    rows = selectors.asks_for_list(filters.qs if valid else queryset.none())
    page = Paginator(rows.order_by("-created_at", "-pk"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filters": filters, "page": page, "query": query.urlencode(), **extra}
    return render(request, template, context, status=200 if valid else 400)


@require_safe
@login_required
def ask_list(request: HttpRequest) -> HttpResponse:
    return _page(request, selectors.visible_asks(), "voice/ask_list.html")


@require_safe
@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    if not access.may_use_inbox(request.user):
        raise PermissionDenied
    return _page(request, access.inbox_for(request.user), "voice/inbox.html")


@login_required
def ask_create(request: HttpRequest) -> HttpResponse:
    initial = {"title": id_from(request.GET.get("title"))}
    form = AskForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return render(request, "voice/ask_form.html", {"form": form})
    if not form.is_valid():
        return render(request, "voice/ask_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    try:
        ask = services.create_ask(
            by=request.user,
            kind=data["kind"],
            text=data["text"],
            place=data["place"],
            title=data["title"],
        )
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return render(request, "voice/ask_form.html", {"form": form}, status=refusal.http_status)
    messages.success(
        request, _("Thank you: your request is sent. You will hear when it is answered.")
    )
    return redirect("voice:detail", pk=ask.pk)


def _detail(request: HttpRequest, ask: Ask, status: int = 200, **forms: Any) -> HttpResponse:
    handler = access.can_handle(request.user, ask)
    context = {
        "ask": ask,
        "answers": ask.answers.all(),
        "supporters": ask.supporters.count(),
        "supports": ask.supporters.filter(member_id=request.user.pk).exists(),
        "is_own": ask.asker_id == request.user.pk,
        "handler": handler,
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": ask.status}),
        "merge_form": forms.get("merge_form") or MergeForm(),
    }
    return render(request, "voice/ask_detail.html", context, status=status)


def _ask(pk: int) -> Ask:
    related = ("routed_place", "routed_district", "title", "merged_into")
    return get_object_or_404(selectors.visible_asks().select_related(*related), pk=pk)


@require_safe
@login_required
def ask_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _ask(pk))


def _act(request: HttpRequest, ask: Ask, action: Any, done: str, **forms: Any) -> HttpResponse:
    try:
        action()
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return _detail(request, ask, status=refusal.http_status, **forms)
    messages.success(request, done)
    return redirect("voice:detail", pk=ask.pk)


@require_POST
@login_required
def me_too(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _ask(pk)
    return _act(
        request,
        ask,
        lambda: services.me_too(ask=ask, by=request.user),
        _("Thank you: you are counted as needing this too."),
    )


def _handled(request: HttpRequest, pk: int) -> Ask:
    ask = _ask(pk)
    if not access.can_handle(request.user, ask):
        raise PermissionDenied
    return ask


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _handled(request, pk)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _detail(request, ask, status=400, answer_form=form)
    text = form.cleaned_data["text"]
    return _act(
        request,
        ask,
        lambda: services.answer(ask=ask, by=request.user, text=text),
        _("Your answer is sent to everyone who asked."),
        answer_form=form,
    )


@require_POST
@login_required
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _handled(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        return _detail(request, ask, status=400, status_form=form)
    data = form.cleaned_data
    return _act(
        request,
        ask,
        lambda: services.set_status(
            ask=ask,
            by=request.user,
            status=data["status"],
            reason=data["reason"],
            title=data["title"],
        ),
        _("The status is saved and everyone who asked is told."),
        status_form=form,
    )


@require_POST
@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _handled(request, pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _detail(request, ask, status=400, merge_form=form)
    into = Ask.objects.filter(pk=form.cleaned_data["into"]).select_related("routed_place").first()
    if into is None:
        form.add_error("into", _("There is no request with this number."))
        return _detail(request, ask, status=400, merge_form=form)
    return _act(
        request,
        ask,
        lambda: services.merge(ask=ask, into=into, by=request.user),
        _("Merged: its supporters now count for the other request."),
        merge_form=form,
    )


@require_POST
@login_required
def hold(request: HttpRequest, pk: int) -> HttpResponse:
    ask = _ask(pk)
    try:
        services.hold_acquired(ask=ask, by=request.user)
    except DomainError as refusal:
        messages.error(request, str(refusal.message))
        return _detail(request, ask, status=refusal.http_status)
    messages.success(request, _("You are in the queue; you will hear when it is ready."))
    return redirect("lending:my-bookings")
