import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from trajectoires.territories.enums import TerritoryKind
from trajectoires.territories.forms import TerritoryForm
from trajectoires.territories.selectors import territory_list
from trajectoires.territories.services import territory_create


class Command(BaseCommand):
    help = "Territories in transition: `territory create` and `territory list`."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="create a territory on its perimeter")
        create.add_argument("--name", required=True)
        create.add_argument("--kind", required=True, choices=TerritoryKind.values)
        create.add_argument(
            "--area",
            action="append",
            required=True,
            dest="areas",
            help="an area code (repeat for a perimeter): 42218, 244200770, region:84",
        )
        create.add_argument(
            "--joined",
            default=datetime.date.today().isoformat(),
            help="alliance membership date, YYYY-MM-DD (default: today)",
        )
        create.add_argument("--description", default="")
        actions.add_parser("list", help="list territories")

    def handle(self, *args, action: str, **options):
        if action == "list":
            for territory in territory_list():
                self.stdout.write(f"{territory.slug}\t{territory.get_kind_display()}\t{territory.name}")
            return
        # The CLI goes through the same validation as the web form.
        form = TerritoryForm(
            data={
                "name": options["name"],
                "kind": options["kind"],
                "areas": " ".join(options["areas"]),
                "alliance_joined_on": options["joined"],
                "description": options["description"],
            }
        )
        if not form.is_valid():
            errors = "; ".join(f"{field}: {' '.join(messages)}" for field, messages in form.errors.items())
            raise CommandError(f"Nothing was created. {errors}")
        try:
            territory = territory_create(actor=None, **form.cleaned_data)
        except ValidationError as error:
            raise CommandError(f"Nothing was created. {'; '.join(error.messages)}") from error
        self.stdout.write(self.style.SUCCESS(f"Created {territory.name} ({territory.slug})."))
