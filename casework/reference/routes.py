"""Reference data pages: lists for every signed-in user, edits for administrators."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from casework.core.errors import ValidationFailed
from casework.core.pagination import paginate
from casework.core.permissions import require
from casework.extensions import db
from casework.reference import labels, services
from casework.reference.forms import (
    CategoryForm,
    LocalCodeForm,
    NamesForm,
    PackageItemForm,
    RegionSearchForm,
    ServiceForm,
)
from casework.reference.models import Category, LocalCode, PsksType, Service, SpmServiceType

bp = Blueprint("reference", __name__)


@bp.context_processor
def _reference_labels():
    """The on-screen names of reference values, for the reference templates."""
    return {"labels": labels}


@bp.get("/")
@require("reference.view")
def index():
    """What reference data there is, with the loaded version of each dataset."""
    return render_template("reference/index.html", datasets=services.list_datasets())


@bp.get("/categories")
@require("reference.view")
def categories():
    """The PPKS categories with counting unit, SPM group, sensitivity and local codes."""
    return render_template("reference/categories.html", categories=services.list_categories())


@bp.get("/services")
@require("reference.view")
def service_list():
    """The service catalogue with budget codes."""
    return render_template("reference/services.html", services=services.list_services())


@bp.get("/spm-service-types")
@require("reference.view")
def spm_service_types():
    """The SPM service types of both levels with their packages."""
    return render_template("reference/spm_service_types.html", types=services.list_spm_service_types())


@bp.get("/psks-types")
@require("reference.view")
def psks_types():
    """The 12 PSKS types."""
    return render_template("reference/psks_types.html", types=services.list_psks_types())


@bp.get("/regions")
@require("reference.view")
def regions():
    """Search regions by name, or browse them level by level from the provinces down."""
    form = RegionSearchForm(request.args)
    try:
        return _region_results(form) if form.q.data else _region_browser(form)
    except ValidationFailed as error:
        _show_errors(form, error)
        return render_template("reference/regions.html", form=form), 422


def _region_results(form):
    """The search results page for the form's name, level and area."""
    level = int(form.level.data) if form.level.data in {str(level) for level in labels.LEVEL_LABELS} else None
    results = services.search_regions(form.q.data, level=level, within=form.within.data, limit=services.MAX_RESULTS)
    return render_template("reference/regions.html", form=form, results=results, limit=services.MAX_RESULTS)


def _region_browser(form):
    """One page of the regions directly under the form's area (the provinces when none), with the way up."""
    area = services.require_region(form.within.data, field="within") if form.within.data else None
    page = paginate(services.region_children(area.code if area else None))
    lineage = services.region_lineage(area) if area else []
    return render_template("reference/regions.html", form=form, page=page, lineage=lineage)


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@require("reference.manage")
def edit_category(category_id):
    """An administrator changes a category."""
    category = db.get_or_404(Category, category_id)
    return _form_page(
        CategoryForm(obj=category),
        lambda data: services.update_category(category, data),
        title=_("Ubah kategori: %(name)s", name=category.name),
        done=url_for(".categories"),
    )


@bp.route("/services/<int:service_id>/edit", methods=["GET", "POST"])
@require("reference.manage")
def edit_service(service_id):
    """An administrator changes a service."""
    service = db.get_or_404(Service, service_id)
    return _form_page(
        ServiceForm(obj=service),
        lambda data: services.update_service(service, data),
        title=_("Ubah layanan: %(name)s", name=service.name),
        done=url_for(".service_list"),
    )


@bp.route("/psks-types/<int:psks_type_id>/edit", methods=["GET", "POST"])
@require("reference.manage")
def edit_psks_type(psks_type_id):
    """An administrator changes a PSKS type's names."""
    psks_type = db.get_or_404(PsksType, psks_type_id)
    return _form_page(
        NamesForm(obj=psks_type),
        lambda data: services.update_psks_type(psks_type, data),
        title=_("Ubah jenis PSKS: %(name)s", name=psks_type.name),
        done=url_for(".psks_types"),
    )


@bp.route("/spm-service-types/<int:type_id>/edit", methods=["GET", "POST"])
@require("reference.manage")
def edit_spm_service_type(type_id):
    """An administrator changes an SPM service type's names."""
    spm_type = db.get_or_404(SpmServiceType, type_id)
    return _form_page(
        NamesForm(obj=spm_type),
        lambda data: services.update_spm_service_type(spm_type, data),
        title=_("Ubah jenis layanan SPM: %(name)s", name=spm_type.name),
        done=url_for(".spm_service_types"),
    )


@bp.get("/spm-service-types/<int:type_id>/package")
@require("reference.manage")
def spm_package(type_id):
    """An SPM service type's package in order, with buttons to add, remove and reorder services."""
    spm_type = db.get_or_404(SpmServiceType, type_id)
    return _package_page(spm_type, _package_form(spm_type))


