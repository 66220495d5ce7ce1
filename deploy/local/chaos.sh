#!/usr/bin/env bash
# `make chaos`: every fault scenario in full (tests/chaos), each against a platform of its own
# on a broker and a PostgreSQL the suite starts and breaks itself. Each scenario prints one
# line; the run exits non-zero when any lost a write, applied one twice or broke an order.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
. deploy/local/env.sh

deploy/local/bootstrap.sh
deploy/kafka/broker.sh fetch >/dev/null
deploy/keycloak/keycloak.sh fetch >/dev/null
MULTITRACK_CHAOS=full uv run --frozen pytest tests/chaos -p no:cacheprovider "$@"
