#!/usr/bin/env bash
# `make soak` (not in CI): the four services under a steady, moderate load for SOAK_MINUTES
# (30), sampled every SOAK_INTERVAL_SECONDS (60): each one's memory, file descriptors,
# connections, outbox and inbox rows and consumer lag. Prints a table, writes the samples
# (samples.json), the verdicts (verdicts.md) and a plot (soak.png) under SOAK_DIR (var/soak),
# and exits non-zero when a series grows without bound (tests/soak/growth.py).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/local/env.sh

deploy/local/bootstrap.sh
deploy/kafka/broker.sh fetch >/dev/null
deploy/keycloak/keycloak.sh fetch >/dev/null
export MULTITRACK_PG_URL="${MULTITRACK_PG_URL:-$(deploy/postgres/pg.sh start | tail -n 1)}"
export SOAK_MINUTES="${SOAK_MINUTES:-30}"
SOAK_MINUTES="$SOAK_MINUTES" uv run --frozen pytest tests/soak/test_soak.py -p no:cacheprovider -s "$@"
