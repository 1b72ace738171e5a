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
    ("catalog/api.py", "procedure_detail"): (68, "one documented response body: the schema, not logic"),
    ("catalog/demo.py", "seed"): (74, "demo data, a straight sequence of rows"),
    ("catalog/excel.py", "import_workbook"): (74, "debt: one transaction over every sheet; split per sheet"),
    ("catalog/importer.py", "record_to_snapshot"): (
        118,
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
    ("portal/views.py", "submit_start"): (102, "debt: the wizard's first step; split draft storage out"),
    ("surveys/services.py", "submit_rating"): (83, "debt: proof, answers, upsert and audit in one write"),
}
# file -> (lines at most, why it is long)
LONG_FILES: dict[str, tuple[int, str]] = {
    "civil/services.py": (860, "debt: registration, extracts and marital status; split by aggregate"),
    "portal/views.py": (564, "debt: citizen pages and the wizard; move the wizard into its own module"),
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
