"""The steps a case page offers: for each, its form, the operation it calls, and what the user is told.

The case page shows the forms that apply to the case's stage; a refused step
shows the page again with the submitted form (typed values kept) in its place.
"""

import uuid as uuid_module
from datetime import date
from typing import NamedTuple

from flask_babel import lazy_gettext as _l

from casework.cases import attachments, deliveries, intake, notes, queries, stages, stays
from casework.cases.forms import (
    AdmitForm,
    AftercareForm,
    AssessmentForm,
    AssignForm,
    AttachmentForm,
    BeginAssessmentForm,
    DeliveryForm,
    DischargeForm,
    NoteForm,
    PlanForm,
    SettingForm,
)
from casework.cases.models import OPEN_STAGES, Stage
from casework.cases.spm import suggested_services


class Step(NamedTuple):
    """A step: how its form is made, how it runs, what it says when done, and the stages it applies to."""

    build: object
    run: object
    done: object
    stages: tuple


def _versioned(operation):
    """Runs an operation taking (case, actor, version, values)."""
    return lambda case, actor, form: operation(case, actor, form.version.data, form.values())


def _created(operation):
    """Runs an idempotent create taking (case, actor, values, uuid)."""
    return lambda case, actor, form: operation(case, actor, form.values(), uuid=form.uuid.data or None)


def _assign(case, actor, form):
    """Hands the case over."""
    return intake.assign_case(case, actor, form.version.data, form.unit_id.data, form.caseworker_id.data)


def _attach(case, actor, form):
    """Stores the uploaded photo or letter on the case."""
    upload = form.file.data
    filename = getattr(upload, "filename", None)
    return attachments.add_attachment(
        case, actor, upload, form.values(), filename=filename, uuid=form.uuid.data or None
    )


def catalogue(case, today=None):
    """(services for the assessment: package first, then the others; services for deliveries: needs first)."""
    package, others = suggested_services(case, today or date.today())
    needed = [need.service for need in queries.needs(case)]
    needed_ids = {service.id for service in needed}
    rest = [service for service in (*package, *others) if service.id not in needed_ids]
    return (package, others), (needed, rest)


STEPS = {
    "begin-assessment": Step(
        lambda case, **kw: BeginAssessmentForm(**kw),
        _versioned(stages.begin_assessment),
        _l("Asesmen dimulai."),
        (Stage.INTAKE,),
    ),
    "assess": Step(
        lambda case, **kw: AssessmentForm(**kw),
        _versioned(stages.complete_assessment),
        _l("Asesmen selesai."),
        (Stage.ASSESSMENT,),
    ),
    "plan": Step(
        lambda case, **kw: PlanForm(**kw),
        _versioned(stages.record_plan),
        _l("Rencana intervensi disimpan."),
        (Stage.PLANNING,),
    ),
    "deliver": Step(
        lambda case, **kw: DeliveryForm.build(case.agency_id, *catalogue(case)[1], **kw),
        _created(deliveries.record_delivery),
        _l("Layanan dicatat."),
        OPEN_STAGES,
    ),
    "aftercare": Step(
        lambda case, **kw: AftercareForm(**kw),
        _versioned(stages.begin_aftercare),
        _l("Bimbingan lanjut dimulai."),
        (Stage.TERMINATED,),
    ),
    "admit": Step(
        lambda case, **kw: AdmitForm.build(case.agency_id, **kw),
        _versioned(stays.admit),
        _l("Tempat tinggal sementara dicatat."),
        OPEN_STAGES,
    ),
    "discharge": Step(
        lambda case, **kw: DischargeForm(**kw), _versioned(stays.discharge), _l("Tanggal keluar dicatat."), OPEN_STAGES
    ),
    "setting": Step(
        lambda case, **kw: SettingForm(**kw), _versioned(stays.set_setting), _l("Tempat layanan diubah."), OPEN_STAGES
    ),
    "note": Step(lambda case, **kw: NoteForm(**kw), _created(notes.add_note), _l("Catatan ditambahkan."), tuple(Stage)),
    "attach": Step(lambda case, **kw: AttachmentForm(**kw), _attach, _l("Lampiran disimpan."), tuple(Stage)),
    "assign": Step(
        lambda case, **kw: AssignForm.build(case.agency_id, **kw), _assign, _l("Kasus dialihkan."), OPEN_STAGES
    ),
}


def fresh_form(action, case):
    """The form of ``action`` as first shown: the case's version, a new UUID for creates, defaults filled."""
    form = STEPS[action].build(case, formdata=None, prefix=f"{action}-", version=case.version)
    if "uuid" in form:
        form.uuid.data = str(uuid_module.uuid4())
    if action == "assign":
        form.unit_id.data, form.caseworker_id.data = str(case.unit_id), str(case.caseworker_id)
    return form


def page_forms(case, submitted=None):
    """{action: form} of the steps open at the case's stage; ``submitted`` (action, form) takes its slot."""
    forms = {action: fresh_form(action, case) for action, step in STEPS.items() if case.stage in step.stages}
    if submitted is not None and submitted[0] in forms:
        forms[submitted[0]] = submitted[1]
    return forms
