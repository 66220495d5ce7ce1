"""aggregate versions: every engagement row carries its version; existing rows start at 1

Revision ID: c54be486fa4a
Revises: e8761ec9ff8a
Create Date: 2026-11-29 08:23:34.621841
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'c54be486fa4a'
down_revision: str | None = 'e8761ec9ff8a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('version')
