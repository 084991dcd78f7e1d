"""jiuye simulate_market: the recommender measured on a simulated labour market (issue 10, item 10).

``jiuye simulate_market --seekers N --vacancies M --months T --seed S [--k K] [--strength X] [--json]``
generates a reproducible market (``jobs.simulation``), runs the three policies (congestion control,
plain top-k, keyword search) and prints a Chinese table of their metrics, or with ``--json`` one JSON
object with English keys (the same as ``bench/bench_jobs_simulation.py``). Reads and writes no database.
"""
from __future__ import annotations

import json

from django.core.management.base import CommandError

from jiuye.cli import Command as JiuyeCommand
from jiuye.jobs import simulation

LABELS = {"congestion": "推荐（拥挤控制）", "top_k": "推荐（前 k 名）", "keyword": "关键词搜索"}
ROWS = [
    ("hires", "录用人数（合计）", "{:d}"),
    ("hires_per_month_mean", "每月录用人数", "{:.1f}"),
    ("recall_at_10", "召回率@10（双向匹配）", "{:.3f}"),
    ("ndcg_at_10", "NDCG@10（双向匹配）", "{:.3f}"),
    ("hire_recall_at_10", "召回率@10（最终录用）", "{:.3f}"),
    ("hire_ndcg_at_10", "NDCG@10（最终录用）", "{:.3f}"),
    ("coverage", "岗位覆盖率", "{:.1%}"),
    ("gini", "推荐次数基尼系数（按岗位）", "{:.3f}"),
    ("gini_per_opening", "推荐次数基尼系数（按空缺人数）", "{:.3f}"),
    ("unfilled_openings", "期末未补空缺", "{:d}"),
    ("seconds", "用时（秒）", "{:.1f}"),
]


class Command(JiuyeCommand):
    help = "模拟劳动力市场：比较拥挤控制推荐、前 k 名推荐和关键词搜索三种方式的录用人数、召回率、覆盖率和基尼系数"

    def add_arguments(self, parser):
        parser.add_argument("--seekers", type=int, default=2000, help="求职者人数（默认 2000）")
        parser.add_argument("--vacancies", type=int, default=200, help="岗位数（默认 200）")
        parser.add_argument("--months", type=int, default=6, help="模拟月数（默认 6）")
        parser.add_argument("--seed", type=int, default=0, help="随机种子（相同种子结果相同）")
        parser.add_argument("--k", type=int, default=10, help="每人每月推荐的岗位数（默认 10）")
        parser.add_argument("--strength", type=float, default=None, help="拥挤控制强度（默认 0.03，0 即不控制）")
        parser.add_argument("--json", action="store_true", help="输出 JSON（英文键名）")

    def handle(self, *args, **options):
        for name in ("seekers", "vacancies", "months", "k"):
            if options[name] < 1:
                raise CommandError(f"参数 --{name} 应为正整数，而不是 {options[name]}")
        params = simulation.Params(k=options["k"])
        if options["strength"] is not None:
            if options["strength"] < 0:
                raise CommandError(f"参数 --strength 不能为负数：{options['strength']}")
            params.strength = options["strength"]
        result = simulation.simulate(options["seekers"], options["vacancies"], options["months"],
                                     seed=options["seed"], params=params)
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        self.stdout.write(
            f"模拟市场：求职者 {result['seekers']} 人，岗位 {result['vacancies']} 个（空缺 {result['openings']} 人），"
            f"{result['months']} 个月，种子 {result['seed']}；每人每月推荐 {result['k']} 个岗位，"
            f"拥挤控制强度 {result['strength']}；推荐打分："
            f"{'匹配引擎' if result['recommender'] == 'score.candidates' else '替代打分（匹配引擎尚未接入）'}")
        policies = list(result["policies"])
        header = ["指标"] + [LABELS[p] for p in policies]
        lines = [header]
        for key, label, fmt in ROWS:
            lines.append([label] + [fmt.format(result["policies"][p][key]) for p in policies])
        for line in lines:
            self.stdout.write("  ".join(cell.ljust(14) if i == 0 else cell.rjust(16) for i, cell in enumerate(line)))
        self.stdout.write(f"合计用时 {result['seconds']['total']:.1f} 秒。指标定义见 docs/jobs/simulation.md。")
