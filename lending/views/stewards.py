"""A steward's book-list import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from .. import access
from ..forms import (
    ImportForm,
)
from ..services.imports import ImportRefused, import_items, template_csv

# --- importing a list ----------------------------------------------------------------------


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    places = access.places_worked_by(request.user)
    if not places.exists():
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, places=places)
    errors: list[tuple[int, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            result = import_items(
                place=form.cleaned_data["place"], upload=form.cleaned_data["file"], by=request.user
            )
        except ImportRefused as refusal:
            errors = refusal.errors
            messages.error(request, str(refusal.message))
        else:
            messages.success(
                request,
                _("Imported %(items)d items (%(titles)d new titles).")
                % {"items": len(result.items), "titles": result.titles_created},
            )
            return redirect("lending:import")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "errors": errors}
    return render(request, "lending/import.html", context, status=status)


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="sharing-city-items.csv"'
    return response
