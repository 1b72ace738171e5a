"""Fixtures shared by the cross-app tests."""

from motcua.surveys.tests.conftest import make_dossier  # noqa: F401  (a returned dossier filed online)
