"""The reference the catalogue search is measured against (issue 13): a plain Django catalogue
search — PostgreSQL full-text `SearchVector` over one name field, 24 results, no filters — as a
view served by the same gunicorn on the same data, so `make bench` compares the two in one run.

Routed only when the benchmark's query-count middleware is on (BENCH_QUERY_HEADER, as
bin/run-bench sets it): it is never part of the product.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.http import HttpRequest, HttpResponse
from django.template import engines

from lending.models import Title

RESULTS = 24

PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% load i18n %}
{% block title %}{% translate "Catalogue" %}{% endblock %}
{% block content %}
<h1>{% translate "Catalogue" %}</h1>
<form method="get" role="search"><label for="q">{% translate "Search" %}</label>
<input id="q" name="q" value="{{ q }}" maxlength="100">
<button type="submit" class="button">{% translate "Search" %}</button></form>
<ul class="title-list">{% for title in titles %}
<li class="title-row"><h3><a href="{% url 'lending:title' title.pk %}">{{ title.name }}</a></h3>
{% if title.author %}<p class="help">{{ title.author }}</p>{% endif %}</li>
{% empty %}<li>{% translate "Nothing found." %}</li>{% endfor %}</ul>
{% endblock %}"""
)


def search(request: HttpRequest) -> HttpResponse:
    words = request.GET.get("q", "")[:100]
    titles = (
        Title.objects.annotate(found=SearchVector("name_ko", config="simple"))
        .filter(found=SearchQuery(words, config="simple"))
        .order_by("name_ko", "pk")[:RESULTS]
        if words
        else Title.objects.none()
    )
    return HttpResponse(PAGE.render({"titles": titles, "q": words}, request))
