"""Demo satisfaction ratings for the demo dossiers that have a result (deterministic, idempotent)."""

from __future__ import annotations

import random

from motcua.dossiers import selectors as dossier_selectors
from motcua.surveys import selectors, services
from motcua.surveys.models import Rating

CHANNELS = ["qr", "qr", "kiosk", "portal", "sms"]
COMMENTS = ["", "", "", "Cán bộ hướng dẫn tận tình.", "Nhanh hơn tôi nghĩ.", "Nên có thêm ghế chờ."]


def seed(stdout=None) -> None:
    services.ensure_default_questions()
    codes = list(
        dossier_selectors.system_dossiers()
        .filter(status__in=sorted(selectors.RATEABLE_STATUSES))
        .order_by("code")
        .values_list("code", flat=True)
    )
    rated = set(Rating.objects.filter(dossier_code__in=codes).values_list("dossier_code", flat=True))
    created = 0
    for code in codes:
        rnd = random.Random(code)
        if code in rated or rnd.random() > 0.7:  # about 70% of citizens rate
            continue
        mood = rnd.choices([5, 4, 3, 2], weights=[80, 17, 2, 1])[0]
        answers = {
            q.code: max(1, min(5, mood + rnd.choice([0, 0, 0, -1, 1]))) for q in selectors.active_questions()
        }
        services.submit_rating(  # each demo applicant holds the receipt
            dossier_code=code,
            answers=answers,
            comment=rnd.choice(COMMENTS),
            channel=rnd.choice(CHANNELS),
            receipt_key=dossier_selectors.receipt_key(code),
        )
        created += 1
    if stdout is not None:
        stdout.write(f"  surveys: {Rating.objects.count()} ratings ({created} new)")
