"""API endpoints for annual targets, the registered PPKS population, and their CSV imports.

They call the same operations as the pages. An import is one multipart
request: ``dry_run`` true checks the file and writes nothing; otherwise a
clean file is imported at once. A file with errors is a 422 whose ``fields``
are keyed ``"<line>.<column>"`` (``"<line>"`` for a whole row, ``"file"`` for
the file), each with its Indonesian message; nothing is written.
"""

import sqlalchemy as sa
from flask import request
from flask_babel import gettext as _
from flask_login import current_user

from casework.api import bp
from casework.api.openapi import documented
from casework.api.schemas import load_args, load_form, load_json
from casework.core.errors import ValidationFailed, current_on_conflict
from casework.core.permissions import require
from casework.extensions import db
from casework.figures import csv_import, population, targets
from casework.figures.models import Indicator
from casework.figures.target_schemas import (
    ImportInputSchema,
    ImportResultSchema,
    PopulationQuerySchema,
    PopulationTableSchema,
    PopulationTotalQuerySchema,
    PopulationTotalSchema,
    TargetCellSchema,
    TargetInputSchema,
    TargetQuerySchema,
    TargetSchema,
)
from casework.org.models import Unit
from casework.reference.models import CountingUnit


def _indicator(code):
    """The indicator with ``code`` (any case); a 422 on ``indicator_code`` when there is none."""
    indicator = db.session.scalar(sa.select(Indicator).where(sa.func.upper(Indicator.code) == (code or "").upper()))
    if indicator is None:
        message = _("Kode indikator %(code)s tidak dikenal.", code=code)
        raise ValidationFailed(message, fields={"indicator_code": [message]})
    return indicator


def _unit(code):
    """The signed-in user's agency's unit with ``code``; None for null or the agency's own code."""
    agency = current_user.agency
    if code is None or code.upper() == agency.code.upper():
        return None
    unit = db.session.scalar(
        sa.select(Unit).where(Unit.agency_id == agency.id, sa.func.upper(Unit.code) == code.upper())
    )
    if unit is None:
        message = _("Kode unit %(code)s tidak dikenal.", code=code)
        raise ValidationFailed(message, fields={"unit_code": [message]})
    return unit


@bp.get("/figures/targets")
@require("figures.view")
@documented(TargetSchema, query=TargetQuerySchema, many=True)
def list_targets():
    """The agency's targets of ``year`` (of one ``indicator`` when given), by indicator and unit."""
    args = load_args(TargetQuerySchema())
    indicator_id = _indicator(args["indicator"]).id if args.get("indicator") else None
    rows = db.session.scalars(targets.list_targets(current_user.agency_id, args["year"], indicator_id)).all()
    return {"items": TargetSchema(many=True).dump(rows)}


@bp.put("/figures/targets")
@require("figures.manage")
@documented(TargetCellSchema, body=TargetInputSchema)
def set_target():
    """Sets one target at the version read (null for a new one); ``target`` null removes it. Stale: 409."""
    data = load_json(TargetInputSchema())
    indicator, unit = _indicator(data["indicator_code"]), _unit(data["unit_code"])

    def now():
        stored = targets.annual_targets(current_user.agency_id, data["year"], indicator.id)
        return {"year": data["year"], "indicator_code": indicator.code, "target": stored.get(unit.id if unit else None)}

    with current_on_conflict(now):
        target = targets.set_target(
            current_user.agency, data["year"], indicator, unit, data["target"], data["version"], current_user
        )
    db.session.commit()
    return TargetCellSchema().dump(
        {
            "year": data["year"],
            "indicator_code": indicator.code,
            "unit_code": unit.code if unit else None,
            "target": target.target if target else None,
            "version": target.version if target else None,
        }
    )


