#!/usr/bin/env bash
# One command for the whole test suite: install Jiuye with its test tools, make sure Debian's
# chromium is there for the browser tests, check the floors (import-linter contracts in
# pyproject.toml; a broken contract fails the run), and run pytest. SQLite by default; PostgreSQL when
# JIUYE_TEST_DATABASE_URL is set (e.g. postgres://postgres@127.0.0.1:5432/test).
# Extra arguments go to pytest.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
EXTRAS=test bash "$ROOT/scripts/bootstrap.sh"
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing chromium for the browser tests (apt-get)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/tmp/jiuye-apt.log 2>&1 \
      || { echo "apt-get install chromium failed; see /tmp/jiuye-apt.log" >&2; exit 1; }
  else
    echo "warning: /usr/bin/chromium missing; browser tests will be skipped (apt-get install chromium)" >&2
  fi
fi
# LibreOffice converts the generated reports (xlsx, docx) to PDF in tests/test_reports_files.py (slow tests).
if ! command -v soffice >/dev/null; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "installing LibreOffice for the report conversion tests (apt-get)..."
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui \
      libreoffice-writer-nogui) >/tmp/jiuye-apt-lo.log 2>&1 \
      || { echo "apt-get install libreoffice failed; see /tmp/jiuye-apt-lo.log" >&2; exit 1; }
  else
    echo "warning: soffice missing; the report conversion tests will be skipped" >&2
  fi
fi
cd "$ROOT"
echo "floors: lint-imports"
"$ROOT/.venv/bin/lint-imports"
echo "database: ${JIUYE_TEST_DATABASE_URL:-sqlite (in memory)}"
exec "$ROOT/.venv/bin/python" -m pytest "$@"
