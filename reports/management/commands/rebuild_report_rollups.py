"""manage.py rebuild_report_rollups: make the reports' rollup tables again from every loan."""

from typing import Any

from django.core.management.base import BaseCommand

from reports import rollups


class Command(BaseCommand):
    help = "Rebuild the reports' pre-aggregated lending tables from the loans (safe any time)."

    def handle(self, *args: Any, **options: Any) -> None:
        state = rollups.rebuild()
        if options["verbosity"]:
            self.stdout.write(f"Rollups rebuilt from loans up to id {state.last_loan_id}.")
