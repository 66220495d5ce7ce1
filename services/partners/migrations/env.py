from multitrack_partners.adapters.tables import metadata
from multitrack_shared.db.migrations import run_env

run_env(metadata)
