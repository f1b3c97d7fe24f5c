from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import DatePickerInput
from jipp.institutionalisation.models import LEGAL_BASIS_CHOICES, SustainabilityCheck


class LegalBasisForm(StyledFormMixin, forms.Form):
    type = forms.ChoiceField(label=_("Type"), choices=LEGAL_BASIS_CHOICES)
    number = forms.CharField(label=_("Number"), max_length=120)
    issued_on = forms.DateField(label=_("Date"), widget=DatePickerInput())
    title = forms.CharField(label=_("Title"), max_length=300)
    issued_by = forms.CharField(label=_("Issuing official"), max_length=200, help_text=_("E.g. Bupati Sidoarjo."))
    document = forms.FileField(label=_("Document (PDF or DOCX)"), required=False)


class SustainabilityForm(StyledFormMixin, forms.Form):
    checked_on = forms.DateField(label=_("Date"), widget=DatePickerInput())
    budget_source = forms.ChoiceField(
        label=_("Budget line"), choices=SustainabilityCheck.BudgetSource.choices, required=False
    )
    has_sop = forms.BooleanField(label=_("SOP in place"), required=False)
    has_staff = forms.BooleanField(label=_("Staff assigned"), required=False)
    has_legal_basis = forms.BooleanField(label=_("Legal basis"), required=False)
    has_monitoring = forms.BooleanField(label=_("Monitoring in place"), required=False)
    in_unit_duties = forms.BooleanField(label=_("Part of the unit's duties"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
