"""Demo civil status records: a few hundred across the city's wards, from the same synthetic population
the registry simulator serves (so look-ups agree), plus the cases the demo walks through:

- the birth of Nguyễn Minh Khang registered at Phường Sài Gòn (26740), whose certified extract copy is
  issued at Phường Cầu Ông Lãnh (26758);
- the marriage of Nguyễn Văn An and Trần Thị Bích registered at Phường Bến Thành (26743);
- Phạm Thị Lan (079199007777), single: a marital status certificate can be issued for her.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from motcua.citizens.demo import DEMO_SEED, DEMO_SIZE
from motcua.citizens.population import Population
from motcua.civil.models import BirthRecord, RecordKind, Source
from motcua.civil.services import register
from motcua.org.models import Unit, User

BIRTHS = 300
MARRIAGES = 120
DEATHS = 40


def seed(stdout=None) -> None:
    if BirthRecord.objects.filter(child_personal_id="079224005678").exists():
        return
    units = {u.code: u for u in Unit.objects.filter(province_code="79", valid_to__isnull=True)}
    if "26740" not in units:
        return
    registrar_sg = User.objects.filter(username="chuyenvien.sg").first() or "system:demo"
    registrar = "system:demo"
    register(
        RecordKind.BIRTH,
        unit=units["26740"],
        actor=registrar_sg,
        check_permission=False,
        data={
            "child_name": "Nguyễn Minh Khang",
            "child_personal_id": "079224005678",
            "child_sex": "male",
            "child_date_of_birth": dt.date(2024, 2, 20),
            "place_of_birth": "Bệnh viện Từ Dũ, Thành phố Hồ Chí Minh",
            "father_name": "Nguyễn Văn An",
            "father_personal_id": "079090001234",
            "mother_name": "Trần Thị Bích",
            "mother_personal_id": "079191004321",
            "registered_on": dt.date(2024, 3, 1),
            "register_book": "01/2024",
        },
    )
    register(
        RecordKind.MARRIAGE,
        unit=units.get("26743", units["26740"]),
        actor=registrar,
        check_permission=False,
        data={
            "husband_name": "Nguyễn Văn An",
            "husband_personal_id": "079090001234",
            "husband_date_of_birth": dt.date(1990, 5, 12),
            "wife_name": "Trần Thị Bích",
            "wife_personal_id": "079191004321",
            "wife_date_of_birth": dt.date(1991, 8, 3),
            "registered_on": dt.date(2019, 10, 20),
            "register_book": "01/2019",
        },
    )
    population = Population(DEMO_SIZE, DEMO_SEED)
    rnd = random.Random(7)
    created = {"birth": 1, "marriage": 1, "death": 0}
    block = 0
    while created["birth"] < BIRTHS:
        household = population.household(block)
        block += 1
        father, mother, child, _second = household
        unit = units.get(child.ward_code)
        if unit is None:
            continue
        registered = child.date_of_birth + dt.timedelta(days=rnd.randint(5, 50))
        if registered > timezone.localdate():
            continue
        try:
            register(
                RecordKind.BIRTH,
                unit=unit,
                actor=registrar,
                check_permission=False,
                source=Source.LEGACY,
                data={
                    "child_name": child.full_name,
                    "child_personal_id": child.personal_id,
                    "child_sex": child.sex,
                    "child_date_of_birth": child.date_of_birth,
                    "place_of_birth": population.province_name,
                    "ethnicity": child.ethnicity,
                    "father_name": father.full_name,
                    "father_personal_id": father.personal_id,
                    "mother_name": mother.full_name,
                    "mother_personal_id": mother.personal_id,
                    "registered_on": registered,
                },
            )
            created["birth"] += 1
        except Exception:  # noqa: BLE001 - a generated clash is simply skipped
            continue
        if created["marriage"] < MARRIAGES and father.marital_status in ("married", "divorced"):
            wedding = max(
                dt.date(father.date_of_birth.year + 22, 6, 1), dt.date(mother.date_of_birth.year + 20, 6, 1)
            )
            married_at = units[rnd.choice(sorted(units))] if rnd.random() < 0.4 else unit
            try:
                register(
                    RecordKind.MARRIAGE,
                    unit=married_at,
                    actor=registrar,
                    check_permission=False,
                    source=Source.LEGACY,
                    data={
                        "husband_name": father.full_name,
                        "husband_personal_id": father.personal_id,
                        "husband_date_of_birth": father.date_of_birth,
                        "wife_name": mother.full_name,
                        "wife_personal_id": mother.personal_id,
                        "wife_date_of_birth": mother.date_of_birth,
                        "registered_on": min(wedding, child.date_of_birth),
                    },
                )
                created["marriage"] += 1
            except Exception:  # noqa: BLE001
                pass
        if created["death"] < DEATHS and father.date_of_death:
            try:
                register(
                    RecordKind.DEATH,
                    unit=unit,
                    actor=registrar,
                    check_permission=False,
                    source=Source.LEGACY,
                    data={
                        "deceased_name": father.full_name,
                        "deceased_personal_id": father.personal_id,
                        "deceased_sex": "male",
                        "deceased_date_of_birth": father.date_of_birth,
                        "date_of_death": father.date_of_death,
                        "place_of_death": unit.name,
                        "registered_on": father.date_of_death + dt.timedelta(days=3),
                    },
                )
                created["death"] += 1
            except Exception:  # noqa: BLE001
                pass
    if stdout is not None:
        stdout.write(
            f"  civil: {created['birth']} births, {created['marriage']} marriages, "
            f"{created['death']} deaths across the city's wards"
        )
