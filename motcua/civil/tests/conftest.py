import datetime as dt

import pytest

from motcua.citizens.tests.conftest import population, registry, registry_server  # noqa: F401 - shared fixtures
from motcua.org.models import Role

KHANG = {  # the child pinned in the registry simulator (parents Nguyễn Văn An and Trần Thị Bích)
    "child_name": "Nguyễn Minh Khang",
    "child_personal_id": "079224005678",
    "child_sex": "male",
    "child_date_of_birth": dt.date(2024, 2, 20),
    "place_of_birth": "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh",
    "father_name": "Nguyễn Văn An",
    "father_personal_id": "079090001234",
    "mother_name": "Trần Thị Bích",
    "mother_personal_id": "079191004321",
}


@pytest.fixture
def ward_b_registrar(make_staff, ward_b):
    return make_staff(Role.SPECIALIST, ward_b)


@pytest.fixture
def ward_b_leader(make_staff, ward_b):
    return make_staff(Role.UNIT_LEADER, ward_b)


@pytest.fixture
def birth_at_b(ward_b, ward_b_registrar):
    from motcua.civil.models import RecordKind
    from motcua.civil.services import register

    return register(RecordKind.BIRTH, unit=ward_b, actor=ward_b_registrar, data=dict(KHANG))
