"""audit log; the engagements read model keeps each engagement's visibility

Revision ID: 6247adae34cb
Revises: d8c466fce165
Create Date: 2026-11-29 10:21:16.393093
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '6247adae34cb'
down_revision: str | None = 'd8c466fce165'
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

    # Engagements known before this revision were kept without their visibility: they count as
    # owner-only (seen by their owning organization alone) until the read models are replayed
    # (drop one and restart the service), which gives each the visibility its opening carried.
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.add_column(sa.Column('visibility', sqlmodel.sql.sqltypes.AutoString(length=20), server_default='owner', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('engagements', schema=None) as batch_op:
        batch_op.drop_column('visibility')

    with op.batch_alter_table('audit_log', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_log_record')
        batch_op.drop_index('ix_audit_log_organization')

    op.drop_table('audit_log')
