"""System checks for deployment settings the registry relies on."""
from django.core.checks import Warning, register
from django.db import connection


@register("database", deploy=True)
def postgres_collation(app_configs, **kwargs):
    """Prefix search on names and identity numbers uses index range scans, which match prefixes only
    under code-point ordering. A PostgreSQL database should be created with LC_COLLATE C or C.UTF-8."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        collate = cursor.fetchone()[0]
    if collate.split(".")[0] in {"C", "POSIX"}:
        return []
    return [Warning(
        f"PostgreSQL database collation is {collate!r}; person search by name prefix needs C or C.UTF-8.",
        hint="createdb --template=template0 --locale=C.UTF-8 jiuye", id="jiuye.W001")]
