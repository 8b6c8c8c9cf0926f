from django import forms
from django.utils.translation import gettext_lazy as _


class ChannelsForm(forms.Form):
    """Shape only; the rules (at least one, SMS needs a phone) are the service's."""

    email = forms.BooleanField(label=_("Email"), required=False)
    sms = forms.BooleanField(label=_("Text message"), required=False)
