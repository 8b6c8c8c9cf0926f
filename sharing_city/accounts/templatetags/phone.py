"""`{{ member.phone|phone }}`: a stored E.164 number as people write it (010-1234-5678)."""

from django import template

from sharing_city.accounts.phone import display

register = template.Library()
register.filter("phone", display)
