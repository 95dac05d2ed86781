"""offline sync: the sync_change feed and the triggers that fill it; resumable uploads

Revision ID: b1c0ffee0022
Revises: b1c0ffee0021
Create Date: 2026-12-04 04:00:00

Every insert, update and delete of a record the field app holds writes one
sync_change row from a trigger, so a change made by a page, the API, an
import or a scheduled job reaches the caseload delta alike (see
casework/sync/__init__.py). On PostgreSQL the row carries the writing
transaction's id (``pg_current_xact_id``).
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0022'
down_revision = 'b1c0ffee0021'
branch_labels = None
depends_on = None

# table, feed kind, column holding the record's id in that kind, column holding the case id (or an SQL
# expression over {r}, the changed row), whether the table has a uuid column.
SOURCES = (
    ("client", "clients", "id", None, True),
    ("client_category", "clients", "client_id", None, False),
    ("case_file", "cases", "id", "{r}.id", True),
    ("case_need", "cases", "case_id", "{r}.case_id", False),
    ("case_stay", "cases", "case_id", "{r}.case_id", False),
    ("service_delivery", "deliveries", "id", "{r}.case_id", True),
    ("case_note", "notes", "id", "{r}.case_id", True),
    ("tracing_request", "tracing_requests", "id", "{r}.case_id", True),
    ("tracing_lead", "tracing_requests", "request_id",
     "(SELECT case_id FROM tracing_request WHERE id = {r}.request_id)", False),
    ("aftercare_visit", "aftercare_visits", "id", "{r}.case_id", False),
    ("report", "findings", "id", None, True),
    ("report_photo", "findings", "report_id", None, False),
)
OPERATIONS = ("INSERT", "UPDATE", "DELETE")


def _sqlite_triggers():
    """Three triggers per table (SQLite has no statement-independent row variable)."""
    for table, kind, row, case, has_uuid in SOURCES:
        for operation in OPERATIONS:
            r = "OLD" if operation == "DELETE" else "NEW"
            values = (
                f"'{kind}'", f"{r}.{row}", case.format(r=r) if case else "NULL", f"{r}.uuid" if has_uuid else "NULL"
            )
            yield (
                f"CREATE TRIGGER sync_{table}_{operation.lower()} AFTER {operation} ON {table} BEGIN"
                f" INSERT INTO sync_change (kind, row_id, case_id, uuid) VALUES ({', '.join(values)}); END"
            )


def _postgresql_function(table, kind, row, case, has_uuid):
    """One trigger function per table, so each reads its own columns without a per-row JSON conversion."""
    return f"""CREATE FUNCTION sync_{table}_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r {table}%ROWTYPE;
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  INSERT INTO sync_change (txid, kind, row_id, case_id, uuid)
  VALUES (pg_current_xact_id()::text::bigint, '{kind}', r.{row}, {case.format(r='r') if case else 'NULL'},
          {'r.uuid::text' if has_uuid else 'NULL'});
  RETURN NULL;
END
$$"""


def _postgresql_triggers():
    """A function and an AFTER ROW trigger per table."""
    for source in SOURCES:
        table = source[0]
        yield _postgresql_function(*source)
        yield (
            f"CREATE TRIGGER sync_{table}_change AFTER INSERT OR UPDATE OR DELETE ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION sync_{table}_change()"
        )


def _drop_triggers(dialect):
    """The statements undoing the triggers."""
    for table, *_rest in SOURCES:
        if dialect == "sqlite":
            yield from (f"DROP TRIGGER sync_{table}_{operation.lower()}" for operation in OPERATIONS)
        else:
            yield f"DROP TRIGGER sync_{table}_change ON {table}"
            yield f"DROP FUNCTION sync_{table}_change()"


def upgrade():
    op.create_table('sync_change',
    sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('txid', sa.BigInteger(), nullable=True),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('row_id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('uuid', sa.String(length=36), nullable=True),
    sa.Column('changed_at', sa.DateTime(timezone=True), server_default=sa.text('(CURRENT_TIMESTAMP)'), nullable=False),
    sa.PrimaryKeyConstraint('seq', name=op.f('pk_sync_change')),
    sqlite_autoincrement=True,
    )
    with op.batch_alter_table('sync_change', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_change_txid'), ['txid'], unique=False)
        batch_op.create_index(batch_op.f('ix_sync_change_changed_at'), ['changed_at'], unique=False)
    op.create_table('pending_upload',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('received', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('received >= 0 AND received <= size AND size > 0', name=op.f('ck_pending_upload_received_in_size')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_pending_upload_agency_id_agency')),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_pending_upload_user_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pending_upload')),
    sa.UniqueConstraint('uuid', name=op.f('uq_pending_upload_uuid'))
    )
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pending_upload_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_pending_upload_updated_at'), ['updated_at'], unique=False)
    dialect = op.get_bind().dialect.name
    for statement in _sqlite_triggers() if dialect == "sqlite" else _postgresql_triggers():
        op.execute(statement)


def downgrade():
    with op.batch_alter_table('pending_upload', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pending_upload_updated_at'))
        batch_op.drop_index(batch_op.f('ix_pending_upload_user_id'))
    op.drop_table('pending_upload')
    for statement in _drop_triggers(op.get_bind().dialect.name):
        op.execute(statement)
    with op.batch_alter_table('sync_change', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_change_changed_at'))
        batch_op.drop_index(batch_op.f('ix_sync_change_txid'))
    op.drop_table('sync_change')
