"""assessment criteria as reference data: a criterion's procedure and whether it is essential

Revision ID: 17d7a43adda2
Revises: 51a16ddd3b69
Create Date: 2026-11-29 11:56:04.408392
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from multitrack_shared.reference import ASSESSMENT_CRITERIA


revision: str = '17d7a43adda2'
down_revision: str | None = '51a16ddd3b69'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('reference_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('procedure', sqlmodel.sql.sqltypes.AutoString(length=80), nullable=True))
        batch_op.add_column(sa.Column('essential', sa.Boolean(), server_default=sa.false(), nullable=False))

    # The criteria join the reference data here, once, as the first migration seeded the
    # rest: from then on they are the consortium's to adjust through the API.
    reference_items = sa.table(
        'reference_items',
        sa.column('kind', sa.String()),
        sa.column('code', sa.String()),
        sa.column('label', sa.String()),
        sa.column('description', sa.String()),
        sa.column('active', sa.Boolean()),
        sa.column('position', sa.Integer()),
        sa.column('procedure', sa.String()),
        sa.column('essential', sa.Boolean()),
    )
    op.bulk_insert(
        reference_items,
        [
            {
                "kind": item.kind,
                "code": item.code,
                "label": item.label,
                "description": item.description,
                "active": True,
                "position": item.position,
                "procedure": item.procedure,
                "essential": item.essential,
            }
            for item in ASSESSMENT_CRITERIA
        ],
    )


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM reference_items WHERE kind = 'assessment_criterion'"))
    with op.batch_alter_table('reference_items', schema=None) as batch_op:
        batch_op.drop_column('essential')
        batch_op.drop_column('procedure')
