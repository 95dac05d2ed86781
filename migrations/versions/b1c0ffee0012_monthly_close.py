"""monthly close: frozen snapshots of the figures with their counted rows, revisions

Revision ID: b1c0ffee0012
Revises: b1c0ffee0010
Create Date: 2026-12-03 14:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0012'
down_revision = 'b1c0ffee0010'
branch_labels = None
depends_on = None

# Closes are never changed or removed: each table refuses UPDATE and DELETE in the database itself.
IMMUTABLE_TABLES = ('month_close', 'closed_indicator', 'closed_row', 'closed_fact')
ONE_ON = ' + '.join(f'CASE WHEN {name} IS NULL THEN 0 ELSE 1 END' for name in ('on_day', 'on_at', 'on_quarter')) + ' = 1'


def upgrade():
    op.create_table('month_close',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('month', sa.SmallInteger(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('closed_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_month_close_month_range')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_month_close_revision_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_month_close_agency_id_agency')),
    sa.ForeignKeyConstraint(['closed_by_id'], ['user_account.id'], name=op.f('fk_month_close_closed_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_month_close')),
    sa.UniqueConstraint('agency_id', 'year', 'month', 'revision', name=op.f('uq_month_close_agency_id_year_month_revision'))
    )
    op.create_table('closed_indicator',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('close_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('on_kind', sa.String(length=8), nullable=False),
    sa.Column('added', sa.Integer(), nullable=False),
    sa.Column('removed', sa.Integer(), nullable=False),
    sa.Column('late_items', sa.Integer(), nullable=False),
    sa.CheckConstraint("on_kind IN ('day', 'at', 'quarter')", name=op.f('ck_closed_indicator_on_kind_known')),
    sa.CheckConstraint('added >= 0 AND removed >= 0 AND late_items >= 0', name=op.f('ck_closed_indicator_changes_positive')),
    sa.ForeignKeyConstraint(['close_id'], ['month_close.id'], name=op.f('fk_closed_indicator_close_id_month_close')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_closed_indicator_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_indicator')),
    sa.UniqueConstraint('close_id', 'indicator_id', name=op.f('uq_closed_indicator_close_id_indicator_id'))
    )
    op.create_table('closed_row',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('close_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.SmallInteger(), nullable=False),
    sa.Column('row_key', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=200), nullable=False),
    sa.Column('realisation', sa.BigInteger(), nullable=False),
    sa.Column('denominator', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['close_id'], ['month_close.id'], name=op.f('fk_closed_row_close_id_month_close')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_closed_row_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_row')),
    sa.UniqueConstraint('close_id', 'indicator_id', 'position', name=op.f('uq_closed_row_close_id_indicator_id_position')),
    sa.UniqueConstraint('close_id', 'indicator_id', 'row_key', name=op.f('uq_closed_row_close_id_indicator_id_row_key'))
    )
    op.create_table('closed_fact',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('close_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('row_key', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('on_day', sa.Date(), nullable=True),
    sa.Column('on_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('on_quarter', sa.SmallInteger(), nullable=True),
    sa.Column('ref_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('region_code', sa.String(length=13), nullable=True),
    sa.Column('numerator', sa.Integer(), nullable=False),
    sa.Column('denominator', sa.Integer(), nullable=False),
    sa.CheckConstraint(ONE_ON, name=op.f('ck_closed_fact_one_on')),
    sa.ForeignKeyConstraint(['close_id'], ['month_close.id'], name=op.f('fk_closed_fact_close_id_month_close')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicator.id'], name=op.f('fk_closed_fact_indicator_id_indicator')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_closed_fact'))
    )
    with op.batch_alter_table('closed_fact', schema=None) as batch_op:
        batch_op.create_index('ix_closed_fact_position', ['close_id', 'indicator_id', 'position'], unique=True)
        batch_op.create_index('ix_closed_fact_row', ['close_id', 'indicator_id', 'row_key', 'position'], unique=False)

    if op.get_bind().dialect.name == 'postgresql':
        op.execute(
            "CREATE FUNCTION month_close_immutable() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN RAISE EXCEPTION '% is immutable: a change is a new revision', TG_TABLE_NAME; END $$"
        )
        for table in IMMUTABLE_TABLES:
            op.execute(
                f'CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} '
                'FOR EACH ROW EXECUTE FUNCTION month_close_immutable()'
            )
    else:
        for table in IMMUTABLE_TABLES:
            for event in ('UPDATE', 'DELETE'):
                op.execute(
                    f'CREATE TRIGGER {table}_no_{event.lower()} BEFORE {event} ON {table} '
                    f"BEGIN SELECT RAISE(ABORT, '{table} is immutable: a change is a new revision'); END"
                )


def downgrade():
    # Dropping a table drops its indexes and triggers.
    for table in reversed(IMMUTABLE_TABLES):
        op.drop_table(table)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('DROP FUNCTION month_close_immutable()')
