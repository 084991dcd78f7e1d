"""jiuye demo: a working demo on a fresh machine — database, regions, demo city, users, samples, server
and the task worker (`jiuye worker`, where uploaded imports run) beside it."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.registry.demo import samples, writer
from jiuye.registry.management.commands.seed import DEFAULT_SEED, print_summary


def _stop_with_parent() -> None:
    """In the worker started by the demo: SIGTERM (a clean stop) when the demo process ends (Linux)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM, 0, 0, 0)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def logins_table(rows: list[tuple[str, str, str, str]]) -> str:
    headers = ("用户名", "密码", "角色", "所属区划/单位")
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(4)]
    lines = ["  ".join(_pad(str(h), w) for h, w in zip(headers, widths)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        lines.append("  ".join(_pad(str(v), w) for v, w in zip(row, widths)).rstrip())
    return "\n".join(lines)


class Command(JiuyeCommand):
    help = "一键演示：建库/迁移、加载区划、生成示例数据（登记库为空时）、创建演示账号、写出示例导入文件，然后启动网页服务。"

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=20_000, help="登记库为空时生成的示例人数（默认 20,000）")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
        parser.add_argument("--addr", default="127.0.0.1:8000", help="监听地址（默认 127.0.0.1:8000）")
        parser.add_argument("--no-serve", action="store_true", help="准备好数据并打印登录信息后退出，不启动服务")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程（导入将一直排队，直到另行运行 jiuye worker）")

    def handle(self, *args, **options):
        from jiuye.registry.demo.users import ensure_demo_users
        from jiuye.regions.services import load_seed_regions

        out = self.stdout
        Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
        out.write("1/5 建立或升级数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        out.write("2/5 加载区划（西安市、安康市、武威市，新城区街道和社区）……")
        load_seed_regions()
        if writer.registry_is_empty():
            out.write(f"3/5 登记库为空，生成示例数据（{options['persons']:,} 人）……")
            try:
                result = writer.seed_city(persons=options["persons"], seed=options["seed"],
                                          progress=lambda m: out.write("    " + m))
            except writer.NotEmpty:  # pragma: no cover - raced with another writer
                raise CommandError("登记库已有数据") from None
            print_summary(out, result)
            from jiuye.registry.certificates import issue_missing

            out.write(f"    发放就业创业证 {issue_missing():,} 本（有就业或失业登记的人员）")
        else:
            out.write("3/5 登记库已有数据，不再生成示例数据；刷新零就业家庭标记……")
            from jiuye.registry.services import refresh_zero_employment

            refresh_zero_employment()
        out.write("4/5 创建演示账号……")
        rows = ensure_demo_users()
        from django.utils import timezone

        from jiuye.registry import events

        for _receiver, line in events.registry_loaded.send(sender=None, today=timezone.localdate(), demo=True):
            if line:
                out.write("    " + str(line))
        directory = Path(settings.DATA_DIR) / "samples"
        samples.write_samples(directory, seed=options["seed"])
        out.write(f"5/5 示例导入文件已写入 {directory}（说明见其中的 README.txt）")
        addr = options["addr"]
        url = f"http://{addr}" if not addr.isdigit() else f"http://127.0.0.1:{addr}"
        out.write("")
        out.write(f"访问地址：{url}")
        out.write("演示账号（密码固定，仅供演示数据使用，切勿用于真实数据）：")
        out.write(logins_table(rows))
        out.write("")
        if options["no_serve"]:
            return
        worker = None
        if not options["no_worker"] and not settings.TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
            # The task worker beside the web server: uploaded imports run there (README: production).
            worker = subprocess.Popen([sys.executable, "-m", "jiuye.cli", "worker"], preexec_fn=_stop_with_parent)
            out.write(f"后台任务进程（导入）已启动，进程号 {worker.pid}。")
        out.write("按 Ctrl+C 停止服务。")
        try:
            call_command("runserver", addr, use_reloader=False)
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    worker.kill()
