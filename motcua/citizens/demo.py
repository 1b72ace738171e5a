"""Demo: the population registry simulator runs beside the platform (`make demo` starts it), and the demo
citizen's account carries the personal ID the simulator knows (Nguyễn Văn An, 079090001234)."""

from __future__ import annotations

from motcua.core.demorun import DemoProcess
from motcua.org.models import User

DEMO_CITIZEN_ID = "079090001234"
DEMO_SIZE = 100_000
DEMO_SEED = 42
# The simulator listens on the demo's port + 10000 (motcua.core.demorun).
PROCESSES = [
    DemoProcess(
        ["population_sim", "--size", str(DEMO_SIZE), "--seed", str(DEMO_SEED)],
        port_offset=10000,
        url_env="MOTCUA_POPULATION_REGISTRY_URL",
        name="population registry simulator",
    )
]


def seed(stdout=None) -> None:
    # The org demo creates the citizen account; give it the ID the registry knows, once.
    updated = User.objects.filter(username="congdan", personal_id="").update(personal_id=DEMO_CITIZEN_ID)
    if stdout is not None and updated:
        stdout.write(f"  citizens: demo citizen linked to personal ID {DEMO_CITIZEN_ID}")
