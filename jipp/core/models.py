from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class TaskRun(models.Model):
    """One run of a background job for one scope: never two at once, safe across a worker restart.

    `(name, scope)` names the work ("registry.refresh_all_similar", "all"; "competition.screen",
    "edition:12"). At most one run per scope is queued or running at a time (a partial unique
    constraint, so two app servers that enqueue at the same moment get one run). A running job
    beats `heartbeat_at`; a run whose heartbeat is older than `jipp.core.taskruns.STALE_AFTER`
    belonged to a worker that died, and the next request for that scope replaces it.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        ABANDONED = "abandoned", _("abandoned (worker stopped)")

    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=200, default="all")
    state = models.CharField(max_length=20, choices=State.choices, default=State.QUEUED)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(null=True, blank=True)
    message = models.TextField(blank=True, default="")
    result = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Asked for again while running (the data changed after it started): one more run follows.
    rerun = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name", "scope"],
                condition=models.Q(state__in=["queued", "running"]),
                name="core_taskrun_one_active_per_scope",
            )
        ]
        indexes = [models.Index(fields=["name", "scope", "-created_at"], name="core_taskrun_latest")]

    def __str__(self) -> str:
        return f"{self.name} [{self.scope}] {self.state}"