@bp.post("/spm-service-types/<int:type_id>/package")
@require("reference.manage")
def add_package_item(type_id):
    """An administrator adds a service at the end of an SPM package."""
    spm_type = db.get_or_404(SpmServiceType, type_id)
    form = _package_form(spm_type)
    return _package_change(
        spm_type,
        lambda: services.add_package_item(spm_type, form.data),
        lambda item: _("Layanan %(service)s ditambahkan ke paket.", service=item.service.name),
        form,
    )


@bp.post("/spm-service-types/<int:type_id>/package/<int:service_id>/remove")
@require("reference.manage")
def remove_package_item(type_id, service_id):
    """An administrator removes a service from an SPM package."""
    spm_type = db.get_or_404(SpmServiceType, type_id)
    return _package_change(
        spm_type,
        lambda: services.remove_package_item(spm_type, service_id),
        lambda item: _("Layanan %(service)s dihapus dari paket.", service=item.service.name),
    )


@bp.post("/spm-service-types/<int:type_id>/package/<int:service_id>/<any(up, down):direction>")
@require("reference.manage")
def move_package_item(type_id, service_id, direction):
    """An administrator moves a service one place up or down in an SPM package."""
    spm_type = db.get_or_404(SpmServiceType, type_id)
    return _package_change(
        spm_type,
        lambda: services.move_package_item(spm_type, service_id, -1 if direction == "up" else 1),
        lambda item: _("Layanan %(service)s kini di urutan %(n)d.", service=item.service.name, n=item.ordinal),
    )


def _package_form(spm_type):
    """The add-a-service form, offering the active services not yet in the package."""
    form = PackageItemForm()
    in_package = {item.service_id for item in spm_type.package}
    form.service_id.choices = [
        SelectChoice("", _("Pilih layanan")),
        *(
            SelectChoice(str(service.id), service.name)
            for service in services.list_services()
            if service.active and service.id not in in_package
        ),
    ]
    return form


def _package_change(spm_type, change, done, form=None):
    """Runs ``change()``, commits, flashes ``done(item)`` and goes back to the package page.

    A refusal shows the package page again with the service's messages,
    status 422, and nothing written.
    """
    try:
        # The message is built before the commit: a removed item is gone after it.
        message = done(change())
    except ValidationFailed as error:
        if form is None:
            form = _package_form(spm_type)
        _show_errors(form, error)
        return _package_page(spm_type, form), 422
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".spm_package", type_id=spm_type.id))


def _package_page(spm_type, form):
    """The package editor of ``spm_type`` with the add form ``form``."""
    return render_template("reference/spm_package.html", spm_type=spm_type, form=form)


@bp.get("/local-codes")
@require("reference.view")
def local_codes():
    """The local code sets and the national categories their codes map onto."""
    return render_template("reference/local_codes.html", codes=services.list_local_codes())


@bp.route("/local-codes/new", methods=["GET", "POST"])
@require("reference.manage")
def new_local_code():
    """An administrator adds a local code."""
    return _form_page(
        _local_code_form(),
        services.create_local_code,
        title=_("Tambah kode lokal"),
        done=url_for(".local_codes"),
    )


@bp.route("/local-codes/<int:local_code_id>/edit", methods=["GET", "POST"])
@require("reference.manage")
def edit_local_code(local_code_id):
    """An administrator changes a local code."""
    local_code = db.get_or_404(LocalCode, local_code_id)
    return _form_page(
        _local_code_form(obj=local_code),
        lambda data: services.update_local_code(local_code, data),
        title=_("Ubah kode lokal %(code)s", code=local_code.code),
        done=url_for(".local_codes"),
        delete_url=url_for(".delete_local_code", local_code_id=local_code.id),
    )


@bp.post("/local-codes/<int:local_code_id>/delete")
@require("reference.manage")
def delete_local_code(local_code_id):
    """An administrator removes a local code."""
    local_code = db.get_or_404(LocalCode, local_code_id)
    message = _("Kode lokal %(code)s dihapus.", code=local_code.code)
    services.delete_local_code(local_code)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".local_codes"))


def _local_code_form(obj=None):
    """The local-code form with every category to choose from."""
    form = LocalCodeForm(obj=obj)
    form.category_id.choices = [
        SelectChoice(str(category.id), category.name) for category in services.list_categories()
    ]
    return form


def _form_page(form, change, title, done, delete_url=None):
    """Shows ``form``; on submit runs ``change(form.data)``, commits and goes to ``done``.

    A refusal shows the form again with the service's messages, status 422,
    and nothing written.
    """
    status = 200
    if form.is_submitted():
        try:
            changes = change(form.data)
        except ValidationFailed as error:
            _show_errors(form, error)
            status = 422
        else:
            db.session.commit()
            flash(_("Perubahan disimpan.") if changes else _("Tidak ada perubahan."), "success")
            return redirect(done)
    page = render_template("reference/form.html", form=form, title=title, cancel_url=done, delete_url=delete_url)
    return page, status


def _show_errors(form, error):
    """Puts a service's field messages on the form's fields; others become form-level errors."""
    for name, messages in error.fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
        else:
            form.form_errors.extend(messages)
    if not error.fields:
        form.form_errors.append(error.message)
