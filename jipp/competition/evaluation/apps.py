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
    guides: list = []

    def nav_items(self, user):
        return []
