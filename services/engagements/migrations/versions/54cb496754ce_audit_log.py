"""audit log: who changed which record, when, in which request; entries are only inserted

Revision ID: 54cb496754ce
Revises: c54be486fa4a
Create Date: 2026-11-29 10:20:56.025562
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '54cb496754ce'
down_revision: str | None = 'c54be486fa4a'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('record_type', sa.String(length=100), nullable=False),
    sa.Column('record_id', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=200), nullable=False),
    sa.Column('actor_kind', sa.String(length=20), nullable=False),
    sa.Column('actor_subject', sa.String(length=200), nullable=True),
    sa.Column('actor_organization', sa.String(length=200), nullable=True),
    sa.Column('actor_client', sa.String(length=200), nullable=True),
    sa.Column('request_id', sa.String(length=200), nullable=True),
    sa.Column('event_id', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('seq')
    )
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.create_index('ix_audit_log_organization', ['actor_organization', 'seq'], unique=False)
        batch_op.create_index('ix_audit_log_record', ['record_id', 'seq'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_record')
        batch_op.drop_index('ix_audit_log_organization')

    op.drop_table('audit_log')
