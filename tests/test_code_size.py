"""Files that read (issue 10, item 6): no production function over 60 lines, no production file over 500.

The ones that exist today are listed below with the reason they are long and the size they may not grow
beyond. A new long function or file fails this test: split it by step or aggregate, or add it here with a
written reason in the same commit. Migrations and tests are not production code.
"""

from __future__ import annotations

import ast
import pathlib

ROOT = pathlib.Path(__file__).resolve().parent.parent / "motcua"
MAX_FUNCTION_LINES = 60
MAX_FILE_LINES = 500

# (file, function) -> (lines at most, why it is long)
LONG_FUNCTIONS: dict[tuple[str, str], tuple[int, str]] = {
    ("catalog/api.py", "procedure_detail"): (69, "one documented response body: the schema, not logic"),
    ("catalog/demo.py", "seed"): (74, "demo data, a straight sequence of rows"),
    ("catalog/excel.py", "import_workbook"): (74, "debt: one transaction over every sheet; split per sheet"),
    ("catalog/importer.py", "record_to_snapshot"): (
        124,
        "field-by-field mapping of a national catalog record",
    ),
    ("citizens/connector.py", "call"): (63, "one HTTP exchange: signing, retries, each failure's code"),
    ("citizens/population.py", "household"): (100, "the registry simulator's household generator (data)"),
    ("citizens/services.py", "lookup_person"): (83, "debt: consent, purpose, log and answer in legal order"),
    ("civil/demo.py", "seed"): (132, "demo data, a straight sequence of records"),
    ("civil/services.py", "register"): (110, "debt: one branch per civil-status kind; split per kind"),
    ("civil/services.py", "issue_extract"): (66, "debt: fee, signature and audit of one extract"),
    ("civil/services.py", "_record_marital_status"): (100, "debt: the marital-status history walk"),
    ("dossiers/demo.py", "_live"): (161, "demo: one branch per target status of a demo dossier's life"),
    ("feedback/demo.py", "_reports"): (112, "demo data, one block per report kind"),
    ("org/loader.py", "load_province"): (77, "one import transaction mapping the units dataset"),
    ("org/loader.py", "_load_legacy"): (77, "one import transaction mapping the pre-2025 units"),
    ("portal/views.py", "submit_start"): (146, "debt: the wizard's first step; split draft storage out"),
    ("assistant/services.py", "resolve_handover"): (70, "debt: reply, teach the example, close, audit; split"),
    ("catalog/papers.py", "read_paper"): (64, "one parse of a paper's wording: condition, kind, copies"),
    ("civil/services.py", "issue_marital_status"): (62, "debt: grew with the intake-session binding"),
    ("dashboard/charts.py", "columns"): (62, "one SVG chart: axes, bars, labels, table fallback"),
    ("documents/actions.py", "direct"): (93, "debt: directive, overlay, tasks, slip, notices; split per part"),
    ("documents/actions.py", "register"): (137, "debt: number, files, duplicate check, audit, OCR task; split"),
    ("documents/edxml.py", "parse"): (81, "one edXML header mapping, field by field (QCVN 102:2016)"),
    ("documents/extract.py", "propose"): (62, "the header fields proposed from OCR text, one rule each"),
    ("documents/services.py", "remind_and_escalate"): (63, "debt: reminders and escalations in one sweep"),
    ("dossiers/home.py", "sections"): (116, "debt: one section list per role; split per role"),
    ("dossiers/services/intake.py", "receive_at_counter"): (63, "debt: grew with conditional papers; split"),
    ("dossiers/views.py", "intake"): (67, "debt: the counter form's POST; move parsing to a form class"),
    ("feedback/intake.py", "_new_report"): (62, "debt: grew with the Open311 key; split routing out"),
    ("feedback/open311.py", "_create"): (62, "debt: GeoReport fields mapping plus the client's key"),
    ("portal/views.py", "_sign_in"): (61, "debt: the OTP form with its own CSRF guard; split the guard out"),
    ("surveys/services.py", "submit_rating"): (83, "debt: proof, answers, upsert and audit in one write"),
}
# file -> (lines at most, why it is long)
LONG_FILES: dict[str, tuple[int, str]] = {
    "catalog/models.py": (547, "debt: procedure, papers, fees, process versions; split papers out"),
    "citizens/services.py": (649, "debt: look-ups, consent, intake sessions; split sessions out"),
    "documents/actions.py": (546, "debt: register and directive actions; split per action"),
    "dossiers/api.py": (561, "debt: list, detail, transitions, uploads; split uploads out"),
    "dossiers/demo.py": (526, "demo data: the lives of the demo dossiers"),
    "dossiers/models.py": (515, "the dossier aggregate's tables in one module"),
    "settings.py": (555, "every setting declared once, each with its comment"),
    "civil/services.py": (907, "debt: registration, extracts and marital status; split by aggregate"),
    "portal/views.py": (754, "debt: citizen pages and the wizard; move the wizard into its own module"),
}


def _production_files() -> list[pathlib.Path]:
    return [p for p in sorted(ROOT.rglob("*.py")) if "migrations" not in p.parts and "tests" not in p.parts]


def _sizes() -> tuple[dict[str, int], dict[tuple[str, str], int]]:
    files: dict[str, int] = {}
    functions: dict[tuple[str, str], int] = {}
    for path in _production_files():
        rel = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        files[rel] = len(text.splitlines())
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno is not None:
                key = (rel, node.name)
                functions[key] = max(functions.get(key, 0), node.end_lineno - node.lineno + 1)
    return files, functions


def test_no_new_long_function_and_no_listed_one_grows():
    _files, functions = _sizes()
    too_long = {
        f"{path}:{name} ({lines} lines)"
        for (path, name), lines in functions.items()
        if lines > LONG_FUNCTIONS.get((path, name), (MAX_FUNCTION_LINES, ""))[0]
    }
    assert not too_long, (
        f"functions over {MAX_FUNCTION_LINES} lines (or over their allowance): {sorted(too_long)}"
    )


def test_no_new_long_file_and_no_listed_one_grows():
    files, _functions = _sizes()
    too_long = {
        f"{path} ({lines} lines)"
        for path, lines in files.items()
        if lines > LONG_FILES.get(path, (MAX_FILE_LINES, ""))[0]
    }
    assert not too_long, f"files over {MAX_FILE_LINES} lines (or over their allowance): {sorted(too_long)}"


def test_every_allowance_says_why():
    for (path, name), (lines, why) in LONG_FUNCTIONS.items():
        assert lines > MAX_FUNCTION_LINES and len(why) > 10, (path, name)
    for path, (lines, why) in LONG_FILES.items():
        assert lines > MAX_FILE_LINES and len(why) > 10, path
