from django.core.management.base import BaseCommand, CommandError

from jiuye.regions import services


class Command(BaseCommand):
    help = "Load the seed region tree (西安市、安康市、武威市, 新城区 streets and communities) or a file of regions."

    def add_arguments(self, parser):
        parser.add_argument("--file", help="CSV (code,name) or YAML file of regions to load in addition")

    def handle(self, *args, **options):
        result = services.load_seed_regions()
        if options.get("file"):
            try:
                extra = services.load_regions(services.region_rows_from_file(options["file"]))
            except (OSError, ValueError) as exc:
                raise CommandError(str(exc)) from exc
            result.created += extra.created
            result.updated += extra.updated
            result.unchanged += extra.unchanged
        self.stdout.write(f"regions created={result.created} updated={result.updated} unchanged={result.unchanged}")
