from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role, User
from jipp.competition.evaluation.common import level_descriptors
from jipp.competition.evaluation.models import EvaluationSettings, Member, Objection
from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import DatePickerInput, TypeaheadSelect, TypeaheadSelectMultiple
from jipp.regions.models import Agency, Region
from jipp.registry.models import Category


class SettingsForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = EvaluationSettings
        fields = [
            "reviews_per_proposal", "conflict_own_agency", "conflict_home_province", "conflict_declared",
            "blind_desk", "blind_panel", "hide_innovation_link", "require_comments", "deciding_method",
            "trim_proportion", "min_reviews_for_zscore", "min_spread_for_zscore", "disagreement_threshold",
            "passing_grade", "panel_marks_required", "signatory_name", "signatory_title", "finalists_umum",
            "finalists_replikasi", "finalists_khusus", "min_3t", "max_category_share", "max_province_share",
            "min_ministry_share", "scrutiny_days", "slot_minutes", "desk_weight", "presentation_weight", "top_umum",
            "top_outstanding", "top_replikasi",
        ]  # fmt: skip


class InviteForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Team"), choices=Member.Kind.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    username = forms.CharField(label=_("Username"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    home_province = forms.ModelChoiceField(
        label=_("Home province"), queryset=Region.objects.filter(level=Region.Level.PROVINCE), required=False
    )
    expertise = forms.ModelMultipleChoiceField(
        label=_("Expertise"), queryset=Category.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )
    capacity = forms.IntegerField(label=_("Most proposals"), min_value=0, required=False)


class AddMemberForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Team"), choices=Member.Kind.choices)
    account = forms.ModelChoiceField(
        label=_("Existing account"),
        queryset=User.objects.filter(role__in=[Role.EVALUATOR, Role.PANELIS]).order_by("username"),
        widget=TypeaheadSelect(url=reverse_lazy("accounts:search_people"), params={"role": "evaluator,panelis"}),
    )


class DeclarationForm(StyledFormMixin, forms.Form):
    conflict_agencies = forms.ModelMultipleChoiceField(
        label=_("Agencies you have a conflict with"),
        queryset=Agency.objects.order_by("name"),
        required=False,
        help_text=_("For example the agency you worked for or advise. You may choose several."),
        widget=TypeaheadSelectMultiple(url=reverse_lazy("regions:search_agencies")),
    )
    conflict_regions = forms.ModelMultipleChoiceField(
        label=_("Regions you have a conflict with"),
        queryset=Region.objects.filter(level=Region.Level.PROVINCE).order_by("name"),
        required=False,
    )


class AvailabilityForm(DeclarationForm):
    """Panelists also give the presentation days they can attend."""

    available_days = forms.CharField(
        label=_("Days you can attend the presentations (YYYY-MM-DD, comma-separated)"),
        required=False,
        help_text=_("Empty: every day."),
    )

    def clean_available_days(self):
        import datetime as dt

        days = []
        for part in self.cleaned_data["available_days"].split(","):
            part = part.strip()
            if not part:
                continue
            try:
                days.append(dt.date.fromisoformat(part).isoformat())
            except ValueError as exc:
                raise forms.ValidationError(_("Write each day as YYYY-MM-DD.")) from exc
        return days


class ImportForm(StyledFormMixin, forms.Form):
    file = forms.FileField(label=_("CSV file (proposal_id, evaluator)"))


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ConfirmNominationForm(StyledFormMixin, forms.Form):
    add = forms.CharField(label=_("Add proposals (numbers, comma-separated)"), required=False)
    remove = forms.CharField(label=_("Remove proposals (numbers, comma-separated)"), required=False)
    plenary_record = forms.CharField(label=_("Plenary decision"), widget=forms.Textarea(attrs={"rows": 4}))

    @staticmethod
    def _ids(value: str) -> list[int]:
        out = []
        for part in value.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise forms.ValidationError(_("Use proposal numbers separated by commas."))
            out.append(int(part))
        return out

    def clean_add(self):
        return self._ids(self.cleaned_data["add"])

    def clean_remove(self):
        return self._ids(self.cleaned_data["remove"])


