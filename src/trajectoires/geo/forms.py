from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_MAX_LENGTH


class AreaSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search an area"),
        max_length=SEARCH_MAX_LENGTH,
        strip=True,
        help_text=_(
            "A name, an INSEE code, a SIREN or a postal code — for example “saint etienne” or 42000."
        ),
        error_messages={
            "required": _("Type a name, an INSEE code, a SIREN or a postal code."),
            "max_length": _("A search is at most %(limit_value)d characters long (it has %(show_value)d)."),
        },
    )
