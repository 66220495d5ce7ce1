#!/usr/bin/env bash
# `make bench`: the platform's figures beside the raw limits of its own parts (README,
# *Performance*). Starts a closed broker of its own and the four services on PostgreSQL (the
# shared one when MULTITRACK_PG_URL names it); prints a table, writes bench/results/latest.json
# and latest.png. Any argument goes to `python -m bench` (`--smoke`, `--out DIR`). With `console`
# first (`make bench-console`): `python -m bench.console` instead, each console page's server time.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/local/env.sh

deploy/local/bootstrap.sh
deploy/kafka/broker.sh fetch >/dev/null
deploy/keycloak/keycloak.sh fetch >/dev/null
MODULE=bench
if [ "${1:-}" = console ]; then MODULE=bench.console; shift; fi
uv run --frozen python -m "$MODULE" "$@"
