from django.core.exceptions import ValidationError
from django.core.management.base import CommandError

from jiuye.assistance.services import calendar_years
from jiuye.cli import Command as JiuyeCommand


class Command(JiuyeCommand):
    # The bureau's holiday calendar for a year the calendar package does not cover yet (the State
    # Council's notice): YAML (year, document, holidays, workdays) or CSV (类型, 开始日期, 结束日期, 节日).
    # Entering the year re-computes the open cases' deadlines that touch it.
    help = ("录入日历组件尚未包含年份的法定节假日与调休上班日（依据国务院办公厅节假日安排通知）。文件为 YAML"
            "（year、document、holidays、workdays）或 CSV（类型 放假/上班、开始日期、结束日期、节日）；"
            "录入后重新计算援助个案中涉及该年的期限。")

    def add_arguments(self, parser):
        parser.add_argument("file", help="YAML 或 CSV 文件")
        parser.add_argument("--year", type=int, default=None, help="年份（CSV 未给出时按日期推断）")
        parser.add_argument("--document", default="", help="依据文件名称（CSV 必填，YAML 可在文件中给出）")

    def handle(self, *args, **options):
        try:
            data = calendar_years.read_calendar_file(options["file"], year=options["year"], document=options["document"])
            result = calendar_years.enter_year(actor=None, year=data.year, document=data.document,
                                               holidays=data.holidays, workdays=data.workdays, check_role=False)
        except ValidationError as exc:
            messages = [m for ms in exc.message_dict.values() for m in ms] if hasattr(exc, "error_dict") else exc.messages
            raise CommandError("未录入，文件有以下问题：\n  " + "\n  ".join(messages)) from None
        verb = "已录入" if result.created else "已更新"
        self.stdout.write(f"{verb}{data.year}年节假日安排（{data.document}）：放假 {result.holiday_days} 天，"
                          f"调休上班 {result.workdays} 天")
        self.stdout.write(f"重新计算援助个案期限：检查 {result.deadlines_checked} 项，到期日调整 {result.deadlines_moved} 项"
                          f"（涉及个案 {result.cases_moved} 件）")
