"""Forms for the hubs' pages. Validation of substance lives in the services; these check shapes."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role, User
from jipp.core.files import DOCUMENT_KINDS, generated_name, validate_upload
from jipp.core.forms import StyledFormMixin
from jipp.hubs.domain.maturity import LEVELS
from jipp.hubs.history import GUIDE, LATER_CRITERIA
from jipp.hubs.models import Activity, Aspect, Candidate, Hub, HubKind, Measure
from jipp.regions.models import Agency, ServiceUnit
from jipp.registry.bounds import validate_year

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class HubFormMixin(StyledFormMixin):
    """Bootstrap classes, with checkbox lists styled as checkboxes (StyledFormMixin gives them form-control)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"


def person(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.affiliation})" if getattr(user, "affiliation", "") else name


class DocumentField(forms.FileField):
    """A PDF, DOCX or XLSX checked by its content; stored under a generated name."""

    def clean(self, data, initial=None):
        data = super().clean(data, initial)
        if data and hasattr(data, "size"):
            kind = validate_upload(data, allowed=DOCUMENT_KINDS)
            data.name = generated_name(kind)
        return data


def parse_guide(text: str) -> dict[str, str]:
    """'1: No evidence' per line -> {"1": "No evidence"}; raises ValueError on a bad line."""
    guide = {}
    for line in text.splitlines():
        if not line.strip():
            continue
        level, _sep, meaning = line.partition(":")
        if not level.strip().isdigit() or not meaning.strip():
            raise ValueError(line)
        guide[str(int(level))] = meaning.strip()
    return guide


def guide_text(guide: dict) -> str:
    return "\n".join(f"{k}: {v}" for k, v in sorted(guide.items(), key=lambda kv: int(kv[0])))


