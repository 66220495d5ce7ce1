from multitrack_evaluation.adapters.tables import metadata  # registers the read models too
from multitrack_shared.db.migrations import run_env

run_env(metadata)
