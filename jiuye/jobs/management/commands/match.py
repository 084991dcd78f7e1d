"""jiuye match jobs|seekers|run: job matching on the command line.

    jiuye match jobs --person ID_NUMBER [--top N] [--json] [--user U]
    jiuye match seekers --vacancy ID [--top N] [--json] [--user U]
    jiuye match run [--no-congestion]

``jobs`` and ``seekers`` print the ranked list with the score parts and the reasons (the same reasons as
the web pages and the API); ``--json`` prints JSON (keys in English, values and reasons in Chinese).
With ``--user`` the list is limited to that account's scope (and masked for an employer user); without
it, an operator's view. ``run`` runs the recommendation batch synchronously and prints its statistics.
"""
from __future__ import annotations

import json
import sys

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from jiuye.accounts import audit
from jiuye.cli import Command as JiuyeCommand
from jiuye.jobs.models import RunStatus
from jiuye.jobs.queries import matching as q
from jiuye.jobs.services import matching as runs
from jiuye.registry.identity import normalise
from jiuye.registry.models import Person
from jiuye.registry.queries import NotFound


def user_of(username: str | None):
    """The account a command acts as (``--user``), or None (an operator)."""
    if not username:
        return None
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.select_related("region").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(f"用户“{username}”不存在或已停用")
    return user


def _json_default(value):
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class Command(JiuyeCommand):
    help = "岗位匹配：为求职人员找岗位（jobs）、为岗位找求职人员（seekers）、运行岗位推荐批次（run）"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, title="子命令", metavar="jobs|seekers|run")
        jobs = sub.add_parser("jobs", help="为一名求职人员列出匹配的岗位")
        jobs.add_argument("--person", required=True, help="求职人员的公民身份号码")
        seekers = sub.add_parser("seekers", help="为一个岗位列出匹配的求职人员")
        seekers.add_argument("--vacancy", required=True, type=int, help="岗位编号")
        for p in (jobs, seekers):
            p.add_argument("--top", type=int, default=20, help="列出前 N 名（默认20，最多100）")
            p.add_argument("--json", action="store_true", help="输出 JSON")
            p.add_argument("--user", help="以该用户身份查询（限其管辖范围）")
        run = sub.add_parser("run", help="运行岗位推荐批次（全部求职人员与在招岗位）")
        run.add_argument("--no-congestion", action="store_true", help="不做拥挤控制（每人取得分最高的岗位）")

    def handle(self, *args, **options):
        token = audit.set_context(audit.AuditContext(channel="cli"))
        try:
            action = options["action"]
            if action == "run":
                return self._run(options)
            user = user_of(options.get("user")) or q.OPERATOR
            try:
                if action == "jobs":
                    number = normalise(options["person"])
                    person = Person.objects.filter(id_number=number).first()
                    if person is None:
                        raise NotFound
                    result = q.jobs_for_person(user, person.pk, top=options["top"])
                else:
                    result = q.seekers_for_vacancy(user, options["vacancy"], top=options["top"])
            except NotFound:
                raise CommandError("未找到该人员或岗位（或不在您的管辖范围内）") from None
            if options["json"]:
                out = {"subject": result.subject, "on": result.on, "results": result.rows}
                self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2, default=_json_default))
                return
            self._table(action, result)
        finally:
            audit.reset_context(token)

    def _table(self, action, result):
        if action == "jobs":
            self.stdout.write(f"{result.subject['name']} 的匹配岗位（{result.on.isoformat()}，共 {len(result.rows)} 个）")
        else:
            self.stdout.write(f"岗位“{result.subject['title']}”（{result.subject['employer']}）的匹配求职人员"
                              f"（共 {len(result.rows)} 人）")
        for r in result.rows:
            if action == "jobs":
                head = f"{r['rank']:>3}. {r['score']:>5.1f}分  {r['title']}  {r['employer']}  {r['region']}"
            else:
                flags = f"  [{'、'.join(r['flags'])}]" if r["flags"] else ""
                head = f"{r['rank']:>3}. {r['score']:>5.1f}分  {r['name']}  {r['age_band']}  {r['education']}{flags}"
            self.stdout.write(head)
            for reason in r["reasons"]:
                self.stdout.write(f"       {reason['label']} {reason['points']:.1f}/{reason['max_points']:.0f}："
                                  f"{reason['text']}")
        if not result.rows:
            self.stdout.write("没有匹配结果")

    def _run(self, options):
        tty = sys.stderr.isatty() and options.get("verbosity", 1) > 0
        progress = (lambda pct: self.stderr.write(f"进度 {pct}%", style_func=str)) if tty else None
        try:
            run = runs.run_recommendations(None, congestion=not options["no_congestion"], progress=progress)
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from None
        if run.status != RunStatus.DONE:
            raise CommandError(run.error or "推荐失败")
        s = run.stats
        self.stdout.write(f"岗位推荐批次 {run.pk}：求职人员 {run.seekers} 人，岗位 {run.vacancies} 个，"
                          f"推荐 {s['recommendations']} 条（{'拥挤控制' if s['method'] == 'congestion' else '各取前N名'}）")
        self.stdout.write(f"覆盖率 {s['coverage']:.1%}，有人推荐的岗位 {s['vacancies_shown']:.1%}，"
                          f"岗位曝光基尼系数 {s['gini']:.3f}，用时 {s['seconds']['total']} 秒")
