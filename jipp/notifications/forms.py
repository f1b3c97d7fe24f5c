from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from jipp.notifications.models import Preference


class PreferenceForm(forms.Form):
    email = forms.ChoiceField(
        label=_("Send me notifications by e-mail"), choices=Preference.Email.choices, widget=forms.RadioSelect
    )
    language = forms.ChoiceField(label=_("Language of e-mails"), choices=settings.LANGUAGES)
