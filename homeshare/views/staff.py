"""District staff: the commute table the matching reads."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from sharing_city.accounts.access import role_required
from sharing_city.accounts.models import Role
from sharing_city.core.bounds import id_from

from .. import forms, services
from ..models import CommuteTime, University
from .common import member, refusals


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
