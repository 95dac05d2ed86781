"""stored files (photos, documents) outside the web root, and a client's photo

Revision ID: a78ab987b06f
Revises: 2efdaafdf001
Create Date: 2026-12-02 12:42:48.168400

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a78ab987b06f'
down_revision = '2efdaafdf001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('stored_file',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('content_type', sa.String(length=40), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('original_name', sa.String(length=200), nullable=False),
    sa.Column('storage_key', sa.String(length=120), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('length(sha256) = 64', name=op.f('ck_stored_file_sha256_length')),
    sa.CheckConstraint('size_bytes > 0', name=op.f('ck_stored_file_size_positive')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_stored_file_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_stored_file_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stored_file')),
    sa.UniqueConstraint('storage_key', name=op.f('uq_stored_file_storage_key')),
    sa.UniqueConstraint('uuid', name=op.f('uq_stored_file_uuid'))
    )
    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stored_file_agency_id'), ['agency_id'], unique=False)

    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.add_column(sa.Column('photo_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_client_photo_id_stored_file'), 'stored_file', ['photo_id'], ['id'])



def downgrade():
    with op.batch_alter_table('client', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_client_photo_id_stored_file'), type_='foreignkey')
        batch_op.drop_column('photo_id')

    with op.batch_alter_table('stored_file', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stored_file_agency_id'))

    op.drop_table('stored_file')
