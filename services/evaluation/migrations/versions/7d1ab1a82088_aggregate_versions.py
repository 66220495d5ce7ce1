"""aggregate versions: every reference item, evaluation and lesson row carries its version; existing rows start at 1

Revision ID: 7d1ab1a82088
Revises: f293e806b8bd
Create Date: 2026-11-29 08:28:38.100529
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '7d1ab1a82088'
down_revision: str | None = 'f293e806b8bd'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('reference_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('reference_items', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('lessons', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('evaluations', schema=None) as batch_op:
        batch_op.drop_column('version')
