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
    # Messages about a proposal are composed by the services (in the actor's language) and bridged here.
    audit_urls = {"proposal": "competition:proposal_detail"}
    notification_kinds = {"kipp.proposal": _("%(message)s")}

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [NavItem("competition:edition_list", _("Editions"), 30, group="kipp")]
        if user is not None and user.is_authenticated and user.has_perm("competition.list_proposals"):
            items.append(NavItem("competition:proposal_list", _("Proposals"), 31, group="kipp"))
        return items

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.competition.home import home_items

        return home_items(user)
