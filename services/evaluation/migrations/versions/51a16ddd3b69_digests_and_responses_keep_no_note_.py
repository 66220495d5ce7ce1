"""digests and responses keep no note, place nor why: they may name people and no longer
travel (multitrack.engagement.*.v2); dropping the columns drops what v1 events had put there

Revision ID: 51a16ddd3b69
Revises: a543d4b3b37e
Create Date: 2026-11-29 10:36:22.521279
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '51a16ddd3b69'
down_revision: str | None = 'a543d4b3b37e'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('digest_activities', schema=None) as batch_op:
        batch_op.drop_column('place')

    with op.batch_alter_table('digest_status_changes', schema=None) as batch_op:
        batch_op.drop_column('note')

    with op.batch_alter_table('lesson_responses', schema=None) as batch_op:
        batch_op.drop_column('why')


def downgrade() -> None:
    with op.batch_alter_table('lesson_responses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('why', sa.VARCHAR(), server_default='', nullable=False))

    with op.batch_alter_table('digest_status_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('note', sa.VARCHAR(), nullable=True))

    with op.batch_alter_table('digest_activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('place', sa.VARCHAR(), server_default='', nullable=False))

