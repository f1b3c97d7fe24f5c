from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """KIPP part 2: evaluators, assignment, reviews, nomination, public scrutiny, presentations, results.

    A sub-app of the competition with its own models and migrations, built on the competition's
    editions and proposals.
    """

    name = "jipp.competition.evaluation"
    label = "evaluation"
    verbose_name = _("KIPP evaluation and results")
    guides = [
        ("kipp-evaluator", _("KIPP: scoring proposals (evaluators)")),
        ("kipp-panel", _("KIPP: nomination and presentations (independent panel)")),
        ("kipp-evaluation-secretariat", _("KIPP: running the evaluation and the results (secretariat)")),
        ("kipp-public", _("KIPP: finalists, objections and certificates (the public)")),
    ]

    notification_kinds = {
        "kipp.review_reminder": _("KIPP %(year)s: you still have %(open)s of %(total)s reviews to submit."),
    }

    def ready(self):
        from jipp.competition.evaluation import signals  # noqa: F401 (connects the freeze guard)

    def anonymise_refusal(self, user):
        """Personal data (accounts.personal_data): an evaluator or panelist of an edition whose results are not
        frozen yet stays named (their reviews and scores are still being read and may be questioned)."""
        from jipp.competition.evaluation.models import EvaluationSettings, Member

        editions = Member.objects.filter(user=user).values_list("edition_id", flat=True)
        open_editions = [
            e for e in editions
            if not EvaluationSettings.objects.filter(edition_id=e, results_published_at__isnull=False,
                                                     revision_open_at__isnull=True).exists()
        ]  # fmt: skip
        if open_editions:
            return _("This person is an evaluator or panelist of an edition whose results are not final yet.")
        return None

    def nav_items(self, user):
        from jipp.core.nav import NavItem

        items = [
            NavItem("evaluation:public_index", _("Top Innovations"), 34, group="kipp"),
            NavItem("evaluation:verify", _("Verify a certificate"), 39, group="kipp"),
        ]
        if user is None or not user.is_authenticated:
            return items
        if user.has_perm("evaluation.my_reviews"):
            items.append(NavItem("evaluation:my_reviews", _("My reviews"), 32, group="kipp"))
        if user.has_perm("evaluation.view_ranking"):
            items.append(NavItem("evaluation:index", _("Evaluation"), 33, group="kipp"))
        if user.has_perm("evaluation.score_panel"):
            items.append(NavItem("evaluation:panel", _("My presentations"), 32, group="kipp"))
        return items

    def edition_results_urls(self, years) -> dict[int, str]:
        """The registry's hook for its award-history pages: {year: this edition's public results page}."""
        from django.urls import reverse

        from jipp.competition.evaluation.models import EvaluationSettings

        published = EvaluationSettings.objects.filter(
            edition__year__in=list(years), results_published_at__isnull=False
        ).values_list("edition__year", flat=True)
        return {year: reverse("evaluation:public_results", args=[year]) for year in published}

    def home_items(self, user):
        """Lines on the person's home page (/home/): what to do now, with counts and deadlines."""
        from jipp.competition.evaluation.home import home_items

        return home_items(user)
