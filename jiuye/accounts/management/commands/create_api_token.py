from django.core.management.base import CommandError

from jiuye.accounts import services
from jiuye.accounts.models import User
from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    help = "为用户签发 /api/v1 的访问令牌（Bearer）。令牌只显示这一次。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--name", default="api", help="令牌用途（默认 api）")

    def handle(self, *args, **o):
        user = User.objects.filter(username=o["username"]).first()
        if user is None:
            raise CommandError(f"用户 {o['username']} 不存在")
        key = services.issue_api_token(actor=None, user=user, name=o["name"])
        self.stderr.write(f"已为用户 {user.username} 签发访问令牌（用途：{o['name']}）。令牌只显示这一次，请妥善保存：",
                          style_func=str)
        self.stdout.write(key)  # the key alone on stdout, for scripts
