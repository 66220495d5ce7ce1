"""aggregate versions: every invitation row carries its version; existing rows start at 1

Revision ID: 5cc567b2da3c
Revises: 4c6a4eb25e78
Create Date: 2026-11-29 08:08:24.535922
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '5cc567b2da3c'
down_revision: str | None = '4c6a4eb25e78'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('invitations', schema=None) as batch_op:
        batch_op.drop_column('version')
