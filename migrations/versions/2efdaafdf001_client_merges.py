"""client merges: client.merged_into_id and the client_merge record (undoable)

Revision ID: 2efdaafdf001
Revises: 2190941ab39c
Create Date: 2026-12-02 12:41:14.014572

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '2efdaafdf001'
down_revision = '2190941ab39c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('client_merge',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survivor_id', sa.Integer(), nullable=False),
    sa.Column('merged_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('moved', sa.JSON(), nullable=False),
    sa.Column('left', sa.JSON(), nullable=False),
    sa.Column('merged_by_id', sa.Integer(), nullable=False),
    sa.Column('merged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undone_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('undo_reason', sa.String(length=500), nullable=True),
    sa.CheckConstraint('(undone_at IS NULL) = (undone_by_id IS NULL)', name=op.f('ck_client_merge_undone_by_whom')),
    sa.CheckConstraint('survivor_id <> merged_id', name=op.f('ck_client_merge_distinct_clients')),
    sa.ForeignKeyConstraint(['merged_by_id'], ['user_account.id'], name=op.f('fk_client_merge_merged_by_id_user_account')),
    sa.ForeignKeyConstraint(['merged_id'], ['client.id'], name=op.f('fk_client_merge_merged_id_client')),
    sa.ForeignKeyConstraint(['survivor_id'], ['client.id'], name=op.f('fk_client_merge_survivor_id_client')),
    sa.ForeignKeyConstraint(['undone_by_id'], ['user_account.id'], name=op.f('fk_client_merge_undone_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_client_merge'))
    )
    with op.batch_alter_table('client_merge', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_client_merge_merged_id'), ['merged_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_client_merge_survivor_id'), ['survivor_id'], unique=False)

    if op.get_bind().dialect.name == 'sqlite':
        # SQLite adds a nullable column with its reference in place. A batch rebuild would drop
        # the client table, which foreign keys (on) refuse while categories or cases point at it.
        op.execute(
            'ALTER TABLE client ADD COLUMN merged_into_id INTEGER '
            'CONSTRAINT fk_client_merged_into_id_client REFERENCES client (id)'
        )
    else:
        op.add_column('client', sa.Column('merged_into_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_client_merged_into_id_client'), 'client', 'client', ['merged_into_id'], ['id'])


def downgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        if op.get_bind().dialect.name != 'sqlite':
            # SQLite does not report the name of a column's reference; its rebuild drops it with the column.
            batch_op.drop_constraint(batch_op.f('fk_client_merged_into_id_client'), type_='foreignkey')
        batch_op.drop_column('merged_into_id')

    with op.batch_alter_table('client_merge', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_client_merge_survivor_id'))
        batch_op.drop_index(batch_op.f('ix_client_merge_merged_id'))

    op.drop_table('client_merge')
