"""Demo: the population registry simulator runs beside the platform (`make demo` starts it), and the demo
citizen's account carries the personal ID the simulator knows (Nguyễn Văn An, 079090001234)."""

from __future__ import annotations

from urllib.parse import urlparse

from django.conf import settings

from motcua.org.models import User

DEMO_CITIZEN_ID = "079090001234"
DEMO_SIZE = 100_000
DEMO_SEED = 42


def _port() -> str:
    return str(urlparse(settings.MOTCUA_POPULATION_REGISTRY_URL).port or 8790)


PROCESSES = [["population_sim", "--port", _port(), "--size", str(DEMO_SIZE), "--seed", str(DEMO_SEED)]]


def seed(stdout=None) -> None:
    # The org demo creates the citizen account; give it the ID the registry knows, once.
    updated = User.objects.filter(username="congdan", personal_id="").update(personal_id=DEMO_CITIZEN_ID)
    if stdout is not None and updated:
        stdout.write(f"  citizens: demo citizen linked to personal ID {DEMO_CITIZEN_ID}")
