"""The password policy: length both ways, not only white space, not a run of one character, not common."""

from __future__ import annotations

import pytest

from schemas.errors import InvalidRequest
from schemas.record import Department, Role
from storage import Archive


@pytest.mark.parametrize(
    "password",
    ["aaaaaaaaaa", " " * 10, "x" * 100_000, "kurz", "Passwort123", "qwertzuiop!", "1234567890", "abababababab"],
)
def test_weak_or_impossible_passwords_are_refused(archive: Archive, password: str) -> None:
    with pytest.raises(InvalidRequest):
        archive.add_user("anna", password, Role.CLERK, Department.JOBCENTRE)


def test_a_sound_password_is_taken_and_signs_in(archive: Archive) -> None:
    archive.add_user("anna", "Kastanienallee 17 grün", Role.CLERK, Department.JOBCENTRE)
    assert archive.authenticate("anna", "Kastanienallee 17 grün") is not None
    with pytest.raises(InvalidRequest):
        archive.set_password("anna", "          ")
