"""Pages for annual targets and the registered PPKS population: the target grid, the population table, the imports.

An import is two steps: the upload shows the dry run (per-row errors, or
what each row would create, update or leave unchanged) and keeps the file in
the database; "Simpan" imports that stored file, checked again. Nothing is
written before that, and a file with any error cannot be imported.
"""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from casework.auth.forms import EmptyForm
from casework.core.errors import ServiceError
from casework.core.permissions import can, require
from casework.extensions import db
from casework.figures import csv_import, population, targets
from casework.figures.target_forms import ImportForm, PopulationFilterForm, TargetFilterForm
from casework.reference.labels import COUNTING_UNIT_LABELS

bp = Blueprint("figure_targets", __name__)

IMPORTS = {"targets": targets.IMPORT, "population": population.IMPORT}


@bp.context_processor
def _labels():
    """Label tables the pages share."""
    return {"reported_by_labels": targets.REPORTED_BY_LABELS, "unit_labels": COUNTING_UNIT_LABELS}


# ---------------------------------------------------------------- targets


def _cell_name(indicator, unit):
    """The form field of a grid cell: ``c-<indicator id>-<unit id, 0 for the agency as a whole>``."""
    return f"c-{indicator.id}-{unit.id if unit else 0}"


def _submitted_cells(grid):
    """The grid's cells as posted: what each holds, what the page showed, and the version it was read at."""
    cells = []
    for indicator in grid.indicators:
        for unit in (None, *grid.units):
            name = _cell_name(indicator, unit)
            if name in request.form:
                cells.append(
                    targets.GridCell(
                        field=name,
                        indicator_id=indicator.id,
                        unit_id=unit.id if unit else None,
                        text=request.form.get(name, ""),
                        shown=request.form.get(f"shown-{name}", ""),
                        version=request.form.get(f"version-{name}", ""),
                    )
                )
    return cells


@bp.route("/targets", methods=["GET"])
@require("figures.view")
def target_grid():
    """The year's targets: indicators (rows) × units (columns) of one reporting level."""
    filters = TargetFilterForm()
    grid = targets.target_grid(current_user.agency_id, filters.year_value(), filters.level_value())
    return _grid_page(filters, grid)


@bp.route("/targets", methods=["POST"])
@require("figures.manage")
def save_target_grid():
    """Saves the cells the user changed; a bad number or a cell changed meanwhile saves nothing."""
    filters = TargetFilterForm()
    grid = targets.target_grid(current_user.agency_id, filters.year_value(), filters.level_value())
    try:
        saved = targets.save_grid(current_user.agency, grid, _submitted_cells(grid))
    except ServiceError as error:
        db.session.rollback()
        grid = targets.target_grid(current_user.agency_id, filters.year_value(), filters.level_value())
        # A bad number keeps what was typed; a conflict shows the grid as it is now.
        posted = request.form if error.status == 422 else None
        return _grid_page(filters, grid, error, posted), error.status
    db.session.commit()
    flash(_("%(n)d target disimpan.", n=saved), "success")
    return redirect(url_for(".target_grid", year=grid.year, level=grid.reported_by.value))


def _grid_page(filters, grid, error=None, posted=None):
    """Renders the grid; after a refusal, what was typed comes back with the messages beside the cells."""
    return render_template(
        "figures/targets/grid.html",
        filters=filters,
        grid=grid,
        cell_name=_cell_name,
        editable=can(current_user, "figures.manage"),
        problem=error.message if error else None,
        cell_errors=error.fields if error else {},
        posted=posted or {},
        form=EmptyForm(),
    )


# ---------------------------------------------------------------- imports (targets and population)


def _back(kind):
    """The page an import of ``kind`` comes from and returns to."""
    return url_for(".target_grid") if kind == "targets" else url_for(".population_table")


@bp.route("/<any(targets, population):kind>/import", methods=["GET", "POST"])
@require("figures.manage")
def import_upload(kind):
    """The upload form; a posted file is checked (dry run) and kept for confirmation. Nothing is imported yet."""
    spec, form = IMPORTS[kind], ImportForm()
    context = {"kind": kind, "spec": spec, "form": form, "back": _back(kind)}
    if not form.validate_on_submit():
        return render_template("figures/targets/import.html", **context)
    upload = form.file.data
    content = upload.read(csv_import.MAX_BYTES + 1) if upload else b""
    if not content:
        form.file.errors = [_("Pilih berkas CSV.")]
        return render_template("figures/targets/import.html", **context), 422
    plan = csv_import.plan(spec, current_user.agency, content)
    pending = None
    if plan.ok:
        pending = csv_import.store_pending(spec, current_user.agency, content, upload.filename, current_user)
        db.session.commit()
    status = 200 if plan.ok else 422
    return render_template(
        "figures/targets/import.html", plan=plan, pending=pending, confirm=EmptyForm(), **context
    ), status


@bp.post("/<any(targets, population):kind>/import/<pending_uuid>")
@require("figures.manage")
def import_confirm(kind, pending_uuid):
    """Imports a checked upload, checked again: a row that fails now (data changed) shows its error, nothing saved."""
    spec = IMPORTS[kind]
    try:
        pending = csv_import.pending_upload(spec, current_user.agency, pending_uuid)
    except ServiceError as error:
        flash(error.message, "error")
        return redirect(url_for(".import_upload", kind=kind))
    plan = csv_import.plan(spec, current_user.agency, pending.content)
    if not plan.ok:
        context = {"kind": kind, "spec": spec, "form": ImportForm(), "back": _back(kind), "plan": plan}
        return render_template("figures/targets/import.html", **context), 422
    plan = csv_import.confirm_pending(spec, current_user.agency, pending_uuid, current_user)
    db.session.commit()
    flash(_("Impor selesai: %(create)d baru, %(update)d diubah, %(unchanged)d tetap.", **plan.summary), "success")
    return redirect(_back(kind))


# ---------------------------------------------------------------- population


@bp.get("/population")
@require("figures.view")
def population_table():
    """The year's registered PPKS population by district × category, with totals per counting unit."""
    filters = PopulationFilterForm()
    year = filters.year_value()
    within = (filters.within.data or "").strip() or None
    try:
        table = population.population_table(current_user.agency_id, year, within)
    except ServiceError as error:
        filters.within.errors = [error.message]
        table = population.population_table(current_user.agency_id, year)
    return render_template(
        "figures/population/table.html",
        filters=filters,
        year=year,
        table=table,
        years=population.population_years(current_user.agency_id),
        form=EmptyForm(),
    )


@bp.post("/population/<int:year>/delete")
@require("figures.manage")
def delete_population_year(year):
    """Deletes a year's counts, so a corrected file can be imported from scratch."""
    deleted = population.delete_year(current_user.agency, year)
    db.session.commit()
    flash(_("%(n)d data populasi tahun %(year)d dihapus.", n=deleted, year=year), "success")
    return redirect(url_for(".population_table", year=year))
