"""lessons read model keeps no evidence nor retirement reason: they may name people and no
longer travel (multitrack.lesson.*.v2); dropping the columns drops what v1 events had put there

Revision ID: 743d22e70384
Revises: 4e2b0527aae1
Create Date: 2026-11-29 10:24:31.315280
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '743d22e70384'
down_revision: str | None = '4e2b0527aae1'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('evidence')
        batch_op.drop_column('retirement_reason')


def downgrade() -> None:
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('retirement_reason', sa.VARCHAR(), nullable=True))
        batch_op.add_column(sa.Column('evidence', sa.VARCHAR(), nullable=True))

