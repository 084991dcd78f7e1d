import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from jiuye.accounts import services
from jiuye.accounts.models import Role


class Command(BaseCommand):
    help = "Create a user bound to a role and a region node."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=Role.values)
        parser.add_argument("--region", help="12-digit (or significant-prefix) region code")
        parser.add_argument("--name", default="", help="display name")
        parser.add_argument("--password", help="password (prompted when omitted)")

    def handle(self, *args, **o):
        password = o["password"] or getpass.getpass("密码: ")
        try:
            user = services.create_user(actor=None, username=o["username"], password=password, role=o["role"],
                                        region_code=o["region"], display_name=o["name"])
        except ValidationError as exc:
            raise CommandError("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())) from exc
        self.stdout.write(f"created user {user.username} role={user.role} region={user.region_id}")
