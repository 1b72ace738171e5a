import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache(settings, tmp_path):
    cache.clear()
    storages = dict(settings.STORAGES)
    storages["default"] = {**storages["default"], "OPTIONS": {"location": str(tmp_path / "media")}}
    settings.STORAGES = storages


@pytest.fixture
def make_dossier(ward_a, citizen, desk_officer, specialist, leader):
    """make_dossier(result=True) -> a dossier filed online by `citizen`, walked to a returned result."""
    from motcua.dossiers import services
    from motcua.portal.tests.conftest import ADDRESS, make_procedure, pdf, walk_to_result

    procedure = make_procedure()
    counter = iter(range(1, 1000))

    def make(result: bool = True):
        n = next(counter)
        files = {r.pk: pdf() for r in procedure.requirements.filter(kind="submit", required=True)}
        d = services.submit_online(
            procedure=procedure,
            citizen_user=citizen,
            files=files,
            idempotency_key=f"survey-test-{n}",
            applicant={"name": "Nguyễn Văn An", "phone": "0901234567", "address": ADDRESS},
            form_data={"ho_ten": "Nguyễn Văn An", "gioi_tinh": "Nam"},
        )
        if result:
            d = walk_to_result(d, desk_officer=desk_officer, specialist=specialist, leader=leader)
        return d

    return make