class RoundForm(HubFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), validators=[validate_year])
    purpose = forms.CharField(label=_("Purpose"), max_length=300)
    kind = forms.ChoiceField(label=_("Candidates"), choices=HubKind.choices)
    members = forms.ModelMultipleChoiceField(
        label=_("Scoring team"),
        queryset=User.objects.filter(role=Role.ADMIN_KEMENTERIAN, is_active=True).order_by("username"),
        widget=forms.CheckboxSelectMultiple,
    )
    members.label_from_instance = person
    with_all_provinces = forms.BooleanField(
        label=_("Add every province government as a candidate"), required=False, initial=True
    )
    guide = forms.CharField(
        label=_("Scoring guide (one level per line, 'level: meaning')"),
        widget=forms.Textarea(attrs={"rows": 5}),
        initial=guide_text(GUIDE),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(6):
            name, weight = LATER_CRITERIA[i] if i < len(LATER_CRITERIA) else ("", "")
            self.fields[f"criterion_{i}"] = forms.CharField(
                label=_("Criterion %(n)s") % {"n": i + 1}, max_length=200, required=False, initial=name
            )
            self.fields[f"weight_{i}"] = forms.DecimalField(
                label=_("Weight (%%) of criterion %(n)s") % {"n": i + 1},
                max_digits=5,
                decimal_places=2,
                min_value=0,
                max_value=100,
                required=False,
                initial=weight,
            )
            for key in (f"criterion_{i}", f"weight_{i}"):
                self.fields[key].widget.attrs["class"] = "form-control"

    def clean_guide(self):
        try:
            guide = parse_guide(self.cleaned_data["guide"])
        except ValueError as exc:
            raise forms.ValidationError(_("Write each level as 'level: meaning' (bad line: %(line)s).") % {"line": exc})
        if len(guide) < 2:
            raise forms.ValidationError(_("A guide has at least two levels."))
        return guide

    def criteria(self) -> list[tuple[str, Decimal, dict]]:
        out = []
        for i in range(6):
            name = (self.cleaned_data.get(f"criterion_{i}") or "").strip()
            weight = self.cleaned_data.get(f"weight_{i}")
            if name:
                out.append((name, weight if weight is not None else Decimal(0), self.cleaned_data["guide"]))
        return out

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not self.criteria():
            raise forms.ValidationError(_("Name at least one criterion."))
        return cleaned


class WeightsForm(HubFormMixin, forms.Form):
    """One weight per criterion: saved by the Ministry (POST) or tried as a what-if (GET)."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"w{c.pk}"] = forms.DecimalField(
                label=c.name, max_digits=5, decimal_places=2, min_value=0, max_value=100, initial=c.weight
            )

    def weights(self) -> dict[int, Decimal]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items()}


class CandidateForm(HubFormMixin, forms.Form):
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.none())

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        types = [Agency.Type.PROVINCE] if round_.kind == HubKind.PROVINCE else list(Agency.CENTRAL_TYPES)
        self.fields["agency"].queryset = (
            Agency.objects.filter(type__in=types).exclude(hub_candidacies__round=round_).order_by("name")
        )


class EvidenceForm(HubFormMixin, forms.Form):
    criterion = forms.ModelChoiceField(label=_("Criterion"), queryset=None)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    document = DocumentField(label=_("Document (PDF, DOCX, XLSX)"), required=False)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = round_.criteria.all()


class DeclarationForm(HubFormMixin, forms.Form):
    conflicted = forms.ModelMultipleChoiceField(
        label=_("Candidates I have a conflict of interest with"),
        queryset=Candidate.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    confirm = forms.BooleanField(
        label=_("I declare that I have no other conflict of interest with the candidates of this round.")
    )

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflicted"].queryset = round_.candidates.select_related("agency")


class ScoreForm(HubFormMixin, forms.Form):
    """One level per criterion, chosen among the guide's levels."""

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        for c in criteria:
            self.fields[f"c{c.pk}"] = forms.TypedChoiceField(
                label=c.name,
                choices=[("", "—")] + [(str(level), f"{level}: {c.guide.get(str(level), '')}") for level in c.levels],
                coerce=int,
            )

    def levels(self) -> dict[int, int]:
        return {int(k[1:]): v for k, v in self.cleaned_data.items()}


class DecisionForm(HubFormMixin, forms.Form):
    chosen = forms.ModelMultipleChoiceField(
        label=_("Candidates designated"), queryset=Candidate.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    decree_number = forms.CharField(label=_("Decree number"), max_length=120)
    decree_date = forms.DateField(label=_("Decree date"), widget=DATE)
    decree_document = DocumentField(label=_("Decree document (PDF)"), required=False)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chosen"].queryset = round_.candidates.select_related("agency")


class SpokeForm(HubFormMixin, forms.Form):
    """Add a spoke: an agency (a province hub's regencies and cities), or for a K/L hub one of its own units
    or field offices (or, exceptionally, an agency)."""

    unit = forms.ModelChoiceField(label=_("Unit or field office"), queryset=ServiceUnit.objects.none(), required=False)
    agency = forms.ModelChoiceField(label=_("Agency"), queryset=Agency.objects.order_by("name"), required=False)
    joined_on = forms.DateField(label=_("Joined on"), widget=DATE, initial=dt.date.today)

    def __init__(self, *args, hub, **kwargs):
        super().__init__(*args, **kwargs)
        if hub.kind == HubKind.PROVINCE and hub.region_id:
            del self.fields["unit"]
            self.fields["agency"].required = True
            self.fields["agency"].queryset = Agency.objects.filter(region__parent_id=hub.region_id).order_by(
                "name"
            ) | Agency.objects.filter(region_id=hub.region_id).exclude(pk=hub.agency_id)
        else:
            self.fields["unit"].queryset = ServiceUnit.objects.filter(
                agency_id=hub.agency_id, is_unspecified=False
            ).order_by("name")
            self.fields["agency"].queryset = Agency.objects.exclude(pk=hub.agency_id).order_by("name")
            self.fields["agency"].help_text = _("Only if the spoke is another agency rather than one of your units.")

    def clean(self):
        data = super().clean()
        if "unit" in self.fields and bool(data.get("unit")) == bool(data.get("agency")):
            raise forms.ValidationError(_("Choose one of your units or an agency, not both."))
        return data


class EndSpokeForm(HubFormMixin, forms.Form):
    left_on = forms.DateField(label=_("Left on"), widget=DATE, initial=dt.date.today)


class PlanForm(HubFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), validators=[validate_year])
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class TargetsForm(HubFormMixin, forms.Form):
    """A target per spoke and measure, plus the hub's totals (spoke "total")."""

    def __init__(self, *args, spokes, current, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = []
        for spoke in [None, *spokes]:
            key = "total" if spoke is None else str(spoke.pk)
            cells = []
            for measure, label in Measure.choices:
                name = f"t_{key}_{measure}"
                self.fields[name] = forms.IntegerField(
                    label=f"{spoke or _('Total')}: {label}",
                    min_value=0,
                    max_value=100000,
                    required=False,
                    initial=current.get((spoke.pk if spoke else None, measure)),
                )
                cells.append(name)
            self.rows.append((spoke, cells))

    def targets(self) -> dict[tuple[int | None, str], int]:
        out = {}
        for name, value in self.cleaned_data.items():
            _t, key, measure = name.split("_", 2)
            out[(None if key == "total" else int(key), measure)] = value or 0
        return out

    def bound_rows(self):
        return [(spoke, [self[name] for name in cells]) for spoke, cells in self.rows]


class ActivityForm(HubFormMixin, forms.ModelForm):
    document = DocumentField(label=_("Document (PDF, DOCX, XLSX)"), required=False)
    confirm_outside_year = forms.BooleanField(
        label=_("Yes, record it although it is dated outside the plan's year"), required=False
    )

    class Meta:
        model = Activity
        fields = [
            "kind",
            "title",
            "starts_on",
            "ends_on",
            "spokes",
            "mentors",
            "attendance",
            "outputs",
            "follow_ups",
            "is_public",
        ]
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "spokes": forms.CheckboxSelectMultiple,
            "mentors": forms.CheckboxSelectMultiple,
            "outputs": forms.Textarea(attrs={"rows": 3}),
            "follow_ups": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, hub, ask_confirmation=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["spokes"].queryset = hub.spokes.filter(left_on__isnull=True).select_related("agency", "unit")
        self.fields["mentors"].queryset = hub.mentors.order_by("username")
        self.fields["mentors"].label_from_instance = person
        self.fields["mentors"].required = False
        self.fields["spokes"].required = False
        if not ask_confirmation:
            self.fields["confirm_outside_year"].widget = forms.HiddenInput()

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An activity cannot end before it starts."))
        return cleaned


LEVEL_CHOICES = [("", "—")] + [(str(level), str(level)) for level in LEVELS]


class SelfAssessmentForm(HubFormMixin, forms.Form):
    def __init__(self, *args, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        current = current or {}
        for aspect, label in Aspect.choices:
            row = current.get(aspect)
            self.fields[f"{aspect}_level"] = forms.TypedChoiceField(
                label=_("%(aspect)s: level") % {"aspect": label},
                choices=LEVEL_CHOICES,
                coerce=int,
                initial=row.declared_level if row else None,
            )
            self.fields[f"{aspect}_evidence"] = forms.CharField(
                label=_("%(aspect)s: evidence") % {"aspect": label},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=row.evidence if row else "",
            )

    def levels(self) -> dict[str, tuple[int, str]]:
        return {a: (self.cleaned_data[f"{a}_level"], self.cleaned_data[f"{a}_evidence"]) for a in Aspect.values}


class VerifyForm(HubFormMixin, forms.Form):
    def __init__(self, *args, aspects, **kwargs):
        super().__init__(*args, **kwargs)
        for row in aspects:
            self.fields[f"{row.aspect}_level"] = forms.TypedChoiceField(
                label=_("%(aspect)s: verified level") % {"aspect": row.get_aspect_display()},
                choices=LEVEL_CHOICES,
                coerce=int,
                initial=row.verified_level or row.declared_level,
            )
            self.fields[f"{row.aspect}_reason"] = forms.CharField(
                label=_("%(aspect)s: reason for a change") % {"aspect": row.get_aspect_display()},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
            )
        self.aspects = [row.aspect for row in aspects]

    def verified(self) -> dict[str, tuple[int, str]]:
        return {a: (self.cleaned_data[f"{a}_level"], self.cleaned_data[f"{a}_reason"]) for a in self.aspects}


class ProvincialEditionForm(HubFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year"), validators=[validate_year])
    name = forms.CharField(label=_("Name"), max_length=200, required=False)


class HubStatusForm(HubFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Hub.Status.choices)
    since = forms.DateField(label=_("Since"), widget=DATE, initial=dt.date.today)
