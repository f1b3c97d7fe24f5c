from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import DatePickerInput, TypeaheadSelect
from jipp.regions.models import Region, ServiceUnit
from jipp.registry.models import Innovation
from jipp.replication.models import Document, Replication


class FinderForm(StyledFormMixin, forms.Form):
    problem = forms.CharField(
        label=_("Describe the problem you want to solve"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        help_text=_('In your own words, e.g. "long queues for birth certificates in remote villages".'),
    )
    sector = forms.ChoiceField(
        label=_("Sector"), required=False, choices=[("", _("Any sector"))] + list(Innovation.Sector.choices)
    )
    region = forms.ModelChoiceField(
        label=_("Your region"),
        required=False,
        queryset=Region.objects.order_by("code"),
        empty_label=_("My agency's region"),
        help_text=_("Used to favour innovations from regions like yours. Empty: your agency's region."),
        widget=TypeaheadSelect(url=reverse_lazy("regions:search_regions")),
    )


class RequestForm(StyledFormMixin, forms.Form):
    mode = forms.ChoiceField(label=_("Mode"), choices=Replication.Mode.choices)
    adopter_unit = forms.ModelChoiceField(
        label=_("Adopting unit"),
        queryset=ServiceUnit.objects.none(),
        required=False,
        widget=TypeaheadSelect(url=reverse_lazy("regions:search_units")),
    )
    problem = forms.CharField(
        label=_("The problem to solve"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=3000
    )
    request_note = forms.CharField(
        label=_("Message to the source agency"), widget=forms.Textarea(attrs={"rows": 3}), max_length=3000
    )
    request_letter = forms.FileField(label=_("Request letter (PDF/DOCX)"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if user.unit_id:
            del self.fields["adopter_unit"]
        else:
            self.fields["adopter_unit"].queryset = ServiceUnit.objects.filter(agency_id=user.agency_id).order_by("name")
            self.fields["adopter_unit"].widget.params = {"agency": user.agency_id}


class RespondForm(StyledFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("accept", _("Accept")), ("decline", _("Decline"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note to the adopter"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StageForm(StyledFormMixin, forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=Replication.Stage.choices)
    started_on = forms.DateField(label=_("Started on"), widget=DatePickerInput())
    completed_on = forms.DateField(label=_("Completed on"), required=False, widget=DatePickerInput())
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, earliest=None, latest=None, **kwargs):
        """`earliest`/`latest` bound the date pickers (the request's day, today); the service checks too."""
        super().__init__(*args, **kwargs)
        for name in ("started_on", "completed_on"):
            attrs = self.fields[name].widget.attrs
            if earliest:
                attrs["min"] = earliest.isoformat()
            if latest:
                attrs["max"] = latest.isoformat()


class DetailsForm(StyledFormMixin, forms.Form):
    differences = forms.CharField(
        label=_("What differs here (faktor pembeda)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    progress = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)


class SupportForm(StyledFormMixin, forms.Form):
    support_notes = forms.CharField(
        label=_("Support given by the source agency"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=pgettext_lazy("replication", "Outcome"), choices=Replication.Outcome.choices[1:])
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class DocumentForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=Document.Kind.choices)
    file = forms.FileField(label=_("File (PDF, DOCX or XLSX)"))

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [(k, label) for k, label in Document.Kind.choices if k in kinds]
