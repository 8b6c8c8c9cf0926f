from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

from ..services import calendar_feed_of

register = template.Library()


@register.inclusion_tag("notifications/_calendar_feed.html", takes_context=True)
def calendar_feed_section(context: dict[str, Any]) -> dict[str, Any]:
    """The profile's calendar section: the member's private feed URL and a renew button."""
    user = context["user"]
    feed = calendar_feed_of(user)
    path = reverse("notifications:calendar-feed", args=[feed.token])
    feed_url = settings.SITE_URL.rstrip("/") + path
    return {
        "feed_url": feed_url,
        # webcal:// makes a phone or desktop calendar offer to subscribe (it fetches over https).
        "subscribe_url": "webcal://" + feed_url.split("://", 1)[1],
        "csrf_token": context.get("csrf_token"),
    }
