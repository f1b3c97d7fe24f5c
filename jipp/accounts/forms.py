from django import forms
from django.contrib.auth import forms as auth_forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from jipp.accounts.models import Role, User
from jipp.accounts.services import roles_creatable_by
from jipp.core.forms import StyledFormMixin
from jipp.core.widgets import TypeaheadSelect
from jipp.regions.models import Agency, Region, ServiceUnit


class AccountCreateForm(StyledFormMixin, forms.Form):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and . @ + - _ only.")},
    )
    full_name = forms.CharField(label=_("Full name"), max_length=150)
    email = forms.EmailField(label=_("Email"), required=False)
    role = forms.ChoiceField(label=_("Role"))
    agency = forms.ModelChoiceField(
        label=_("Agency"),
        queryset=Agency.objects.none(),
        required=False,
        widget=TypeaheadSelect(url=reverse_lazy("regions:search_agencies")),
    )
    unit = forms.ModelChoiceField(
        label=_("Service unit"),
        queryset=ServiceUnit.objects.none(),
        required=False,
        widget=TypeaheadSelect(url=reverse_lazy("regions:search_units")),
    )
    affiliation = forms.CharField(label=_("Affiliation"), max_length=200, required=False)
    home_province = forms.ModelChoiceField(
        label=_("Home province"), queryset=Region.objects.filter(level=Region.Level.PROVINCE), required=False
    )

    def __init__(self, *args, creator: User, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = roles_creatable_by(creator)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in allowed]
        if creator.is_ministry:
            self.fields["agency"].queryset = Agency.objects.order_by("name")
            agency_id = self.data.get("agency") or self.initial.get("agency")
            units = ServiceUnit.objects.select_related("agency")
            self.fields["unit"].queryset = units.filter(agency_id=agency_id) if agency_id else units
        else:
            del self.fields["agency"]
            del self.fields["affiliation"]
            del self.fields["home_province"]
            self.fields["unit"].queryset = ServiceUnit.objects.filter(agency_id=creator.agency_id)
            self.fields["unit"].widget.params = {"agency": creator.agency_id}
            self.fields["role"].initial = Role.UPP

    def clean_username(self):
        username = self.cleaned_data["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is already taken."))
        return username

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == Role.UPP and not data.get("unit"):
            self.add_error("unit", _("Choose the service unit this operator works for."))
        if role in (Role.ADMIN_LOKAL, Role.HUB_ADMIN) and not data.get("agency"):
            self.add_error("agency", _("Choose the agency this administrator manages."))
        return data


class LoginForm(auth_forms.AuthenticationForm):
    """Django's own message reads "nama pengguna nama pengguna" in Indonesian (its msgstr already names
    the field, then inserts the field's label again); ours names the username once."""

    error_messages = {
        **auth_forms.AuthenticationForm.error_messages,
        "invalid_login": _("Wrong username or password. Both are case-sensitive."),
    }


class PasswordChangeForm(StyledFormMixin, auth_forms.PasswordChangeForm):
    pass


class PasswordResetForm(StyledFormMixin, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(StyledFormMixin, auth_forms.SetPasswordForm):
    pass
