"""`{{ amount|won }}`: money in the reader's language (sharing_city/core/money.py)."""

from django import template

from sharing_city.core.money import won as _won

register = template.Library()
register.filter("won", _won)
