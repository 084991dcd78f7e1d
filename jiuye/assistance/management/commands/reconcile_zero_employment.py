import sys

from jiuye.assistance.services.zero import reconcile_zero_employment
from jiuye.cli import Command as JiuyeCommand

LABELS = [
    ("flag_missing", "应为零就业家庭但未标记"),
    ("flag_stale", "已标记但不再符合条件"),
    ("spell_missing", "零就业家庭缺少记录"),
    ("case_missing", "零就业家庭缺少援助中的个案"),
    ("spell_orphan", "非零就业家庭仍有未消除的记录"),
    ("case_orphan", "非零就业家庭仍有援助中的个案"),
]


class Command(JiuyeCommand):
    # Recompute the zero-employment rule for every household (one grouped query) and compare it with
    # the stored flags, the open spells and the open cases (assistance.services.zero.reconcile_zero_employment).
    # Without --check every disagreement is repaired; with --check nothing changes and the exit code is
    # 1 when there is any (for monitoring).
    help = ("核对零就业家庭：按认定规则重新计算每一户，与零就业家庭标记、零就业家庭记录和援助个案逐一比对，"
            "列出每类不一致的户数并予以修正（--check 只核对不修正，有不一致时以状态码 1 退出）。")

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只核对、不修正；有不一致时以状态码 1 退出")

    def handle(self, *args, check=False, **options):
        counts = reconcile_zero_employment(fix=not check)
        for key, label in LABELS:
            self.stdout.write(f"{label}：{counts[key]:,} 户")
        total = counts["disagreements"]
        if total == 0:
            self.stdout.write(f"核对完成：零就业家庭 {counts['households']:,} 户，标记、记录与援助个案一致")
        elif counts["fixed"]:
            self.stdout.write(f"已修正 {total:,} 处不一致；现有零就业家庭 {counts['households']:,} 户")
        else:
            self.stdout.write(f"发现 {total:,} 处不一致（未修正：去掉 --check 运行即可修正）")
            sys.exit(1)
