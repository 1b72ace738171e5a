"""The whole /api/v1/ contract under an OpenAPI fuzzer (schemathesis, default checks).

No server error, no undocumented status code, no response that violates its schema, and valid requests
accepted / invalid ones rejected: for an officer's token against a live server, and anonymously for the
public operations (procedures, calendar, public dossier look-up, document verification, categories).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.authtoken.models import Token

from motcua.org.models import Role

PUBLIC = r"^/api/v1/(procedures|calendar/|public/|civil/verify/|feedback/categories)"


def run_schemathesis(url: str, cwd: Path, *extra: str) -> subprocess.CompletedProcess:
    cli = Path(sys.executable).with_name("schemathesis")
    return subprocess.run(
        [
            str(cli), "run", f"{url}/api/v1/openapi.json",
            "--max-examples", os.environ.get("SCHEMATHESIS_EXAMPLES", "8"),
            "--workers", "1", "--seed", "1", "--no-color",
            "--suppress-health-check", "all",
            *extra,
        ],
        capture_output=True, text=True, timeout=900, cwd=cwd,
    )  # fmt: skip


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure(live_server, make_staff, ward_a, tmp_path):
    officer = make_staff(Role.DESK_OFFICER, ward_a)
    token = Token.objects.create(user=officer).key
    result = run_schemathesis(live_server.url, tmp_path, "-H", f"Authorization: Token {token}")
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_schemathesis_finds_no_failure_anonymously_on_public_operations(live_server, tmp_path):
    result = run_schemathesis(live_server.url, tmp_path, "--include-path-regex", PUBLIC)
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-2000:]
    assert "Selected: 6/" in result.stdout, result.stdout[-3000:]
