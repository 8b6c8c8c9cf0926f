from django.core.management.base import BaseCommand, CommandError

from sharing_city.accounts.cities import load_city


class Command(BaseCommand):
    help = "Load a city's districts from a shipped city file (seoul, bangkok) or a JSON path."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("city", help="shipped city name or path to a city JSON file")

    def handle(self, *args, city: str, **options):  # type: ignore[no-untyped-def]
        try:
            result = load_city(city)
        except (FileNotFoundError, KeyError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.city}: {result.created} districts created, {result.updated} updated"
        )
