"""The serving configuration in deploy/ stays valid: nginx accepts the rendered template, gunicorn its settings.

No server is started; the nginx check is skipped where nginx is not installed (CI does not need it).
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[3] / "deploy"


def render_nginx(values: dict[str, str]) -> str:
    """What deploy/serve.sh does with envsubst: only the listed ${NAME}s, nginx's own $variables untouched."""
    text = (DEPLOY / "nginx.conf").read_text()
    return re.sub(r"\$\{([A-Z_]+)\}", lambda m: values[m.group(1)], text)


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_nginx_accepts_the_rendered_template(tmp_path):
    conf = tmp_path / "nginx.conf"
    conf.write_text(
        render_nginx(
            {
                "NGINX_USER": "root",
                "PORT": "18457",
                "MOTCUA_RUN_DIR": str(tmp_path),
                "MOTCUA_SOCKET": f"unix:{tmp_path / 'gunicorn.sock'}",
                "MOTCUA_STATIC_ROOT": str(tmp_path / "static"),
            }
        )
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(conf), "-e", str(tmp_path / "error.log")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


def test_nginx_serves_hashed_static_files_itself_and_keeps_metrics_local():
    text = (DEPLOY / "nginx.conf").read_text()
    assert 'add_header Cache-Control "public, max-age=31536000, immutable"' in text
    assert re.search(r"location = /metrics \{\s*allow 127\.0\.0\.1;\s*allow ::1;\s*deny all;", text)
    assert re.search(r"location = /readyz \{\s*allow 127\.0\.0\.1;\s*allow ::1;\s*deny all;", text)
    assert "readyz" not in text.replace("location = /readyz", "").replace("# Readiness", "")
    assert "/media/" not in text.replace("# Uploaded", "")  # uploads only through Django's permission checks


def test_gunicorn_accepts_its_settings(tmp_path):
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "--check-config",
            "-c",
            str(DEPLOY / "gunicorn.conf.py"),
            "motcua.wsgi",
        ],
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "MOTCUA_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "motcua.settings",
        },
        cwd=DEPLOY.parent,
    )
    assert result.returncode == 0, result.stderr