class ObjectionForm(StyledFormMixin, forms.ModelForm):
    """Spam protection: a hidden honeypot field, a simple sum, and a rate limit in the service."""

    website = forms.CharField(label=_("Leave this empty"), required=False)
    answer = forms.IntegerField(label=_("Sum"))

    class Meta:
        model = Objection
        fields = ["finalist", "name", "contact", "grounds", "file"]
        widgets = {"grounds": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, finalists=None, question=(2, 3), **kwargs):
        super().__init__(*args, **kwargs)
        self.question = question
        self.fields["finalist"].queryset = finalists
        self.fields["answer"].label = _("Anti-spam: how much is %(a)d + %(b)d?") % {"a": question[0], "b": question[1]}
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.fields["file"].required = False
        self.fields["file"].help_text = _("Optional: PDF, JPEG or PNG, at most 5 MB.")

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("This field must stay empty."))
        return ""

    def clean_answer(self):
        if self.cleaned_data["answer"] != sum(self.question):
            raise forms.ValidationError(_("That is not the right sum."))
        return self.cleaned_data["answer"]


class ResolveForm(StyledFormMixin, forms.Form):
    status = forms.ChoiceField(
        label=_("Decision"),
        choices=[(Objection.Status.UPHELD, _("Upheld")), (Objection.Status.DISMISSED, _("Dismissed"))],
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 2}))
    disqualify = forms.BooleanField(label=_("Disqualify the finalist"), required=False)


class OutcomeForm(StyledFormMixin, forms.Form):
    outcome = forms.CharField(label=_("Outcome of the public scrutiny"), widget=forms.Textarea(attrs={"rows": 3}))


class ScheduleForm(StyledFormMixin, forms.Form):
    days = forms.CharField(label=_("Days (YYYY-MM-DD, comma-separated)"))
    rooms = forms.IntegerField(label=_("Parallel rooms"), min_value=1, max_value=20, initial=2)
    day_start = forms.TimeField(label=_("First slot (WIB)"), initial="08:00")
    link_base = forms.URLField(label=_("Meeting link base"), required=False, assume_scheme="https")

    def clean_days(self):
        import datetime as dt

        days = []
        for part in self.cleaned_data["days"].split(","):
            try:
                days.append(dt.date.fromisoformat(part.strip()))
            except ValueError as exc:
                raise forms.ValidationError(_("Write each day as YYYY-MM-DD.")) from exc
        return days


class PanelScoreForm(StyledFormMixin, forms.Form):
    presentation = forms.DecimalField(label=_("Presentation (0-100)"), min_value=0, max_value=100, decimal_places=2)
    interview = forms.DecimalField(label=_("Interview (0-100)"), min_value=0, max_value=100, decimal_places=2)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class VerificationForm(StyledFormMixin, forms.Form):
    passed = forms.TypedChoiceField(
        label=_("Result"), choices=[("1", _("Pass")), ("0", _("Fail"))], coerce=lambda v: v == "1"
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 2}))


class DecreeForm(StyledFormMixin, forms.Form):
    number = forms.CharField(label=_("Decree number"), max_length=200)
    date = forms.DateField(label=_("Decree date"), widget=DatePickerInput())


class VerifyCodeForm(StyledFormMixin, forms.Form):
    code = forms.CharField(label=_("Verification code"), max_length=20)


class ReviewForm(StyledFormMixin, forms.Form):
    """One score and one comment per rubric criterion; the scores are checked by the service (so a bad
    value is reported with the criterion named and nothing typed is lost)."""

    def __init__(self, *args, criteria, review=None, locked=False, blind=False, require_comments=False, **kwargs):
        initial = {}
        if review is not None:
            initial["blind_declared"] = review.blind_declared
            for key, value in review.scores.items():
                initial[f"score_{key}"] = value
            for key, value in review.comments.items():
                initial[f"comment_{key}"] = value
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = criteria
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.CharField(
                label=_("Score for %(criterion)s (%(low)d-%(high)d)")
                % {"criterion": c, "low": c.scale_min, "high": c.scale_max},
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "size": 5}),
                help_text=c.guidance,
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=(_("Comment on %(criterion)s (required)") if require_comments and c.weight > 0
                       else _("Comment on %(criterion)s")) % {"criterion": c},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip
        if blind:
            self.fields["blind_declared"] = forms.BooleanField(
                label=_(
                    "I declare that I did not search for, and do not know, who proposed this innovation, and "
                    "that I judged it only on what is written here."
                ),
                required=False,
            )
        if locked:
            for field in self.fields.values():
                field.disabled = True

    def rows(self):
        """(criterion, score field, comment field, level descriptors) per criterion."""
        for c in self.criteria:
            yield c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"], level_descriptors(c.guidance)

    def typed(self) -> tuple[dict, dict]:
        scores = {str(c.pk): self.data.get(f"score_{c.pk}", "") for c in self.criteria}
        comments = {str(c.pk): self.data.get(f"comment_{c.pk}", "") for c in self.criteria}
        return scores, comments
