"""A person's data: `personal_data export <username>` prints JSON; `personal_data anonymise <username> --by <you>`."""

import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jipp.accounts.models import User
from jipp.accounts.personal_data import anonymise_person, export_person


class Command(BaseCommand):
    help = "Export a person's data as JSON, or anonymise their account where the rules allow."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "anonymise"])
        parser.add_argument("username")
        parser.add_argument("--by", help="The Ministry account doing it (recorded in the audit log).")

    def handle(self, *args, action: str, username: str, by: str | None = None, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account {username!r}.")
        if action == "export":
            self.stdout.write(json.dumps(export_person(user), indent=2, ensure_ascii=False, default=str))
            return
        actor = User.objects.filter(username=by or "").first()
        if actor is None or not actor.is_ministry:
            raise CommandError("Give --by <username> of a Ministry account: the audit log records who did it.")
        try:
            anonymise_person(user=user, by=actor)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Anonymised: the account is now {user.pk} 'anonymised-{user.pk}', login disabled.")
