"""tamper-evident audit chain: seq, prev_hash and hash on audit_event; triggers keep it append-only

Revision ID: b1c0ffee0018
Revises: b1c0ffee0017
Create Date: 2026-12-03 23:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0018'
down_revision = 'b1c0ffee0017'
branch_labels = None
depends_on = None

UNSEALED = "seq IS NULL"

# The one UPDATE allowed: sealing, i.e. setting seq, prev_hash and hash where all three were NULL, nothing else.
_CONTENT = ("id", "at", "actor_id", "action", "object_type", "object_id", "address")

SQLITE_TRIGGERS = (
    "CREATE TRIGGER audit_event_no_delete BEFORE DELETE ON audit_event"
    " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END",
    "CREATE TRIGGER audit_event_seal_only BEFORE UPDATE ON audit_event WHEN NOT ("
    "OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL"
    " AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL"
    f" AND {' AND '.join(f'NEW.{c} IS OLD.{c}' for c in (*_CONTENT, 'details'))})"
    " BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: only sealing may update a row'); END",
)

POSTGRESQL_TRIGGERS = (
    f"""CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
       AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
       AND ({', '.join(f'NEW.{c}' for c in _CONTENT)}, NEW.details::text)
           IS NOT DISTINCT FROM ({', '.join(f'OLD.{c}' for c in _CONTENT)}, OLD.details::text) THEN
      RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: only sealing may update a row';
  END IF;
  RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP;
END
$$""",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event"
    " FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event"
    " FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
)

DROP_TRIGGERS = {
    "sqlite": ("DROP TRIGGER audit_event_seal_only", "DROP TRIGGER audit_event_no_delete"),
    "postgresql": (
        "DROP TRIGGER audit_event_no_truncate ON audit_event",
        "DROP TRIGGER audit_event_append_only ON audit_event",
        "DROP FUNCTION audit_event_append_only()",
    ),
}


def _run(statements):
    """Runs raw SQL statements on the migration's connection."""
    for statement in statements:
        op.execute(statement)


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('seq', sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column('prev_hash', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('hash', sa.String(length=64), nullable=True))
        batch_op.create_index('ix_audit_event_seq', ['seq'], unique=True)
        batch_op.create_index(
            'ix_audit_event_unsealed', ['id'], unique=False,
            sqlite_where=sa.text(UNSEALED), postgresql_where=sa.text(UNSEALED),
        )
    dialect = op.get_bind().dialect.name
    _run(SQLITE_TRIGGERS if dialect == "sqlite" else POSTGRESQL_TRIGGERS)


def downgrade():
    _run(DROP_TRIGGERS[op.get_bind().dialect.name])
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_index('ix_audit_event_unsealed', sqlite_where=sa.text(UNSEALED), postgresql_where=sa.text(UNSEALED))
        batch_op.drop_index('ix_audit_event_seq')
        batch_op.drop_column('hash')
        batch_op.drop_column('prev_hash')
        batch_op.drop_column('seq')
