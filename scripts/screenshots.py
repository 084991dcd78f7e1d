"""Screenshots of the main pages at a phone width (390 px) and a desktop width (1366 px) for
docs/screenshots/, taken from a running demo (`bash scripts/demo.sh`, or `jiuye demo`).

Usage: .venv/bin/python scripts/screenshots.py [--base http://127.0.0.1:8000] [--out docs/screenshots]
Needs Playwright (the test extras) and Debian's chromium (/usr/bin/chromium); a CJK font such as
fonts-wqy-microhei makes the Chinese readable in headless chromium.
"""
from __future__ import annotations

import argparse
import re
from pathlib import Path

WIDTHS = {"phone": (390, 844), "desktop": (1366, 900)}
ACCOUNTS = {  # the demo's fixed logins (jiuye/registry/demo/users.py)
    "demo_community": "jiuye-community-2026",
    "demo_district": "jiuye-district-2026",
    "demo_street": "jiuye-street-2026",
    "demo_resident": "jiuye-resident-2026",
    "demo_reviewer": "jiuye-reviewer-2026",
    "demo_employer": "jiuye-employer-2026",
    "demo_leader": "jiuye-leader-2026",
    "demo_department": "jiuye-department-2026",
}
# (file name, account, path or a callable that finds the path on the page)
PAGES = [
    ("01-login", None, "/login/"),
    ("02-home-community", "demo_community", "/"),
    ("03-persons", "demo_community", "/persons/?sort=name"),
    ("04-person", "demo_community", "first-person"),
    ("05-register-unemployment", "demo_community", "first-person:unemployment/"),
    ("06-households", "demo_community", "/households/"),
    ("07-employer-new", "demo_community", "/employers/new/"),
    ("08-imports", "demo_community", "/imports/"),
    ("09-home-district", "demo_district", "/"),
    ("10-audit", "demo_district", "/audit/"),
    ("11-help", "demo_community", "/help/"),
    ("12-portal-resident", "demo_resident", "/portal/"),
    ("13-assistance-district", "demo_district", "/assistance/"),
    ("14-case", "demo_community", "first-case"),
    ("15-zero-history", "demo_district", "/assistance/zero/history/"),
    ("16-posts", "demo_street", "/assistance/posts/"),
    ("17-policies", "demo_district", "/policies/"),
    ("18-claims-queue", "demo_reviewer", "/policies/claims/?queue=1"),
    ("19-claim", "demo_reviewer", "first-claim"),
    ("20-screening-run", "demo_district", "first-run"),
    ("21-budgets", "demo_district", "/policies/budgets/"),
    ("22-my-policies-resident", "demo_resident", "/portal/policies/"),
    ("23-jobs-district", "demo_district", "/jobs/"),
    ("24-vacancy-seekers", "demo_district", "first-vacancy:seekers/"),
    ("25-my-jobs-resident", "demo_resident", "/my/jobs/"),
    ("26-gigs", "demo_community", "/jobs/gigs/"),
    ("27-event", "demo_district", "first-event"),
    ("28-applications-employer", "demo_employer", "/jobs/applications/"),
    ("29-targets-leader", "demo_leader", "/targets/"),
    ("30-targets-screen", "demo_leader", "/targets/screen/"),
    ("31-kpi-detail", "demo_district", "/targets/kpi/new_urban_jobs/"),
    ("32-plan-tasks-department", "demo_department", "/targets/tasks/"),
    ("33-reports", "demo_district", "/reports/"),
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base", default="http://127.0.0.1:8000")
    ap.add_argument("--out", default=str(Path(__file__).resolve().parent.parent / "docs" / "screenshots"))
    ap.add_argument("--only", default="", help="comma-separated file-name prefixes (e.g. 29,30): only those pages")
    a = ap.parse_args()
    only = tuple(x.strip() for x in a.only.split(",") if x.strip())
    from playwright.sync_api import sync_playwright

    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                    args=["--no-sandbox", "--disable-background-networking"])
        for wname, (w, h) in WIDTHS.items():
            contexts = {}
            first_person = None
            for name, account, path in PAGES:
                if only and not name.startswith(only):
                    continue
                if account not in contexts:
                    ctx = browser.new_context(viewport={"width": w, "height": h}, locale="zh-CN")
                    page = ctx.new_page()
                    if account:
                        page.goto(f"{a.base}/login/")
                        page.fill("#id_username", account)
                        page.fill("#id_password", ACCOUNTS[account])
                        page.click("button[type=submit]")
                        page.wait_for_load_state()
                    contexts[account] = page
                page = contexts[account]
                if path.startswith("first-person"):
                    if first_person is None:
                        page.goto(f"{a.base}/persons/?status=unemployed&sort=name")
                        href = page.locator("#person-results tbody a").first.get_attribute("href")
                        first_person = re.sub(r"[^0-9]", "", href)
                    path = f"/persons/{first_person}/" + (path.split(":", 1)[1] if ":" in path else "")
                if path == "first-case":  # the community worker's most urgent case
                    page.goto(f"{a.base}/assistance/cases/")
                    path = page.locator("table tbody a[href*='/assistance/cases/']").first.get_attribute("href")
                if path == "first-claim":  # a claim paid through a batch: its decision trace and timeline
                    page.goto(f"{a.base}/policies/claims/?status=paid")
                    path = page.locator("table tbody a[href*='/policies/claims/']").first.get_attribute("href")
                if path == "first-run":
                    page.goto(f"{a.base}/policies/screening/")
                    path = page.locator("table tbody a[href*='/policies/screening/']").first.get_attribute("href")
                if path.startswith("first-vacancy"):
                    page.goto(f"{a.base}/jobs/vacancies/?status=open&sort=-open")
                    href = page.locator("table tbody a[href*='/jobs/vacancies/']").first.get_attribute("href")
                    path = href + (path.split(":", 1)[1] if ":" in path else "")
                if path == "first-event":
                    page.goto(f"{a.base}/jobs/events/")
                    path = page.locator("table tbody a[href*='/jobs/events/']").first.get_attribute("href")
                page.goto(f"{a.base}{path}")
                target = out / f"{name}-{wname}.jpg"
                page.screenshot(path=str(target), full_page=True, type="jpeg", quality=70)
                print(target)
        browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
