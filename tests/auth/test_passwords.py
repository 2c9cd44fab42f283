"""What makes a password too weak: the common list, the account's own email and name,
repeated or consecutive characters; each reason has its own translated message."""

import gzip
from pathlib import Path

import pytest
from conftest import submit
from factories import PASSWORD, make_user
from flask_babel import force_locale

from matchhub.services import ServiceError, accounts

EMAIL, NAME = "an.nguyen@example.vn", "Nguyễn Văn An"


def _problem(password, email=EMAIL, name=NAME, lang="en"):
    with force_locale(lang):
        return accounts.password_problem(password, email=email, name=name)


def test_the_shipped_list_is_real_and_large():
    path = Path(accounts.__file__).resolve().parent.parent / "data" / "common-passwords.txt.gz"
    words = gzip.decompress(path.read_bytes()).decode().split("\n")
    assert len({w for w in words if w}) >= 100_000
    assert len(accounts._common_passwords()) >= 100_000


@pytest.mark.parametrize(
    "password",
    ["qwertyuiop", "Password123", "1q2w3e4r5t", "PASSWORD123", "basketball", "monkey2024!!"],
)
def test_common_passwords_are_refused(ctx, password):
    assert "common" in _problem(password)


@pytest.mark.parametrize(
    "password", ["aaaaaaaaaa", "abcabcabca", "12345678901", "9876543210", "zzzzzzzzzzzzzz",
                 "1234567890abcd", "a1a1a1a1a1a1", "ab-ab-ab-ab-ab"],
)  # fmt: skip
def test_repeated_or_consecutive_characters_are_refused(ctx, password):
    problem = _problem(password)
    # Some are on the common list too (alone or around a common word), checked first.
    assert "repeated or consecutive" in problem or "common" in problem
    if not accounts.is_common_password(password):
        assert "repeated or consecutive" in _problem(password.replace("abcd", "pqrs"))


@pytest.mark.parametrize(
    "password",
    ["an.nguyen@example.vn", "AN.NGUYEN@example.vn", "an.nguyen2024", "annguyen!!!!",
     "Nguyễn Văn An", "nguyenvanan1", "NguyenVan.An", "van-an-nguyen-2004"],
)  # fmt: skip
def test_passwords_made_of_the_email_or_name_are_refused(ctx, password):
    assert "email address or your name" in _problem(password)


@pytest.mark.parametrize(
    "password",
    ["mat-khau-rat-dai-2026", "Sông Hồng chảy qua 3 tỉnh", "nguyen-ve-thang-7-mua-lua",
     "xe đạp đỏ của tôi", "tranh-dong-ho-1987"],
)  # fmt: skip
def test_ordinary_good_passwords_pass(ctx, password):
    assert _problem(password) is None


def test_each_reason_is_translated(ctx):
    assert "phổ biến" in _problem("qwertyuiop", lang="vi")
    assert "lặp lại" in _problem("ab-ab-ab-ab-ab", lang="vi")
    assert "email" in _problem("an.nguyen2024", lang="vi")
    assert "tên" in _problem("nguyenvanan1", lang="vi")


def test_registration_refuses_a_password_made_of_the_email(client, ctx):
    form = {
        "role": "learner", "full_name": NAME, "email": EMAIL, "password": EMAIL,
        "confirm": EMAIL, "locality": "nd-nam-dinh", "organization_name": "", "tax_code": "",
        "sector": "",
    }  # fmt: skip
    page = submit(client, "/auth/register", form).get_data(as_text=True)
    assert "địa chỉ email" in page


def test_changing_to_a_password_made_of_the_name_is_refused(ctx):
    user = make_user(email=EMAIL, full_name=NAME, password=PASSWORD)
    with pytest.raises(ServiceError) as err:
        accounts.change_password(user, PASSWORD, "nguyenvanan1")
    assert err.value.field == "new_password"
