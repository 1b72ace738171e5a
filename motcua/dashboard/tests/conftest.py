"""The dossier and feedback fixtures the dashboard's tests drive (the real actions, the real units)."""

from motcua.dossiers.tests.conftest import (  # noqa: F401  (fixtures)
    fast_password_hashing,
    intake,
    monday_morning,
    procedure,
)
from motcua.feedback.tests.conftest import categories  # noqa: F401  (fixture)
