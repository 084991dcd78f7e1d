#!/usr/bin/env bash
# One command for a first-time user: install, create/migrate the embedded database, fill it with the
# demo city when empty, print the logins and serve http://127.0.0.1:8000. Extra arguments go to
# `jiuye demo` (e.g. --persons 100000, --addr 0.0.0.0:8000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/bootstrap.sh"
exec "$ROOT/.venv/bin/jiuye" demo "$@"
