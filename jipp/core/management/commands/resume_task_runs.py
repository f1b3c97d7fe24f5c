"""Start again the background jobs whose worker stopped mid-way (run it when a worker starts)."""

from django.core.management.base import BaseCommand

from jipp.core import taskruns


class Command(BaseCommand):
    help = "Re-enqueue the runs of background jobs abandoned by a stopped worker (see jipp.core.taskruns)."

    def handle(self, *args, **options):
        # Importing the apps' task modules registers their resumable jobs.
        import importlib

        from django.apps import apps
        from django.utils.module_loading import module_has_submodule

        for config in apps.get_app_configs():
            if module_has_submodule(config.module, "tasks"):
                importlib.import_module(f"{config.name}.tasks")
        runs = taskruns.resume_abandoned()
        self.stdout.write(f"{len(runs)} abandoned run(s) started again")
