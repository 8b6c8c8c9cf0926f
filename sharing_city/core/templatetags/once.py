"""`{% once_field %}`: the one-time token of a form that acts (sharing_city/core/once.py)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from sharing_city.core.once import FIELD, new_token

register = template.Library()


@register.simple_tag
def once_field() -> SafeString:
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, new_token())
