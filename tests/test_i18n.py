"""Vietnamese by default, English on request, and a complete Vietnamese catalog."""

import re
from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.pofile import read_po
from conftest import csrf_token
from factories import make_user

from matchhub.extensions import db
from matchhub.models import Role

CATALOG = (
    Path(__file__).resolve().parents[1]
    / "matchhub"
    / "translations"
    / "vi"
    / "LC_MESSAGES"
    / "messages.po"
)


def test_home_is_vietnamese_by_default_even_for_english_browsers(client):
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Đăng nhập" in html


def test_switching_to_english_persists_in_a_cookie(client):
    token = csrf_token(client, "/")
    response = client.post("/language/en", data={"csrf_token": token, "next": "/auth/login"})
    assert response.status_code == 302 and response.headers["Location"] == "/auth/login"
    cookie = response.headers["Set-Cookie"]
    assert "lang=en" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in html and "Log in" in html
    token = csrf_token(client, "/")
    client.post("/language/vi", data={"csrf_token": token})
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


def test_language_switch_needs_csrf_and_a_known_language(client):
    assert client.post("/language/en").status_code == 400
    token = csrf_token(client, "/")
    assert client.post("/language/fr", data={"csrf_token": token}).status_code == 404


def test_logged_in_users_choice_is_saved_on_the_account(app, client, ctx, login):
    user = make_user(Role.ADMIN, email="admin@example.vn")
    login(user.email)
    token = csrf_token(client, "/admin/")
    client.post("/language/en", data={"csrf_token": token})
    db.session.refresh(user)
    assert user.locale == "en"
    fresh = app.test_client()  # a new browser without the cookie
    from conftest import submit

    submit(fresh, "/auth/login", {"email": user.email, "password": "correct-horse-battery"})
    assert '<html lang="en">' in fresh.get("/admin/").get_data(as_text=True)


def test_a_language_picked_before_logging_in_is_kept_at_the_next_login(app, client, ctx, login):
    from conftest import submit

    user = make_user(Role.ADMIN, email="office@example.vn")
    token = csrf_token(client, "/auth/login")
    client.post("/language/en", data={"csrf_token": token, "next": "/auth/login"})
    login(user.email)  # in English, from the login page
    db.session.refresh(user)
    assert user.locale == "en"
    other_device = app.test_client()
    submit(other_device, "/auth/login", {"email": user.email, "password": "correct-horse-battery"})
    assert '<html lang="en">' in other_device.get("/admin/").get_data(as_text=True)


def test_external_next_is_not_followed(client):
    token = csrf_token(client, "/")
    response = client.post("/language/en", data={"csrf_token": token, "next": "//evil.example/"})
    assert response.headers["Location"] == "/"


def test_vietnamese_catalog_is_complete():
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="vi")
    missing = [
        m.id for m in catalog if m.id and not (m.string if not m.pluralizable else all(m.string))
    ]
    fuzzy = [m.id for m in catalog if m.id and m.fuzzy]
    assert not missing, f"untranslated: {missing[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert len(catalog) > 100


def test_placeholders_survive_translation():
    with CATALOG.open("rb") as f:
        catalog = read_po(f, locale="vi")
    pattern = re.compile(r"%\(\w+\)[sd]")
    for m in catalog:
        if not m.id:
            continue
        source = m.id if isinstance(m.id, str) else m.id[0]
        target = m.string if isinstance(m.string, str) else m.string[0]
        assert set(pattern.findall(source)) == set(pattern.findall(target)), source


def test_dates_and_numbers_follow_the_locale(app):
    from flask_babel import force_locale

    from matchhub.i18n import _fmt_date, _fmt_number

    with app.test_request_context():
        with force_locale("vi"):
            assert _fmt_number(1500000) == "1.500.000"
            assert _fmt_date(date(2026, 8, 6)) == "06/08/2026"
            # 19:20 UTC is 02:20 the next day in Vietnam.
            assert _fmt_date(datetime(2026, 8, 5, 19, 20, tzinfo=UTC)) == "06/08/2026 02:20"
        with force_locale("en"):
            assert _fmt_number(1500000) == "1,500,000"
            assert _fmt_date(date(2026, 11, 26)) == "Nov 26, 2026"
            assert _fmt_date(datetime(2026, 8, 5, 19, 20, tzinfo=UTC)) == "Aug 6, 2026, 02:20"


