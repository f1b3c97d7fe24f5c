from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import DatePickerInput, TypeaheadSelect
from jipp.regions.models import Agency, ServiceUnit
from jipp.registry.models import Category, ContinuityUpdate, Innovation, Sdg
from jipp.registry.selectors import SORTS, CatalogueQuery

YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _optional_choice(label, choices):
    return forms.ChoiceField(label=label, required=False, choices=[("", _("Any")), *choices])


class CatalogueFilterForm(forms.Form):
    """Turns the catalogue's GET parameters into a CatalogueQuery; unknown values are errors (API: 400)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    province = forms.RegexField(label=_("Province"), regex=r"^\d{2}$", required=False)
    regency = forms.RegexField(label=_("Regency or city"), regex=r"^\d{2}\.\d{2}$", required=False)
    agency = forms.SlugField(label=_("Agency"), required=False)
    agency_type = _optional_choice(_("Agency type"), Agency.Type.choices)
    category = forms.SlugField(label=_("Category"), required=False)
    sdg = forms.IntegerField(label=_("SDG"), required=False, min_value=1, max_value=17)
    phase = _optional_choice(_("Policy phase"), Innovation.Phase.choices)
    stage = _optional_choice(_("Stage"), Innovation.Stage.choices)
    digital = forms.ChoiceField(label=_("Digital"), required=False, choices=YES_NO)
    continuity = _optional_choice(_("Continuity"), Innovation.Continuity.choices)
    award = forms.ChoiceField(
        label=_("KIPP award"),
        required=False,
        choices=[("", _("Any")), ("any", _("Any award")), *[c for c in Innovation.AwardTier.choices if c[0]]],
    )
    year = forms.IntegerField(label=_("Year started"), required=False, min_value=1990, max_value=2100)
    replicated = forms.ChoiceField(label=_("Replicated"), required=False, choices=YES_NO)
    legal_basis = forms.ChoiceField(label=_("Has a legal basis"), required=False, choices=YES_NO)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Relevance")), ("newest", _("Newest")), ("replicated", _("Most replicated"))],
    )

    def clean_category(self):
        code = self.cleaned_data["category"]
        if code and not Category.objects.filter(code=code).exists():
            raise forms.ValidationError(_("Unknown category."))
        return code

    def to_query(self) -> CatalogueQuery:
        data = self.cleaned_data

        def yes_no(name):
            return {"yes": True, "no": False}.get(data.get(name) or "")

        sort = data.get("sort") or ("relevance" if data.get("q") else "newest")
        if sort == "relevance" and not data.get("q"):
            sort = "newest"
        return CatalogueQuery(
            q=data.get("q") or "",
            province=data.get("province") or "",
            regency=data.get("regency") or "",
            agency=data.get("agency") or "",
            agency_type=data.get("agency_type") or "",
            category=data.get("category") or "",
            sdg=data.get("sdg"),
            phase=data.get("phase") or "",
            stage=data.get("stage") or "",
            digital=yes_no("digital"),
            continuity=data.get("continuity") or "",
            award=data.get("award") or "",
            year=data.get("year"),
            replicated=yes_no("replicated"),
            legal_basis=yes_no("legal_basis"),
            sort=sort if sort in SORTS else "newest",
        )


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
