"""The population registry simulator on a free port, for the connector's tests."""

import pytest

from motcua.citizens.simulator import start_in_thread

SIZE = 2000
SEED = 42


@pytest.fixture(scope="session")
def registry_server():
    server, thread = start_in_thread(size=SIZE, seed=SEED)
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def registry(registry_server, settings):
    """The simulator, reset to healthy, with the connector pointed at it (short timeout for fault tests)."""
    registry_server.faults.update({"latency_ms": 0, "fail_rate": 0.0, "down": False})
    settings.MOTCUA_POPULATION_REGISTRY_URL = f"http://127.0.0.1:{registry_server.server_address[1]}"
    settings.MOTCUA_REGISTRY_TIMEOUT = 0.5
    yield registry_server
    registry_server.faults.update({"latency_ms": 0, "fail_rate": 0.0, "down": False})


@pytest.fixture
def population(registry_server):
    return registry_server.population


def intake(officer, personal_id: str, procedure_code: str = "1.001193") -> str:
    """Open a counter intake session for `personal_id` at the officer's unit: its public id."""
    from motcua.citizens.services import open_intake_session

    unit = officer.primary_unit
    return str(
        open_intake_session(
            officer, unit=unit, procedure_code=procedure_code, personal_id=personal_id
        ).public_id
    )


def counter_lookup(officer, personal_id: str, procedure_code: str = "1.001193", **kwargs):
    """A look-up at the counter before the dossier exists: bound to a fresh intake session."""
    from motcua.citizens.services import lookup_person

    return lookup_person(
        personal_id,
        actor=officer,
        procedure_code=procedure_code,
        intake_session=intake(officer, personal_id, procedure_code),
        **kwargs,
    )
