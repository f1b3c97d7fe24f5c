from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompetitionConfig(AppConfig):
    name = "jipp.competition"
    label = "competition"
    verbose_name = _("KIPP competition")
    guides = [
        ("kipp-upp", _("KIPP: writing a proposal (UPP operators)")),
        ("kipp-admin-lokal", _("KIPP: checking and forwarding proposals (Admin Lokal)")),
        ("kipp-secretariat", _("KIPP: administrative selection (secretariat)")),
    ]

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("competition:edition_list", _("KIPP"), 30)]
        if user is not None and user.is_authenticated and user.has_perm("competition.list_proposals"):
            items.append(NavItem("competition:proposal_list", _("Proposals"), 31))
            items.append(NavItem("competition:notifications", _("Notifications"), 90))
        return items
