from django.core.management.base import BaseCommand, CommandError

from jiuye.accounts import services
from jiuye.accounts.models import User


class Command(BaseCommand):
    help = "Issue a bearer token for /api/v1 to a user. The key is printed once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="api", help="what the token is for")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"用户 {o['username']} 不存在")
        self.stdout.write(services.issue_api_token(actor=None, user=user, name=o["name"]))