def test_timezone_is_vietnam(app):
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == "Asia/Ho_Chi_Minh"


def test_builtin_validation_messages_are_translated(client):
    token = csrf_token(client, "/auth/login")
    html = client.post(
        "/auth/login", data={"email": "not-an-email", "password": "", "csrf_token": token}
    ).get_data(as_text=True)
    assert "This field is required." not in html and "Invalid email address." not in html
    assert "Trường này là bắt buộc." in html
    assert "Địa chỉ email không hợp lệ." in html


def test_english_chosen_before_login_survives_the_login(client, ctx, login):
    make_user(Role.ADMIN, email="admin@example.vn", locale="vi")
    token = csrf_token(client, "/auth/login")
    client.post("/language/en", data={"csrf_token": token, "next": "/auth/login"})
    login("admin@example.vn")
    assert '<html lang="en">' in client.get("/admin/").get_data(as_text=True)


def test_plural_counts_are_written_the_local_way(app):
    from flask import render_template_string
    from flask_babel import force_locale

    template = "{{ ngettext('%(num)s learner', '%(num)s learners', n) }}"
    with app.test_request_context():
        with force_locale("vi"):
            assert render_template_string(template, n=1500) == "1.500 người học"
        with force_locale("en"):
            assert render_template_string(template, n=1500) == "1,500 learners"
            assert render_template_string(template, n=1) == "1 learner"


def test_numbers_and_percentages_match_babels_own_formatting(app):
    """The filters keep their parsed patterns; the text is Flask-Babel's to the byte."""
    import flask_babel
    from flask_babel import force_locale

    from matchhub.i18n import _fmt_number, _fmt_percent

    with app.test_request_context():
        for lang in ("vi", "en"):
            with force_locale(lang):
                for value in (0, 0.004, 0.4567, 0.995, 1, 12.3456, -0.25):
                    assert _fmt_percent(value) == flask_babel.format_percent(value, "#,##0%")
                for value in (0, 1234.5, -98765.4321, 1500000):
                    for pattern in (None, "0.0", "0.00", "#,##0.00"):
                        expected = flask_babel.format_decimal(value, format=pattern)
                        assert _fmt_number(value, pattern) == expected
        for lang, expected in (("vi", ("1.235%", "1.234,50")), ("en", ("1,235%", "1,234.50"))):
            with force_locale(lang):
                assert (_fmt_percent(12.3456), _fmt_number(1234.5, "#,##0.00")) == expected
        assert _fmt_percent(None) == "" and _fmt_number(None) == ""


def test_template_translations_switch_with_the_locale_inside_a_request(app):
    """A mail rendered in its reader's language inside a page's request, and the page after it."""
    from flask import g, render_template_string
    from flask_babel import force_locale, refresh

    template = "{{ _('Log in') }} {{ ngettext('%(num)s learner', '%(num)s learners', 2) }}"
    with app.test_request_context():
        assert render_template_string(template) == "Đăng nhập 2 người học"
        with force_locale("en"):
            assert render_template_string(template) == "Log in 2 learners"
        assert render_template_string(template) == "Đăng nhập 2 người học"
        g.forced_locale = "en"  # a locale chosen again in the middle of the request
        refresh()
        assert render_template_string(template) == "Log in 2 learners"


def test_vietnamese_uses_one_tone_mark_style():
    # "hoá, xoá, khoá, huỷ" throughout, never mixed with "hóa, xóa, khóa, hủy".
    import re
    from pathlib import Path

    import matchhub

    po = Path(matchhub.__file__).parent / "translations/vi/LC_MESSAGES/messages.po"
    lines = po.read_text(encoding="utf-8").splitlines()
    strings = [line for line in lines if not line.startswith("msgid")]
    old_style = re.compile(r"[óòỏõọ][ae](?!\w)|[úùủũụ]y(?!\w)", re.IGNORECASE)
    assert [line for line in strings if old_style.search(line)] == []
