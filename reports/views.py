"""Staff reports, exports, impact factors, the public dashboard and the open-data page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lending.models import Category, ImpactFactor
from lending.services import set_impact_factor
from sharing_city.accounts.access import may_edit_city_settings, role_required
from sharing_city.core.errors import DomainError
from sharing_city.core.replica import replica_reads

from . import access, charts, selectors, tables
from .figures import Scope
from .forms import ImpactFactorForm, PublicForm, ReportForm, local_today
from .tables import Table


@replica_reads
@role_required("staff")
def staff_start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    code = access.CITY if user.is_city_admin else user.district.code
    return redirect("reports:staff", code=code)


@replica_reads
@role_required("staff")
def staff_report(request: HttpRequest, code: str) -> HttpResponse:
    district = access.report_district(request.user, code)
    form = ReportForm(request.GET or None, district=district, today=local_today())
    if not form.is_valid() and request.GET:
        context = {"form": form, "district": district, "code": code}
        return render(request, "reports/staff_report.html", context, status=400)
    if not request.GET:
        form = ReportForm({}, district=district, today=local_today())
        form.is_valid()
    report = selectors.report(form.scope())
    user: Any = request.user
    context = _report_context(report, public=False)
    extra: dict[str, Any] = {
        "form": form,
        "district": district,
        "code": code,
        "query": request.GET.urlencode(),
        "districts": selectors.city_districts() if user.is_city_admin else [],
    }
    context |= extra
    return render(request, "reports/staff_report.html", context)


@replica_reads
@role_required("staff")
def staff_export(request: HttpRequest, code: str, table: str, fmt: str) -> HttpResponse:
    district = access.report_district(request.user, code)
    form = ReportForm(request.GET, district=district, today=local_today())
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    report = selectors.report(form.scope())
    found = tables.tables(report.lending, public=False, programmes=report.programmes).get(table)
    if found is None:
        raise Http404
    return _export(found, fmt, f"report-{code}-{form.scope().start}-{form.scope().end}", report)


def _export(table: Table, fmt: str, stem: str, report: selectors.Report) -> HttpResponse:
    name = f"{stem}-{table.key}.{fmt}"
    if fmt == "csv":
        # With a byte-order mark: Excel, which staff open these in, reads Korean only then.
        # The open data API's CSV (reports/api) stays plain UTF-8 for data tools.
        body = "\ufeff" + tables.as_csv(table)
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        note = _("Figures as of %(time)s") % {
            "time": timezone.localtime(report.lending.computed_at).strftime("%Y-%m-%d %H:%M")
        }
        response = HttpResponse(
            tables.as_xlsx(table, note=note),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _report_context(report: selectors.Report, *, public: bool) -> dict[str, Any]:
    figures = report.lending
    found = tables.tables(figures, public=public, programmes=report.programmes)
    return {
        "figures": figures,
        "summary": tables.summary(figures, public=public),
        "tables": found,
        "programmes": report.programmes,
        "public": public,
        "trend_chart": charts.line_chart(
            [(r.label, r.loans) for r in figures.months], title=_("Loans per month")
        ),
        "place_chart": charts.bar_chart(
            [(r.label, r.loans) for r in figures.places], title=_("Loans per place")
        ),
        "category_chart": charts.bar_chart(
            [(r.label, r.loans) for r in figures.categories], title=_("Loans per category")
        ),
        "factors": ImpactFactor.objects.select_related("category").order_by("category__slug"),
    }


@role_required("staff")
def impact_factors(request: HttpRequest) -> HttpResponse:
    factors = {f.category_id: f for f in ImpactFactor.objects.all()}
    rows = [
        (c, factors.get(c.pk), ImpactFactorForm(instance=factors.get(c.pk), prefix=f"c{c.pk}"))
        for c in Category.objects.order_by("slug")
    ]
    context = {"rows": rows, "can_edit": may_edit_city_settings(request.user)}
    return render(request, "reports/impact_factors.html", context)


@require_POST
@role_required("staff")
def impact_factor_save(request: HttpRequest, pk: int) -> HttpResponse:
    if not may_edit_city_settings(request.user):
        raise PermissionDenied(
            _("Only city admins change impact factors: every district uses them.")
        )
    category = get_object_or_404(Category, pk=pk)
    form = ImpactFactorForm(request.POST, prefix=f"c{pk}")
    if form.is_valid():
        try:
            set_impact_factor(category=category, by=request.user, **form.cleaned_data)
        except DomainError as refusal:
            messages.error(request, str(refusal.message))
            return redirect("reports:impact-factors")
        messages.success(request, _("Impact factor of %(name)s saved.") % {"name": category})
        return redirect(reverse("reports:impact-factors") + f"#category-{pk}")
    rows = [(category, None, form)]
    context = {"rows": rows, "can_edit": True}
    return render(request, "reports/impact_factors.html", context, status=400)


@replica_reads
def public_dashboard(request: HttpRequest) -> HttpResponse:
    form = PublicForm(request.GET or None)
    if request.GET and not form.is_valid():
        return render(request, "reports/public.html", {"form": form}, status=400)
    if not request.GET:
        form = PublicForm({})
        form.is_valid()
    scope: Scope = form.scope(local_today())
    context = _report_context(selectors.report(scope), public=True)
    context |= {"form": form, "district": form.cleaned_data.get("district")}
    return render(request, "reports/public.html", context)


@replica_reads
def open_data_fields(request: HttpRequest) -> HttpResponse:
    from .api import FIELD_DOCS

    return render(request, "reports/open_data.html", {"fields": FIELD_DOCS})
