import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from jiuye.accounts import services
from jiuye.accounts.models import Role, User
from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    help = "创建用户：绑定一个角色和一个区划节点。"

    def add_arguments(self, parser):
        parser.add_argument("username", help="用户名")
        parser.add_argument("--role", required=True, choices=Role.values,
                            help="角色：" + "，".join(f"{value}（{label}）" for value, label in Role.choices))
        parser.add_argument("--region", help="区划代码（12位，或去掉末尾0的前缀，如 610102001）")
        parser.add_argument("--name", default="", help="显示名称")
        parser.add_argument("--password", help="密码（不填则提示输入）")

    def handle(self, *args, **o):
        password = o["password"] or getpass.getpass("密码: ")
        try:
            user = services.create_user(actor=None, username=o["username"], password=password, role=o["role"],
                                        region_code=o["region"], display_name=o["name"])
        except ValidationError as exc:
            raise CommandError("；".join(f"{_label(k)}：{''.join(v)}" for k, v in exc.message_dict.items())) from exc
        region = user.region.full_name or user.region.name if user.region_id else "无"
        self.stdout.write(f"已创建用户 {user.username}，角色：{user.get_role_display()}，区划：{region}")


def _label(field: str) -> str:
    """A field's Chinese name for an error message (the model's verbose name)."""
    try:
        return str(User._meta.get_field(field).verbose_name)
    except Exception:
        return {"region_code": "区划", "__all__": "错误"}.get(field, field)
