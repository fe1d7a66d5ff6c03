from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from trajectoires.site.demo import demo_load, demo_logins


class Command(BaseCommand):
    help = "Load the demo alliance (idempotent) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="only print the demo logins")
        parser.add_argument(
            "--if-new", action="store_true", help="load only into a database with no account yet"
        )

    def handle(self, *args, logins: bool, if_new: bool, **options):
        if if_new and get_user_model().objects.exists():
            logins = True
        if not logins:
            try:
                created = demo_load()
            except LookupError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(
                f"Demo alliance: {len(created)} item(s) created"
                + (f" ({', '.join(created)})." if created else ".")
            )
        self.stdout.write("Demo logins (e-mail / password / role):")
        for email, password, role in demo_logins():
            self.stdout.write(f"  {email}  /  {password}  ({role})")
