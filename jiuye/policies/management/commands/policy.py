"""jiuye policy check|load|list|explain: policy packs from the command line.

- ``check PACK...``: every mistake as ``file:line: message`` (the validator of ``jiuye params check``), then
  "错误 N 处，未加载任何政策" and exit 1; else one "通过" line with the counts;
- ``load PACK [--user U]``: a new version of the pack (unchanged text: the current version); prints it;
- ``list``: packs, their versions (who loaded them, when) and the policies of the current version;
- ``explain [--person ID_NUMBER] [--employer CREDIT_CODE] --policy ID --as-of DATE [--user U] [--json]``:
  the trace in Chinese (each condition ✓/✗ with its fact and source record, each parameter with its value
  and legal basis, the amount and months); audited as a read of the person/employer; with ``--user``
  limited to that account's scope and the identity number masked unless the role may see full numbers.
"""
from __future__ import annotations

import datetime
import json
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import CommandError
from django.http import Http404

from jiuye.accounts import audit, roles
from jiuye.cli import Command as JiuyeCommand
from jiuye.parameters import files
from jiuye.policies import pack as pack_format
from jiuye.policies.queries import catalogue
from jiuye.policies.queries import explain as explaining
from jiuye.policies.services import packs
from jiuye.registry.identity import mask_id_number

EXIT_INVALID = 1


def user_of(username: str | None):
    """The account a command acts as (``--user``), or None (an operator)."""
    if not username:
        return None
    user = get_user_model().objects.select_related("region").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def date_arg(text: str, name: str = "--as-of") -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except (TypeError, ValueError):
        raise CommandError(f"参数 {name} 的取值“{text}”不是有效日期（应为 YYYY-MM-DD）") from None


def errors_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "；".join(m for ms in exc.message_dict.values() for m in ms)
    return "；".join(exc.messages)


class Command(JiuyeCommand):
    help = "政策包：检查（check）、加载（load）、列出（list）、说明某人/某单位能否享受某项政策（explain）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        check = sub.add_parser("check", help="检查政策包：逐条列出错误（文件:行号），有错误时不加载任何政策")
        check.add_argument("files", nargs="+", help="政策包文件（.yaml）或目录")
        load = sub.add_parser("load", help="加载政策包为新版本（内容未变则不新增版本）")
        load.add_argument("file", help="政策包文件（.yaml）")
        load.add_argument("--user", help="以该用户身份加载（须有政策管理权限）")
        load.add_argument("--note", default="", help="版本说明")
        sub.add_parser("list", help="列出政策包、版本和政策")
        ex = sub.add_parser("explain", help="逐条说明条件、事实、参数及依据")
        ex.add_argument("--person", default="", help="公民身份号码")
        ex.add_argument("--employer", default="", help="统一社会信用代码（单位招用某人的补贴与 --person 同时使用）")
        ex.add_argument("--policy", required=True, help="政策编号，如 xc2020-hiring-once")
        ex.add_argument("--as-of", required=True, help="判定日期 YYYY-MM-DD")
        ex.add_argument("--user", help="以该用户身份查询（限其管辖范围；无权查看完整号码的角色显示脱敏号码）")
        ex.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **options):
        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            getattr(self, f"do_{options['action']}")(options)
        finally:
            audit.reset_context(token)

    # -----------------------------------------------------------------------------------------

    def do_check(self, options) -> None:
        sources = files.expand(options["files"])
        checked = pack_format.check(sources)
        if checked.errors:
            for error in checked.errors:
                self.stdout.write(str(error))
            self.stdout.write(f"错误 {len(checked.errors)} 处，未加载任何政策")
            self.stdout.flush()
            sys.exit(EXIT_INVALID)
        policies = sum(len(p.policies) for p in checked.packs)
        self.stdout.write(f"通过：{len(sources)} 个文件，{len(checked.packs)} 个政策包，{policies} 项政策，"
                          f"{len(checked.values)} 个参数取值")

    def do_load(self, options) -> None:
        actor = user_of(options.get("user"))
        try:
            version = packs.load(options["file"], actor=actor, note=options.get("note") or "")
        except packs.PackInvalid as exc:
            for error in exc.file_errors:
                self.stdout.write(str(error))
            self.stdout.write(f"错误 {len(exc.file_errors)} 处，未加载任何政策")
            self.stdout.flush()
            sys.exit(EXIT_INVALID)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{options['file']}") from None
        n = version.policies.count()
        self.stdout.write(f"政策包 {version.pack.code}（{version.pack.document}）当前版本：第 {version.number} 版，{n} 项政策")
        self.stdout.write(f"pack={version.pack.code} version={version.number}")

    def do_list(self, options) -> None:
        entries = catalogue.packs()
        if not entries:
            self.stdout.write("尚未加载任何政策包（jiuye policy load PACK）")
            return
        current = {r["code"]: r for r in catalogue.catalogue()}
        for entry in entries:
            p = entry["pack"]
            self.stdout.write(f"{p.code}  {p.title}（{p.document}，{p.jurisdiction_name or '全国'}）")
            for v in entry["versions"]:
                self.stdout.write(f"  第 {v['number']} 版  {v['loaded_at']:%Y-%m-%d %H:%M}  {v['loaded_by']}  "
                                  f"{v['source_name']}  {v['policies']} 项政策")
            for row in current.values():
                if row["pack"].pk != p.pk:
                    continue
                amounts = "；".join(f"{b['label'] + '：' if b['label'] else ''}{b['amount_text']}" for b in row["benefits"])
                self.stdout.write(f"    {row['code']}  {row['name']}  {row['beneficiary']}  {row['period']}  {amounts}")

    def do_explain(self, options) -> None:
        actor = user_of(options.get("user"))
        as_of = date_arg(options["as_of"])
        if actor is not None and not (roles.can_read_policies(actor)):
            raise CommandError(f"用户“{actor.username}”的角色无权查看政策说明")
        try:
            x = explaining.explain_for(actor, options["policy"], as_of, id_number=options.get("person") or "",
                                       credit_code=options.get("employer") or "")
        except ValidationError as exc:
            raise CommandError(errors_text(exc)) from None
        except Http404 as exc:
            raise CommandError(str(exc)) from None
        full = actor is None or roles.can_see_full_id_number(actor)
        if options.get("json"):
            self.stdout.write(json.dumps(explaining.as_json(x, mask=None if full else mask_id_number), ensure_ascii=False,
                                         indent=2, default=str))
            return
        who = []
        if x.person is not None:
            who.append(f"{x.person.name}（{x.person.id_number if full else mask_id_number(x.person.id_number)}）")
        if x.employer is not None:
            who.append(f"{x.employer.name}（{x.employer.credit_code}）")
        self.stdout.write(f"{x.policy.code} {x.policy.name}，{'、'.join(who)}，判定日期 {as_of.isoformat()}")
        if not x.entitlements:
            self.stdout.write("没有可依据的事件（如就业登记、失业保险金领取期等），不符合该政策")
            return
        for i, ent in enumerate(x.entitlements, 1):
            self.stdout.write(f"—— 事件 {i}/{len(x.entitlements)} ——")
            for line in explaining.trace_lines(ent):
                self.stdout.write(line)
