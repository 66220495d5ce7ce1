"""The memos app's revisions are written out in full, so applying them needs no metadata."""

from sqlalchemy import MetaData

from multitrack_shared.db.migrations import run_env

run_env(MetaData())
