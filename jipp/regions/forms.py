from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.core.forms import StyledFormMixin
from jipp.regions.models import Agency


class ServiceUnitForm(StyledFormMixin, forms.Form):
    name = forms.CharField(label=_("Service unit name"), max_length=200)


class AgencyForm(StyledFormMixin, forms.ModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Agency
        fields = ["name", "short_name", "type", "region", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Governments are created from the regions; the Ministry adds central agencies and enterprises.
        self.fields["type"].choices = [
            (value, label) for value, label in Agency.Type.choices if value not in Agency.REGIONAL_TYPES
        ]


class AgencyAliasForm(StyledFormMixin, forms.Form):
    alias = forms.CharField(label=_("Spelling"), max_length=200, help_text=_("As people write it, e.g. “Pemkot Sby”."))
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.order_by("name"))
