# The two commands that do all set-up on a fresh machine: `make run` and `make test`.
.PHONY: run test chaos soak bench bench-console demo lint migration contracts broker-start broker-stop clean

run:  ## Keycloak + closed broker + the four services; writes var/credentials.json; Ctrl-C stops all
	deploy/local/run.sh

test:  ## installs what is missing, then lint, types, import contracts and the whole suite
	deploy/local/test.sh

chaos:  ## every fault scenario in full, each on its own broker and PostgreSQL; one line each
	deploy/local/chaos.sh

soak:  ## SOAK_MINUTES (30) of steady load; samples each service; fails when a series keeps growing
	deploy/local/soak.sh

bench:  ## the platform beside the raw limits of its parts; table, bench/results/latest.{json,png}
	deploy/local/bench.sh $(ARGS)

bench-console:  ## each console page's server time with the demo data, then with 100 engagements
	deploy/local/bench.sh console $(ARGS)

demo:  ## plays a multi-year story through the HTTP APIs of a platform started by `make run`
	. deploy/local/env.sh && uv run --frozen python deploy/demo/demo.py \
		--credentials "$${MULTITRACK_VAR:-var}/credentials.json"

lint:
	. deploy/local/env.sh && uv run ruff check . && uv run ruff format --check . && uv run mypy && uv run lint-imports

contracts:  ## writes each event version's JSON Schema and the AsyncAPI document under contracts/
	. deploy/local/env.sh && uv run --frozen python deploy/contracts/contracts.py

migration:  ## make migration SERVICE=invitations MESSAGE="what changed"
	. deploy/local/env.sh && uv run python -m multitrack_shared.db.revision services/$(SERVICE) "$(MESSAGE)"

broker-start:
	deploy/kafka/broker.sh start

broker-stop:
	deploy/kafka/broker.sh stop

clean:
	rm -rf var .pytest_cache .mypy_cache .ruff_cache
