"""The catalogue: search with filters, a page of results at a time."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_GET

from sharing_city.core.replica import replica_reads

from .. import selectors
from ..filters import CatalogueFilter
from ..models import Title
from ..photos import attach_thumbnails

PAGE_SIZE = 20


COUNT_CAP = 1000


class CappedPaginator(Paginator):
    """Counts at most COUNT_CAP + 1 rows: an exact count of a city's whole catalogue reads every
    matching title's copies on each request; past a thousand, "more than 1,000" says enough."""

    @cached_property
    def seen(self) -> int:
        # Unordered: any COUNT_CAP + 1 matching titles will do, no need to sort them all first.
        return self.object_list.order_by()[: COUNT_CAP + 1].count()  # type: ignore[attr-defined]

    @cached_property
    def count(self) -> int:
        return min(self.seen, COUNT_CAP)

    @property
    def capped(self) -> bool:
        return self.seen > COUNT_CAP


@replica_reads
@require_GET
def catalogue(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filterset = CatalogueFilter(
        request.GET, queryset=Title.objects.all(), today=today, counts=False
    )
    valid = filterset.is_valid()
    titles = filterset.qs if valid else Title.objects.none()
    page = CappedPaginator(titles, PAGE_SIZE).get_page(request.GET.get("page"))
    where = selectors.where_available(list(page), filterset.copies(), today) if valid else {}
    selectors.count_copies(page, where)
    attach_thumbnails(page)  # each card's first photo, one query
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "query": query.urlencode(),
        "did_you_mean": filterset.did_you_mean(page) if valid else "",
        "filters_version": filterset.plain_filters_version(),
    }
    status = 400 if filterset.form.errors else 200
    return render(request, "lending/catalogue.html", context, status=status)
