"""lessons read model and deliveries keep no evidence: it may name people and no longer
travels (multitrack.lesson.*.v2); dropping the columns drops what v1 events had put there

Revision ID: 84d6a4a87be7
Revises: 54cb496754ce
Create Date: 2026-11-29 10:28:36.313349
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '84d6a4a87be7'
down_revision: str | None = '54cb496754ce'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('lesson_deliveries', schema=None) as batch_op:
        batch_op.drop_column('evidence')

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('evidence')


def downgrade() -> None:
    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.VARCHAR(), server_default='', nullable=False))

    with op.batch_alter_table('lesson_deliveries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('evidence', sa.VARCHAR(), server_default='', nullable=False))

