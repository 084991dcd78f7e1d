#!/usr/bin/env bash
# Creates .venv (if missing) and installs Jiuye into it. Sourced by demo.sh and test.sh.
# EXTRAS=test installs the test tools as well.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
  echo "Jiuye needs Python 3.11 or newer (found: $("$PYTHON" --version 2>&1))" >&2
  exit 1
fi
if [ ! -x "$ROOT/.venv/bin/python" ]; then
  "$PYTHON" -m venv "$ROOT/.venv"
fi
VENV="$ROOT/.venv"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null 2>&1 || true
if [ -n "${EXTRAS:-}" ]; then
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT[$EXTRAS]" 2>&1 | grep -v "is ignored" || true
else
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -e "$ROOT" 2>&1 | grep -v "is ignored" || true
fi
"$VENV/bin/python" -c "import jiuye, django, openpyxl, stdnum" || { echo "installation failed" >&2; exit 1; }
