"""disaster events, evacuation sites, affected households and people, and their assistance

Revision ID: b1c0ffee0015
Revises: b1c0ffee0014
Create Date: 2026-12-03 16:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b1c0ffee0015'
down_revision = 'b1c0ffee0014'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('disaster_number_counter',
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.SmallInteger(), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_disaster_number_counter_agency_id_agency')),
    sa.PrimaryKeyConstraint('agency_id', 'year', name=op.f('pk_disaster_number_counter'))
    )
    op.create_table('disaster_event',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.Enum('flood', 'tidal_flood', 'fire', 'house_collapse', 'whirlwind', 'landslide', 'earthquake', 'other', name='disaster_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('emergency', 'recovery', 'closed', name='disaster_event_status', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('emergency_from', sa.Date(), nullable=False),
    sa.Column('emergency_until', sa.Date(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name=op.f('ck_disaster_event_closed_has_date')),
    sa.CheckConstraint("status = 'emergency' OR emergency_until IS NOT NULL", name=op.f('ck_disaster_event_emergency_ended')),
    sa.CheckConstraint('emergency_from >= occurred_on', name=op.f('ck_disaster_event_emergency_after_event')),
    sa.CheckConstraint('emergency_until IS NULL OR emergency_until >= emergency_from', name=op.f('ck_disaster_event_emergency_ordered')),
    sa.ForeignKeyConstraint(['agency_id'], ['agency.id'], name=op.f('fk_disaster_event_agency_id_agency')),
    sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'], name=op.f('fk_disaster_event_created_by_id_user_account')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disaster_event')),
    sa.UniqueConstraint('agency_id', 'number', name=op.f('uq_disaster_event_agency_id_number')),
    sa.UniqueConstraint('uuid', name=op.f('uq_disaster_event_uuid'))
    )
    with op.batch_alter_table('disaster_event', schema=None) as batch_op:
        batch_op.create_index('ix_disaster_event_agency', ['agency_id', 'occurred_on'], unique=False)

    op.create_table('disaster_event_village',
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['disaster_event.id'], name=op.f('fk_disaster_event_village_event_id_disaster_event'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_disaster_event_village_region_code_region')),
    sa.PrimaryKeyConstraint('event_id', 'region_code', name=op.f('pk_disaster_event_village'))
    )
    op.create_table('evacuation_site',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('capacity >= 0', name=op.f('ck_evacuation_site_capacity_not_negative')),
    sa.CheckConstraint('closed_on IS NULL OR closed_on >= opened_on', name=op.f('ck_evacuation_site_site_dates_ordered')),
    sa.ForeignKeyConstraint(['event_id'], ['disaster_event.id'], name=op.f('fk_evacuation_site_event_id_disaster_event')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_evacuation_site_region_code_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evacuation_site')),
    sa.UniqueConstraint('event_id', 'name', name=op.f('uq_evacuation_site_event_id_name')),
    sa.UniqueConstraint('uuid', name=op.f('uq_evacuation_site_uuid'))
    )
    with op.batch_alter_table('evacuation_site', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evacuation_site_event_id'), ['event_id'], unique=False)

    op.create_table('affected_household',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('kk_number', sa.String(length=16), nullable=True),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['disaster_event.id'], name=op.f('fk_affected_household_event_id_disaster_event')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_affected_household_region_code_region')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_affected_household_registered_by_id_user_account')),
    sa.ForeignKeyConstraint(['site_id'], ['evacuation_site.id'], name=op.f('fk_affected_household_site_id_evacuation_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affected_household')),
    sa.UniqueConstraint('event_id', 'kk_number', name=op.f('uq_affected_household_event_id_kk_number')),
    sa.UniqueConstraint('uuid', name=op.f('uq_affected_household_uuid'))
    )
    with op.batch_alter_table('affected_household', schema=None) as batch_op:
        batch_op.create_index('ix_affected_household_site', ['event_id', 'site_id'], unique=False)

    op.create_table('affected_person',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('household_id', sa.Integer(), nullable=False),
    sa.Column('relation', sa.Enum('head', 'spouse', 'child', 'parent', 'other_relative', 'other', name='household_relation', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sex', sa.Enum('male', 'female', name='sex', native_enum=False, create_constraint=True), nullable=True),
    sa.Column('birth_date', sa.Date(), nullable=True),
    sa.Column('age_years', sa.SmallInteger(), nullable=True),
    sa.Column('nik', sa.String(length=16), nullable=True),
    sa.Column('elderly', sa.Boolean(), nullable=False),
    sa.Column('pregnant_or_nursing', sa.Boolean(), nullable=False),
    sa.Column('under_five', sa.Boolean(), nullable=False),
    sa.Column('disability', sa.Boolean(), nullable=False),
    sa.Column('region_code', sa.String(length=13), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('arrived_on', sa.Date(), nullable=True),
    sa.Column('left_on', sa.Date(), nullable=True),
    sa.Column('client_id', sa.Integer(), nullable=True),
    sa.Column('case_id', sa.Integer(), nullable=True),
    sa.Column('registered_by_id', sa.Integer(), nullable=False),
    sa.Column('registered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.CheckConstraint('age_years IS NULL OR age_years BETWEEN 0 AND 130', name=op.f('ck_affected_person_age_range')),
    sa.CheckConstraint('birth_date IS NOT NULL OR age_years IS NOT NULL', name=op.f('ck_affected_person_age_known')),
    sa.CheckConstraint('left_on IS NULL OR arrived_on IS NULL OR left_on >= arrived_on', name=op.f('ck_affected_person_stay_ordered')),
    sa.CheckConstraint('site_id IS NULL OR arrived_on IS NOT NULL', name=op.f('ck_affected_person_stay_has_arrival')),
    sa.ForeignKeyConstraint(['case_id'], ['case_file.id'], name=op.f('fk_affected_person_case_id_case_file')),
    sa.ForeignKeyConstraint(['client_id'], ['client.id'], name=op.f('fk_affected_person_client_id_client')),
    sa.ForeignKeyConstraint(['event_id'], ['disaster_event.id'], name=op.f('fk_affected_person_event_id_disaster_event')),
    sa.ForeignKeyConstraint(['household_id'], ['affected_household.id'], name=op.f('fk_affected_person_household_id_affected_household')),
    sa.ForeignKeyConstraint(['region_code'], ['region.code'], name=op.f('fk_affected_person_region_code_region')),
    sa.ForeignKeyConstraint(['registered_by_id'], ['user_account.id'], name=op.f('fk_affected_person_registered_by_id_user_account')),
    sa.ForeignKeyConstraint(['site_id'], ['evacuation_site.id'], name=op.f('fk_affected_person_site_id_evacuation_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affected_person')),
    sa.UniqueConstraint('event_id', 'nik', name=op.f('uq_affected_person_event_id_nik')),
    sa.UniqueConstraint('uuid', name=op.f('uq_affected_person_uuid'))
    )
    with op.batch_alter_table('affected_person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affected_person_client_id'), ['client_id'], unique=False)
        batch_op.create_index('ix_affected_person_event_site', ['event_id', 'site_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affected_person_household_id'), ['household_id'], unique=False)
        batch_op.create_index('uq_affected_person_head', ['household_id'], unique=True, sqlite_where=sa.text("relation = 'head'"), postgresql_where=sa.text("relation = 'head'"))

    op.create_table('disaster_assistance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('uuid', sa.Uuid(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('household_id', sa.Integer(), nullable=True),
    sa.Column('site_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('meals', 'clothing', 'shelter', 'special_handling', 'psychosocial', 'other', name='disaster_assistance_kind', native_enum=False, create_constraint=True), nullable=False),
    sa.Column('service_id', sa.Integer(), nullable=True),
    sa.Column('given_on', sa.Date(), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=True),
    sa.Column('note', sa.String(length=500), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'other') = (service_id IS NOT NULL)", name=op.f('ck_disaster_assistance_other_names_service')),
    sa.CheckConstraint("kind <> 'meals' OR quantity <= 3", name=op.f('ck_disaster_assistance_meals_at_most_three')),
    sa.CheckConstraint('(person_id IS NULL) <> (household_id IS NULL)', name=op.f('ck_disaster_assistance_person_or_household')),
    sa.CheckConstraint('quantity > 0', name=op.f('ck_disaster_assistance_quantity_positive')),
    sa.ForeignKeyConstraint(['event_id'], ['disaster_event.id'], name=op.f('fk_disaster_assistance_event_id_disaster_event')),
    sa.ForeignKeyConstraint(['household_id'], ['affected_household.id'], name=op.f('fk_disaster_assistance_household_id_affected_household')),
    sa.ForeignKeyConstraint(['person_id'], ['affected_person.id'], name=op.f('fk_disaster_assistance_person_id_affected_person')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['user_account.id'], name=op.f('fk_disaster_assistance_recorded_by_id_user_account')),
    sa.ForeignKeyConstraint(['service_id'], ['service.id'], name=op.f('fk_disaster_assistance_service_id_service')),
    sa.ForeignKeyConstraint(['site_id'], ['evacuation_site.id'], name=op.f('fk_disaster_assistance_site_id_evacuation_site')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disaster_assistance')),
    sa.UniqueConstraint('uuid', name=op.f('uq_disaster_assistance_uuid'))
    )
    with op.batch_alter_table('disaster_assistance', schema=None) as batch_op:
        batch_op.create_index('ix_disaster_assistance_day', ['event_id', 'given_on', 'site_id', 'kind'], unique=False)
        batch_op.create_index('uq_disaster_assistance_household_kind', ['household_id', 'kind', 'given_on'], unique=True, sqlite_where=sa.text('service_id IS NULL'), postgresql_where=sa.text('service_id IS NULL'))
        batch_op.create_index('uq_disaster_assistance_household_service_id', ['household_id', 'service_id', 'given_on'], unique=True, sqlite_where=sa.text('service_id IS NOT NULL'), postgresql_where=sa.text('service_id IS NOT NULL'))
        batch_op.create_index('uq_disaster_assistance_person_kind', ['person_id', 'kind', 'given_on'], unique=True, sqlite_where=sa.text('service_id IS NULL'), postgresql_where=sa.text('service_id IS NULL'))
        batch_op.create_index('uq_disaster_assistance_person_service_id', ['person_id', 'service_id', 'given_on'], unique=True, sqlite_where=sa.text('service_id IS NOT NULL'), postgresql_where=sa.text('service_id IS NOT NULL'))


def downgrade():
    with op.batch_alter_table('disaster_assistance', schema=None) as batch_op:
        batch_op.drop_index('uq_disaster_assistance_person_service_id', sqlite_where=sa.text('service_id IS NOT NULL'), postgresql_where=sa.text('service_id IS NOT NULL'))
        batch_op.drop_index('uq_disaster_assistance_person_kind', sqlite_where=sa.text('service_id IS NULL'), postgresql_where=sa.text('service_id IS NULL'))
        batch_op.drop_index('uq_disaster_assistance_household_service_id', sqlite_where=sa.text('service_id IS NOT NULL'), postgresql_where=sa.text('service_id IS NOT NULL'))
        batch_op.drop_index('uq_disaster_assistance_household_kind', sqlite_where=sa.text('service_id IS NULL'), postgresql_where=sa.text('service_id IS NULL'))
        batch_op.drop_index('ix_disaster_assistance_day')

    op.drop_table('disaster_assistance')
    with op.batch_alter_table('affected_person', schema=None) as batch_op:
        batch_op.drop_index('uq_affected_person_head', sqlite_where=sa.text("relation = 'head'"), postgresql_where=sa.text("relation = 'head'"))
        batch_op.drop_index(batch_op.f('ix_affected_person_household_id'))
        batch_op.drop_index('ix_affected_person_event_site')
        batch_op.drop_index(batch_op.f('ix_affected_person_client_id'))

    op.drop_table('affected_person')
    with op.batch_alter_table('affected_household', schema=None) as batch_op:
        batch_op.drop_index('ix_affected_household_site')

    op.drop_table('affected_household')
    with op.batch_alter_table('evacuation_site', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evacuation_site_event_id'))

    op.drop_table('evacuation_site')
    op.drop_table('disaster_event_village')
    with op.batch_alter_table('disaster_event', schema=None) as batch_op:
        batch_op.drop_index('ix_disaster_event_agency')

    op.drop_table('disaster_event')
    op.drop_table('disaster_number_counter')
