"""Load the demo city: districts, demo logins and each app's demo data. Safe to run again."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from sharing_city.accounts.cities import load_city
from sharing_city.accounts.demo import DEMO_MEMBERS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Load the demo city (idempotent). Refused on a production site unless --force."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--force", action="store_true", help="load even though DEBUG is off (public demos)"
        )

    def handle(self, *args, force: bool = False, **options):  # type: ignore[no-untyped-def]
        if not settings.DEBUG and not force:
            raise CommandError(
                "Refusing to create demo logins on a site with DEBUG off; use --force "
                "(and ALLOW_DEMO_LOGINS=true) for a public demo."
            )
        result = load_city(settings.CITY_SLUG)
        self.stdout.write(f"districts: {result.created} created, {result.updated} updated")
        # Each loader manages its own transactions (services use durable ones).
        for dotted in settings.DEMO_LOADERS:
            import_string(dotted)(stdout=self.stdout)
        names = ", ".join(name for name, *_ in DEMO_MEMBERS)
        self.stdout.write(f"demo logins (password {DEMO_PASSWORD}): {names}")
