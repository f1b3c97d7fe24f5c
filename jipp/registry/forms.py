from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import DatePickerInput, TypeaheadSelect
from jipp.regions.models import ServiceUnit
from jipp.registry.models import Category, ContinuityUpdate, Innovation, Sdg


class InnovationForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    categories = forms.ModelMultipleChoiceField(
        label=_("KIPP categories"),
        queryset=Category.objects.filter(is_active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals"),
        queryset=Sdg.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")

    class Meta:
        model = Innovation
        fields = [
            "title", "summary", "problem", "solution", "results", "innovator_type", "innovators", "start_date",
            "rollout_date", "stage", "phase", "form", "is_digital", "initiator", "sector", "categories", "sdgs",
            "beneficiaries", "budget_source", "contact_name", "contact_email", "contact_phone", "website",
            "video_url", "readiness", "prerequisites",
        ]  # fmt: skip
        widgets = {
            "start_date": DatePickerInput(),
            "rollout_date": DatePickerInput(),
            "summary": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 4}),
            "solution": forms.Textarea(attrs={"rows": 4}),
            "results": forms.Textarea(attrs={"rows": 4}),
            "innovators": forms.Textarea(attrs={"rows": 2}),
            "beneficiaries": forms.Textarea(attrs={"rows": 2}),
            "prerequisites": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("categories", "sdgs"):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean(self):
        data = super().clean()
        start, rollout = data.get("start_date"), data.get("rollout_date")
        if start and rollout and rollout < start:
            self.add_error("rollout_date", _("The roll-out date cannot be before the start date."))
        return data


class UnitChoiceForm(StyledFormMixin, forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Service unit"),
        queryset=ServiceUnit.objects.none(),
        widget=TypeaheadSelect(url=reverse_lazy("regions:search_units")),
    )

    def __init__(self, *args, units, agency_id: int | None = None, **kwargs):
        """`agency_id`: the suggestions stay within this agency (an Admin Lokal's own)."""
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        if agency_id:
            self.fields["unit"].widget.params = {"agency": agency_id}


class ContinuityUpdateForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = ContinuityUpdate
        fields = ["year", "status", "reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}


class RevisionRejectForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejecting"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The unit sees this reason and can change its edit."),
    )