def _import(spec):
    """Runs an import request: the uploaded ``file``, checked (and applied unless ``dry_run``)."""
    dry_run = load_form(ImportInputSchema())["dry_run"]
    upload = request.files.get("file")
    content = upload.read(csv_import.MAX_BYTES + 1) if upload else b""
    if not content:
        message = _("Pilih berkas CSV.")
        raise ValidationFailed(message, fields={"file": [message]})
    plan = csv_import.plan(spec, current_user.agency, content)
    if not plan.ok:
        fields = {}
        for error in plan.errors:
            key = "file" if error.line == 0 else f"{error.line}.{error.column}" if error.column else str(error.line)
            fields.setdefault(key, []).append(error.message)
        raise ValidationFailed(_("Berkas berisi kesalahan; tidak ada data yang disimpan."), fields=fields)
    if not dry_run:
        csv_import.apply(spec, current_user.agency, content, actor=current_user)
        db.session.commit()
    summary = plan.summary
    return ImportResultSchema().dump(
        {
            "dry_run": dry_run,
            "created": summary["create"],
            "updated": summary["update"],
            "unchanged": summary["unchanged"],
        }
    )


@bp.post("/figures/targets/import")
@require("figures.manage")
@documented(ImportResultSchema, body=ImportInputSchema, upload="file")
def import_targets():
    """Imports targets from a CSV ``file`` (``year, unit_code, indicator_code, target``); all rows or none."""
    return _import(targets.IMPORT)


@bp.post("/figures/population/import")
@require("figures.manage")
@documented(ImportResultSchema, body=ImportInputSchema, upload="file")
def import_population():
    """Imports population counts from a CSV ``file`` (``year, region_code, category_code, count``); all or none."""
    return _import(population.IMPORT)


@bp.get("/figures/population")
@require("figures.view")
@documented(PopulationTableSchema, query=PopulationQuerySchema)
def population_table():
    """The year's population by district × category, with totals per counting unit."""
    args = load_args(PopulationQuerySchema())
    table = population.population_table(current_user.agency_id, args["year"], args.get("region_prefix"))

    def cell(category, unit, count):
        return {"category": category.slug, "counting_unit": unit.value, "count": count}

    rows = [
        {
            "district_code": code,
            "district_name": name,
            "cells": [
                cell(category, unit, table.cells[code, category.id, unit])
                for category, unit in table.categories
                if (code, category.id, unit) in table.cells
            ],
            "totals": {unit.value: count for (district, unit), count in table.row_totals.items() if district == code},
        }
        for code, name in table.districts
    ]
    return PopulationTableSchema().dump(
        {
            "year": args["year"],
            "rows": rows,
            "column_totals": [
                cell(category, unit, table.column_totals[category.id, unit]) for category, unit in table.categories
            ],
            "totals": {unit.value: count for unit, count in table.totals.items()},
        }
    )


@bp.get("/figures/population/total")
@require("figures.view")
@documented(PopulationTotalSchema, query=PopulationTotalQuerySchema)
def population_total():
    """The registered population of ``year``, inside ``region_prefix``, of ``category`` codes, in one unit."""
    args = load_args(PopulationTotalQuerySchema())
    category_ids = None
    if args.get("category"):
        find = population.category_finder()
        category_ids = []
        for code in args["category"].split(","):
            category, problem = find(code.strip())
            if problem:
                raise ValidationFailed(problem, fields={"category": [problem]})
            category_ids.append(category.id)
    unit_name = args.get("counting_unit") or CountingUnit.PERSON.value
    if unit_name != "all" and unit_name not in set(CountingUnit):
        message = _("Satuan hitung harus person, household atau all.")
        raise ValidationFailed(message, fields={"counting_unit": [message]})
    total = population.population_total(
        current_user.agency_id,
        args["year"],
        region_prefix=args.get("region_prefix"),
        category_ids=category_ids,
        counting_unit=None if unit_name == "all" else CountingUnit(unit_name),
    )
    return PopulationTotalSchema().dump(
        {"year": args["year"], "region_prefix": args.get("region_prefix"), "counting_unit": unit_name, "total": total}
    )
