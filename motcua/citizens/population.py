"""A deterministic synthetic population for the registry simulator (no Django, no database).

Nothing is stored per person: person `i` is generated on demand from `(seed, i)` with Faker's `vi_VN` data,
so 1,000,000 people cost no memory. People come in households of four (block `b = i // 4`: husband, wife,
two children), which gives every person consistent parents, spouse, children, household head and residence
in a real ward of the province (names from the official unit list).

A personal ID number is `PPP G YY NNNNNN`; the serial `NNNNNN` is a bijection of `i` on 0..999,999
(`serial = (A*i + B) mod 10^6`), so a look-up by ID inverts the serial to `i`, regenerates the person and
checks that the other digits match. A few fixed persons (`PINNED`) exist whatever the size and seed: the
demo's citizen and the people the tests talk about.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field

from faker import Faker

from motcua.citizens import idnumber
from motcua.citizens.provinces import current_wards, id_province_codes, province_name

MAX_SIZE = 1_000_000
MODULUS = 1_000_000
HOUSEHOLD = 4
TODAY = dt.date(2026, 1, 1)  # fixed so that the data do not change with the clock

ETHNICITIES = [("Kinh", 88), ("Hoa", 5), ("Khmer", 3), ("Chăm", 1), ("Tày", 1), ("Nùng", 1), ("Mường", 1)]
RELIGIONS = [
    ("Không", 74),
    ("Phật giáo", 14),
    ("Công giáo", 8),
    ("Cao Đài", 2),
    ("Tin Lành", 1),
    ("Hòa Hảo", 1),
]
BLOOD_GROUPS = [("O", 42), ("A", 21), ("B", 31), ("AB", 6)]
CARD_AUTHORITY = "Cục Cảnh sát quản lý hành chính về trật tự xã hội"
MALE_MIDDLE = ["Văn", "Minh", "Quốc", "Đức", "Hoàng", "Thanh", "Hữu", "Công", "Gia", "Tuấn"]
FEMALE_MIDDLE = ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Mỹ", "Bích", "Phương", "Hồng", "Minh"]

_local = threading.local()


def _faker() -> Faker:
    fake = getattr(_local, "faker", None)
    if fake is None:
        fake = _local.faker = Faker("vi_VN")
    return fake


def _weighted(rnd, options: list[tuple[str, int]]) -> str:
    return rnd.choices([o for o, _ in options], weights=[w for _, w in options])[0]


@dataclass
class Person:
    index: int
    personal_id: str
    full_name: str
    sex: str
    date_of_birth: dt.date
    birth_province: str
    hometown: str
    ethnicity: str
    religion: str
    blood_group: str
    phone: str
    email: str
    old_id_number: str
    card_issue_date: dt.date | None
    date_of_death: dt.date | None
    marital_status: str
    ward_code: str
    ward_name: str
    permanent_address: str
    temporary_address: str
    household_id: str
    household_relation: str
    father: Person | None = field(default=None, repr=False)
    mother: Person | None = field(default=None, repr=False)
    spouse: Person | None = field(default=None, repr=False)
    spouse_name_only: str = ""
    children: list[Person] = field(default_factory=list, repr=False)
    household: list[Person] = field(default_factory=list, repr=False)
    other_names: str = ""
    temporary_absence: str = ""

    @property
    def current_address(self) -> str:
        return self.temporary_address or self.permanent_address

    @property
    def head(self) -> Person | None:
        return next((p for p in self.household if p.household_relation == "Chủ hộ"), None)


class Population:
    def __init__(self, size: int = 10_000, seed: int = 42, province_code: str = "79"):
        if not 1 <= size <= MAX_SIZE:
            raise ValueError(f"size must be between 1 and {MAX_SIZE}")
        self.size = size
        self.seed = seed
        self.province_code = province_code.zfill(2)
        self.province_name = province_name(self.province_code)
        self.wards = current_wards(self.province_code)
        self.province_ids = sorted(id_province_codes())
        self.province_names = id_province_codes()
        # An odd multiplier not divisible by 5 is invertible modulo 10^6.
        a = 104_729 + 2 * (seed % 997)
        while a % 2 == 0 or a % 5 == 0:
            a += 1
        self._a = a
        self._a_inv = pow(a, -1, MODULUS)
        self._b = (seed * 7_919) % MODULUS
        self._lock = threading.Lock()
        self._pinned = _pinned(self)

    # --- identity <-> index ------------------------------------------------------------------------
    def serial(self, index: int) -> int:
        return (self._a * index + self._b) % MODULUS

    def index_of(self, personal_id: str) -> int | None:
        if not idnumber.ID_RE.match(personal_id or ""):
            return None
        index = ((int(personal_id[6:]) - self._b) * self._a_inv) % MODULUS
        return index if index < self.size else None

    def find(self, personal_id: str) -> Person | None:
        if personal_id in self._pinned:
            return self._pinned[personal_id]
        index = self.index_of(personal_id)
        if index is None:
            return None
        person = self.person(index)
        return person if person.personal_id == personal_id else None

    def person(self, index: int) -> Person:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return self.household(index // HOUSEHOLD)[index % HOUSEHOLD]

    def sample_ids(self, count: int, *, step: int | None = None) -> list[str]:
        step = step or max(1, self.size // max(count, 1))
        return [self.person(i).personal_id for i in range(0, self.size, step)][:count]

    # --- generation ---------------------------------------------------------------------------------
    def household(self, block: int) -> list[Person]:
        fake = _faker()
        fake.seed_instance(self.seed * 1_000_003 + block)
        rnd = fake.random
        base = block * HOUSEHOLD
        ward_code, ward_name = rnd.choice(self.wards)
        street = fake.street_name()
        house_no = rnd.randint(1, 400)
        permanent = f"Số {house_no} đường {street}, {ward_name}, {self.province_name}"
        household_id = f"{self.province_code}{block:010d}"
        family_name = rnd.choice(fake.provider("faker.providers.person").last_names)
        mother_family = rnd.choice(fake.provider("faker.providers.person").last_names)
        father_year = rnd.randint(1945, 1982)
        mother_year = min(max(father_year + rnd.randint(-3, 6), 1945), 1985)
        kind = rnd.random()
        status = "married" if kind < 0.78 else ("divorced" if kind < 0.88 else "widowed")
        first1 = mother_year + rnd.randint(20, 34)
        years = [father_year, mother_year, min(first1, 2025), min(first1 + rnd.randint(1, 8), 2025)]
        sexes = ["male", "female", rnd.choice(["male", "female"]), rnd.choice(["male", "female"])]
        people: list[Person] = []
        for k in range(HOUSEHOLD):
            index = base + k
            year, sex = years[k], sexes[k]
            dob = dt.date(year, rnd.randint(1, 12), rnd.randint(1, 28))
            middle = rnd.choice(MALE_MIDDLE if sex == "male" else FEMALE_MIDDLE)
            first = fake.first_name_male() if sex == "male" else fake.first_name_female()
            last = mother_family if k == 1 else family_name
            in_city = rnd.random() < (0.85 if k >= 2 else 0.6)
            birth_province = "079" if in_city else rnd.choice(self.province_ids)
            age = (TODAY - dob).days // 365
            temporary = ""
            if rnd.random() < 0.1 and age >= 18:
                other_code, other_ward = rnd.choice(self.wards)
                temporary = (
                    f"Số {rnd.randint(1, 200)} đường {fake.street_name()}, {other_ward}, {self.province_name}"
                )
            person = Person(
                index=index,
                personal_id=idnumber.compose(birth_province, year, sex, self.serial(index)),
                full_name=f"{last} {middle} {first}",
                sex=sex,
                date_of_birth=dob,
                birth_province=birth_province,
                hometown=self.province_names[rnd.choice(self.province_ids)],
                ethnicity=_weighted(rnd, ETHNICITIES),
                religion=_weighted(rnd, RELIGIONS),
                blood_group=_weighted(rnd, BLOOD_GROUPS),
                phone=("09" + "".join(str(rnd.randint(0, 9)) for _ in range(8))) if age >= 15 else "",
                email=fake.free_email() if age >= 18 and rnd.random() < 0.6 else "",
                old_id_number=("02" + "".join(str(rnd.randint(0, 9)) for _ in range(7)))
                if year < 2000
                else "",
                card_issue_date=dt.date(rnd.randint(2021, 2025), rnd.randint(1, 12), rnd.randint(1, 28))
                if age >= 14
                else None,
                date_of_death=None,
                marital_status="single",
                ward_code=ward_code,
                ward_name=ward_name,
                permanent_address=permanent,
                temporary_address=temporary,
                household_id=household_id,
                household_relation="",
            )
            if k >= 2 and age >= 24 and rnd.random() < 0.5:
                person.marital_status = "married"
                spouse_middle = rnd.choice(FEMALE_MIDDLE if sex == "male" else MALE_MIDDLE)
                spouse_first = fake.first_name_female() if sex == "male" else fake.first_name_male()
                person.spouse_name_only = (
                    f"{rnd.choice(fake.provider('faker.providers.person').last_names)} "
                    f"{spouse_middle} {spouse_first}"
                )
            people.append(person)
        father, mother, *children = people
        father.marital_status = mother.marital_status = status
        if status in ("married", "widowed"):
            father.spouse, mother.spouse = mother, father
        if status == "widowed":
            father.marital_status = "married"  # married when he died; she is the widow
            father.date_of_death = dt.date(
                rnd.randint(max(2000, father.date_of_birth.year + 40), 2025),
                rnd.randint(1, 12),
                rnd.randint(1, 28),
            )
        for child in children:
            child.father, child.mother = father, mother
        father.children = mother.children = list(children)
        head = mother if status == "widowed" else father
        head.household_relation = "Chủ hộ"
        if status == "married":
            mother.household_relation = "Vợ"
        elif status == "divorced":
            mother.household_relation = "Chủ hộ"  # her own household at the same address book
            mother.household_id = f"{household_id}B"
        for child in children:
            child.household_relation = "Con"
        household = [p for p in people if p.date_of_death is None]
        for p in people:
            p.household = [q for q in household if q.household_id == p.household_id]
        return people


def _pinned(population: Population) -> dict[str, Person]:
    """Fixed people the demo and tests rely on (same for every size and seed)."""
    wards = dict(population.wards)
    ward_code = "26758" if "26758" in wards else population.wards[0][0]
    ward_name = wards[ward_code]
    address = f"Số 5 đường Trần Hưng Đạo, {ward_name}, {population.province_name}"
    hcmc = population.province_names.get("079", "")

    def make(pid, name, sex, dob, relation, status="married"):
        return Person(
            index=-1,
            personal_id=pid,
            full_name=name,
            sex=sex,
            date_of_birth=dob,
            birth_province=pid[:3],
            hometown=hcmc,
            ethnicity="Kinh",
            religion="Không",
            blood_group="O",
            phone="0901234567" if pid == "079090001234" else "0912000" + pid[-3:],
            email="an.nguyen@example.vn" if pid == "079090001234" else "",
            old_id_number="025123456" if dob.year < 2000 else "",
            card_issue_date=dt.date(2021, 6, 1) if dob.year < 2012 else None,
            date_of_death=None,
            marital_status=status,
            ward_code=ward_code,
            ward_name=ward_name,
            permanent_address=address,
            temporary_address="",
            household_id="7900000000P1",
            household_relation=relation,
        )

    an = make("079090001234", "Nguyễn Văn An", "male", dt.date(1990, 5, 12), "Chủ hộ")
    bich = make("079191004321", "Trần Thị Bích", "female", dt.date(1991, 8, 3), "Vợ")
    khang = make("079224005678", "Nguyễn Minh Khang", "male", dt.date(2024, 2, 20), "Con", "single")
    binh = make("079062001111", "Nguyễn Văn Bình", "male", dt.date(1962, 3, 9), "", "married")
    hoa = make("079165002222", "Lê Thị Hoa", "female", dt.date(1965, 11, 30), "", "married")
    # A single young woman (marital status certificate: single in the registry).
    lan = make("079199007777", "Phạm Thị Lan", "female", dt.date(1999, 1, 15), "Chủ hộ", "single")
    lan.household_id = "7900000000P2"
    for p in (binh, hoa):
        p.household_id = "7900000000P3"
    binh.household_relation, hoa.household_relation = "Chủ hộ", "Vợ"
    an.spouse, bich.spouse = bich, an
    binh.spouse, hoa.spouse = hoa, binh
    an.father, an.mother = binh, hoa
    binh.children = hoa.children = [an]
    khang.father, khang.mother = an, bich
    an.children = bich.children = [khang]
    an.household = bich.household = khang.household = [an, bich, khang]
    binh.household = hoa.household = [binh, hoa]
    lan.household = [lan]
    return {p.personal_id: p for p in (an, bich, khang, binh, hoa, lan)}


# --- the registry's services: which of the 25 kinds of data each one returns -------------------------------
def _ref(p: Person | None) -> dict | None:
    if p is None:
        return None
    return {"full_name": p.full_name, "personal_id": p.personal_id, "nationality": "Việt Nam"}


def service_identity(population: Population, p: Person) -> dict:
    return {
        "full_name": p.full_name,
        "other_names": p.other_names,
        "personal_id": p.personal_id,
        "date_of_birth": p.date_of_birth.isoformat(),
        "sex": p.sex,
        "place_of_birth": population.province_names.get(p.birth_province, ""),
        "place_of_birth_registration": population.province_names.get(p.birth_province, ""),
        "hometown": p.hometown,
        "ethnicity": p.ethnicity,
        "religion": p.religion,
        "nationality": "Việt Nam",
        "blood_group": p.blood_group,
        "old_id_number": p.old_id_number,
        "card": {
            "number": p.personal_id,
            "issue_date": p.card_issue_date.isoformat(),
            "issued_by": CARD_AUTHORITY,
        }
        if p.card_issue_date
        else None,
        "date_of_death": p.date_of_death.isoformat() if p.date_of_death else None,
        "phone": p.phone,
        "email": p.email,
    }


def service_residence(population: Population, p: Person) -> dict:
    head = p.head
    return {
        "personal_id": p.personal_id,
        "permanent_address": p.permanent_address,
        "permanent_ward_code": p.ward_code,
        "temporary_address": p.temporary_address,
        "current_address": p.current_address,
        "temporary_absence": p.temporary_absence,
        "residence_file_number": p.household_id,
        "household_head": _ref(head),
        "household_relation": p.household_relation,
        "household_members": [
            {**_ref(m), "relation": m.household_relation} for m in p.household if m is not p
        ],
    }


def service_family(population: Population, p: Person) -> dict:
    spouse = _ref(p.spouse) if p.spouse and p.marital_status == "married" else None
    if spouse is None and p.spouse_name_only:
        spouse = {"full_name": p.spouse_name_only, "personal_id": "", "nationality": "Việt Nam"}
    return {
        "personal_id": p.personal_id,
        "father": _ref(p.father),
        "mother": _ref(p.mother),
        "spouse": spouse,
        "children": [_ref(c) for c in p.children],
        "representative": _ref(p.father or p.mother) if (TODAY - p.date_of_birth).days < 18 * 365 else None,
    }


def service_marital_status(population: Population, p: Person) -> dict:
    spouse = service_family(population, p)["spouse"]
    return {
        "personal_id": p.personal_id,
        "marital_status": p.marital_status,
        "spouse": spouse if p.marital_status == "married" else None,
    }


SERVICES = {
    "identity": service_identity,
    "residence": service_residence,
    "family": service_family,
    "marital-status": service_marital_status,
}
