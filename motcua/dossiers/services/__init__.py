"""Every write on a dossier. Each action is one `perform()` (engine.py) against the one table in
workflow.py; this package's modules hold the actions' effects by step:

- intake.py: counter, post/API and online/kiosk intake, papers before receipt, the desk's check
- validation.py: the applicant and the declaration form checked against the catalog
- steps.py: the internal process (tasks, legal clock) and claim / assign / complete / return
- casework.py: supplement, fees, linked processing, apology, stop, withdrawal, overdue flag
- results.py: result papers, returning the result, on-time classification
- records.py: control-sheet events, scans, citizen messages and the per-transaction outbox task
- catalog.py: the catalog and calendar data intake needs, cached behind a cheap stamp
- dispatch.py: the screens' and the API's one way to run an action by name

Other apps and the views import this package (`from motcua.dossiers import services`).
"""

from motcua.core import audit
from motcua.dossiers.services.casework import (
    SUPPLEMENT_WINDOW_DAYS,
    apologise,
    apology_allowed,
    confirm_fee,
    flag_overdue,
    request_fee,
    request_supplement,
    stop,
    supplement,
    supplement_online,
    transfer_back,
    transfer_out,
    withdraw,
)
from motcua.dossiers.services.catalog import (
    CatalogSnapshot,
    catalog_snapshot,
    checklist,
    legal_time,
    missing_papers,
    process_steps,
    required_papers,
    route_competent_unit,
)
from motcua.dossiers.services.clock import clock_at, now
from motcua.dossiers.services.engine import perform
from motcua.dossiers.services.intake import (
    INTAKE_ACCEPT,
    INTAKE_REFUSE,
    INTAKE_SUPPLEMENT,
    add_paper,
    receive,
    receive_at_counter,
    refuse_receipt,
    register_submission,
    request_supplement_at_intake,
    submit_online,
)
from motcua.dossiers.services.records import public_url
from motcua.dossiers.services.results import attach_result, classify, return_result
from motcua.dossiers.services.steps import assign_task, claim_task, complete_task, return_task
from motcua.dossiers.services.validation import validate_form

__all__ = [
    "INTAKE_ACCEPT",
    "INTAKE_REFUSE",
    "INTAKE_SUPPLEMENT",
    "SUPPLEMENT_WINDOW_DAYS",
    "CatalogSnapshot",
    "add_paper",
    "apologise",
    "apology_allowed",
    "assign_task",
    "attach_result",
    "audit",
    "catalog_snapshot",
    "checklist",
    "claim_task",
    "classify",
    "clock_at",
    "complete_task",
    "confirm_fee",
    "flag_overdue",
    "legal_time",
    "missing_papers",
    "now",
    "perform",
    "process_steps",
    "public_url",
    "receive",
    "receive_at_counter",
    "refuse_receipt",
    "register_submission",
    "request_fee",
    "request_supplement",
    "request_supplement_at_intake",
    "required_papers",
    "return_result",
    "return_task",
    "route_competent_unit",
    "stop",
    "submit_online",
    "supplement",
    "supplement_online",
    "transfer_back",
    "transfer_out",
    "validate_form",
    "withdraw",
]
