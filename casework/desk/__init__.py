"""The supervisor's desk: what waits for a decision, what is overdue, and each caseworker's caseload, on one page.

Each section is a function "module:function" taking the signed-in user and
returning None (nothing to show) or (template name, context); the desk
renders them in this order. Features add their own sections here.
"""

DESK_SECTIONS = (
    "casework.findings.queue:desk_section",
    "casework.desk.sections:closures",
    "casework.referrals.desk:section",
    "casework.transfers.desk:section",
    "casework.desk.sections:overdue",
    "casework.tracing.desk:section",
    "casework.desk.sections:caseload",
)
