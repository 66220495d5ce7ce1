#!/usr/bin/env bash
# `make test`: installs what is missing, checks style, types and architecture, runs the suite
# against a real closed broker and a real Keycloak (both started by the test fixtures) and a
# real PostgreSQL.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/local/env.sh

deploy/local/bootstrap.sh
deploy/kafka/broker.sh fetch >/dev/null
deploy/keycloak/keycloak.sh fetch >/dev/null
export MULTITRACK_PG_URL="${MULTITRACK_PG_URL:-$(deploy/postgres/pg.sh start | tail -n 1)}"

echo "== ruff" >&2
uv run --frozen ruff check .
uv run --frozen ruff format --check .
echo "== mypy" >&2
uv run --frozen mypy
echo "== import contracts" >&2
uv run --frozen lint-imports
echo "== pytest" >&2
uv run --frozen pytest "$@"
