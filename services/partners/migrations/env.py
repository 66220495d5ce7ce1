from multitrack_partners.adapters import read_models  # noqa: F401 — puts the read models on the metadata
from multitrack_partners.adapters.tables import metadata
from multitrack_shared.db.migrations import run_env

run_env(metadata)
