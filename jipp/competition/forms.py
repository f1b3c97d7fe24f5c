from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jipp.competition.models import Edition, Group, Proposal, RequiredAttachment, ScreeningDecision
from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import TypeaheadSelectMultiple
from jipp.registry.bounds import validate_year
from jipp.registry.models import Category, Innovation, Sdg


class ProposalStartForm(StyledFormMixin, forms.Form):
    innovation = forms.ModelChoiceField(
        label=_("Innovation from your unit's registry"), queryset=Innovation.objects.none()
    )
    group = forms.ModelChoiceField(label=_("Group"), queryset=Group.objects.none())

    def __init__(self, *args, edition: Edition, unit, **kwargs):
        super().__init__(*args, **kwargs)
        taken = Proposal.objects.filter(edition=edition).values("innovation_id")
        self.fields["innovation"].queryset = (
            Innovation.objects.filter(unit=unit, status=Innovation.Status.PUBLISHED).exclude(pk__in=taken)
        ).order_by("title")
        groups = edition.groups.all()
        invited = [
            g.pk for g in groups if not g.invitation_only or g.invited_agencies.filter(pk=unit.agency_id).exists()
        ]
        self.fields["group"].queryset = edition.groups.filter(pk__in=invited)


def section_max_chars(max_words: int) -> int:
    """The most characters a section may hold: 20 per allowed word, at least 5,000."""
    return max(5_000, max_words * 20)


class ProposalEditForm(StyledFormMixin, forms.Form):
    """The proposal's fields plus one text area per section of its group (`section_<key>`)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    title = forms.CharField(label=_("Title"), max_length=250)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"), queryset=Category.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Sustainable Development Goals (TPB/SDGs)"),
        queryset=Sdg.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, proposal: Proposal, sections, **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = sections
        self.fields["categories"].queryset = proposal.edition.categories.all()
        if proposal.group.kind == Group.Kind.REPLIKASI:
            self.fields["source_innovations"] = forms.ModelMultipleChoiceField(
                label=_("Top 99 innovations this one replicates"),
                queryset=Innovation.objects.exclude(award_tier="").exclude(pk=proposal.innovation_id).order_by("title"),
                required=False,
                help_text=_("Name them also in the Inspiration section."),
                widget=TypeaheadSelectMultiple(url=reverse_lazy("registry:search_innovations"), params={"awarded": 1}),
            )
        for section in sections:
            self.fields[f"section_{section.key}"] = forms.CharField(
                label=section.display_title,
                required=False,
                # Generous (words run far shorter), but a cap: a section is never megabytes of text.
                max_length=section_max_chars(section.max_words),
                help_text=_("At most %(n)d words.") % {"n": section.max_words},
                widget=forms.Textarea(
                    attrs={
                        "rows": 6,
                        "data-word-limit": section.max_words,
                        "data-words-label": _("words"),
                        "class": "form-control",
                    }
                ),
            )
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxSelectMultiple):
                field.widget.attrs["class"] = "form-check-input"

    def section_fields(self):
        return [self[f"section_{s.key}"] for s in self.sections]

    def answers(self) -> dict[str, str]:
        """The valid sections' text; a section with an error (too long) is left as stored, never blanked."""
        return {
            s.key: self.cleaned_data[f"section_{s.key}"]
            for s in self.sections
            if f"section_{s.key}" in self.cleaned_data
        }


class AttachmentForm(StyledFormMixin, forms.Form):
    requirement = forms.ModelChoiceField(label=_("Attachment"), queryset=RequiredAttachment.objects.none())
    file = forms.FileField(label=_("File (PDF, DOCX, XLSX, JPEG or PNG)"))

    def __init__(self, *args, proposal: Proposal, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = proposal.group.required_attachments.filter(
            kind=RequiredAttachment.Kind.FILE
        )


class ReturnForm(StyledFormMixin, forms.Form):
    note = forms.CharField(label=_("What should the unit change?"), widget=forms.Textarea(attrs={"rows": 3}))


class DecisionForm(StyledFormMixin, forms.Form):
    outcome = forms.ChoiceField(label=_("Decision"), choices=ScreeningDecision.Outcome.choices)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class CopyEditionForm(StyledFormMixin, forms.Form):
    year = forms.IntegerField(label=_("Year of the new edition"), validators=[validate_year])
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
