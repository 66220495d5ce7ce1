"""aggregate versions: every partner, member and partnership row carries its version; existing rows start at 1

Revision ID: d8c466fce165
Revises: 93d85005882b
Create Date: 2026-11-29 08:26:19.433231
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = 'd8c466fce165'
down_revision: str | None = '93d85005882b'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))

    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default=sa.text('1'), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('partnerships', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('partners', schema=None) as batch_op:
        batch_op.drop_column('version')

    with op.batch_alter_table('members', schema=None) as batch_op:
        batch_op.drop_column('version')
