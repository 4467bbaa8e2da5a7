"""manage.py metrics --cycle CODE [--region GB2260CODE] [--kind KIND] [--industry X] [--tier T]

Prints the dashboard's figures as JSON (each target's value, target and gap; certified platforms
per tier; the platform count; monitoring compliance of the latest monitoring year per region
and the downgrades and exits per monitoring year), from the same selector the web dashboards use.
"""

import json

from django.core.management.base import BaseCommand, CommandError

from assessment.errors import ApplicationError
from assessment.selectors.dashboards import (
    dashboard_data,
    filter_options,
    metrics_summary,
    parse_filters,
)


class Command(BaseCommand):
    help = "Print the Action Plan metrics of a cycle (optionally of a region or kind) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--cycle", required=True, help="Assessment cycle code, e.g. 2027.")
        parser.add_argument("--region", help="GB/T 2260 code of a province or city.")
        parser.add_argument("--kind", help="Platform kind: specialized, industry, collaborative.")
        parser.add_argument("--industry", help="GB/T 4754 section letter, e.g. C.")
        parser.add_argument("--tier", help="Only platforms certified at this tier.")

    def handle(self, *args, cycle, region, kind, industry, tier, **options):
        params = {"cycle": cycle, "kind": kind, "industry": industry, "tier": tier}
        filters, errors = parse_filters({name: value or "" for name, value in params.items()})
        if errors:
            raise CommandError(" ".join(errors.values()))
        if not filter_options()["cycles"]:
            raise CommandError("There is no assessment cycle yet.")
        try:
            data = dashboard_data(user=None, region_code=region or None, filters=filters)
        except ApplicationError as error:
            raise CommandError(f"Unknown region {region!r}.") from error
        summary = metrics_summary(data)
        self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=2))
