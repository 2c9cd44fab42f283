"""In a real browser: axe-core finds no serious or critical violation on the main pages.

The main pages of every role (visitor, learner, enterprise, college, province office)
are checked in Vietnamese and in English, their other pages in Vietnamese, on the demo
province plus an open allocation round and a learner-file preview, so that the pages
show real tables, lists, charts and forms rather than their empty states. One browser
context per role and language visits its pages in turn.

axe-core comes from the PyPI package axe-playwright-python (requirements-dev.txt),
which ships the npm build of axe-core (axe.min.js, MPL-2.0): nothing is fetched at
test time, and no npm step is needed. Only its script is used; it is evaluated in
the page through Playwright (which is not subject to the page's CSP).
"""

from __future__ import annotations

import re
from importlib import resources
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa
from factories import cohort_csv, cohort_rows, make_round
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import (
    Application,
    Learner,
    Order,
    OrderKind,
    OrderStatus,
    Organization,
    Programme,
    User,
    VerificationState,
)
from matchhub.services import demo, rounds, surveys

pytestmark = pytest.mark.browser

AXE_JS = (resources.files("axe_playwright_python") / "axe.min.js").read_text(encoding="utf-8")
BLOCKING = ("serious", "critical")


def start_axe(page) -> None:
    """Start axe-core on the page just loaded; ``axe_result`` collects what it finds.

    Started, not awaited: each role's page runs axe in its own renderer process while
    the next role's page loads, so the two cores work together.
    """
    page.evaluate(AXE_JS)
    page.evaluate("() => { window.axeRun = axe.run(document, {resultTypes: ['violations']}); }")


def axe_result(page) -> list[dict]:
    """The serious and critical violations found by the run ``start_axe`` started."""
    result = page.evaluate("() => window.axeRun")
    return [v for v in result["violations"] if v["impact"] in BLOCKING]


def describe(url: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        targets = "; ".join(" ".join(n["target"]) for n in v["nodes"][:5])
        lines.append(f"{url}: {v['id']} ({v['impact']}, {len(v['nodes'])}×) {targets}")
    return lines


def send_login(page, email: str) -> None:
    """Send the login form; ``logged_in`` waits for the answer (the roles log in together)."""
    page.goto("/auth/login")
    page.locator("#email").fill(email)
    page.locator("#password").fill(demo.DEMO_PASSWORD)
    page.locator("#password").press("Enter")


def logged_in(page) -> None:
    page.wait_for_url(lambda url: "/auth/login" not in url)


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def _first(stmt):
    value = db.session.scalars(stmt.limit(1)).first()
    assert value is not None, f"the demo has no row for {stmt}"
    return value


def main_pages() -> dict[str | None, list[str]]:
    """The pages to check for each role (``None``: a visitor), on the seeded demo."""
    learner = db.session.scalar(
        sa.select(Learner).join(User).where(User.email == demo.LEARNER_EMAIL)
    )
    application = _first(sa.select(Application).where(Application.learner_id == learner.id))
    opening = _first(
        sa.select(Order)
        .join(Organization)
        .where(Order.is_opening)
        .where(
            ~Order.id.in_(
                sa.select(Application.order_id).where(Application.learner_id == learner.id)
            )
        )
        .order_by(Order.id)
    )
    enterprise = _user(demo.ENTERPRISE_EMAIL).organization
    order = _first(
        sa.select(Order)
        .where(Order.organization_id == enterprise.id, Order.status == OrderStatus.OPEN)
        .where(Order.id.in_(sa.select(Application.order_id)))
        .order_by(Order.id)
    )
    hr_application = _first(sa.select(Application).where(Application.order_id == order.id))
    college = _user(demo.COLLEGE_EMAIL).organization
    programme = _first(sa.select(Programme).where(Programme.organization_id == college.id))
    graduate = _first(
        sa.select(Learner)
        .where(Learner.college_id == college.id, Learner.graduation_year.is_not(None))
        .order_by(Learner.id)
    )
    admin = _user(demo.ADMIN_EMAIL)
    internships = [o for o in rounds.eligible_orders() if o.kind is OrderKind.INTERNSHIP][:5]
    rnd = make_round(admin, internships)
    pending = _first(sa.select(Organization).where(Organization.state == VerificationState.PENDING))
    # Each role's main pages are checked in both languages; the "+" pages, in Vietnamese
    # only (the platform's own language): their markup is the same in English, and
    # checking them twice would add some 25 seconds to every run.
    return {
        None: [
            "/",
            "/orders",
            "/auth/login",
            "/auth/register",
            "+/auth/reset",
            f"+/survey/{surveys.survey_token(graduate, 6)}",
        ],
        demo.LEARNER_EMAIL: [
            "/learner/",
            "/learner/matches",
            f"/learner/orders/{opening.id}",
            "/learner/applications",
            "/learner/profile",
            "+/learner/openings",
            f"+/learner/applications/{application.id}",
            "+/learner/profile/edit",
            "+/learner/next-skills",
            "+/learner/training",
            "+/learner/rounds",
            f"+/learner/rounds/{rnd.id}",
            "+/learner/saved",
            "+/learner/privacy",
            "+/auth/password",
            "+/auth/tokens",
        ],
        demo.ENTERPRISE_EMAIL: [
            "/enterprise/",
            "/enterprise/orders",
            f"/enterprise/orders/{order.id}",
            f"/enterprise/orders/{order.id}/candidates",
            f"/enterprise/orders/{order.id}/pipeline",
            "+/enterprise/orders/new",
            "+/enterprise/orders/new/training",
            f"+/enterprise/orders/{order.id}/candidates/{hr_application.learner_id}",
            f"+/enterprise/applications/{hr_application.id}",
            "+/enterprise/rounds",
        ],
        demo.COLLEGE_EMAIL: [
            "/college/",
            "/college/programmes",
            "/college/imports",
            "/college/demand",
            "/college/gaps",
            f"+/college/programmes/{programme.id}",
            "+/college/learners",
            f"+/college/programmes/{programme.id}/gaps",
            "+/college/training-orders",
            "+/college/outcomes",
            f"+/college/outcomes/record?year={graduate.graduation_year}&wave=6",
            f"+/college/learners/{graduate.id}/outcomes",
        ],
        demo.ADMIN_EMAIL: [
            "/admin/",
            "/admin/organizations?state=pending",
            "/admin/taxonomy",
            "/admin/rounds",
            "/admin/audit",
            "/admin/province",
            f"+/admin/organizations/{pending.id}",
            f"+/admin/rounds/{rnd.id}",
            "+/admin/users",
        ],
    }


def pages_in(lang: str, urls: list[str]) -> list[str]:
    """The pages of one role to check in ``lang`` ("+" marks those checked in Vietnamese only)."""
    return [u.removeprefix("+") for u in urls if lang == "vi" or not u.startswith("+")]


def _import_preview(page, tmp_path) -> str:
    """Upload a small learner file and land on its preview page (a main college page)."""
    upload = tmp_path / "lop.csv"
    upload.write_bytes(cohort_csv(cohort_rows(3, programme="ZZ-UNKNOWN")))
    page.goto("/college/imports")
    page.locator('input[type="file"]').set_input_files(upload)
    page.locator("#upload-submit").click()
    page.wait_for_url("**/college/imports/*")
    return urlsplit(page.url).path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_main_pages_have_no_serious_accessibility_violation(
    browser, live_server, ctx, tmp_path, lang
):
    demo.seed_demo()
    pages = main_pages()
    visits: list[tuple[object, list[str]]] = []
    found: list[str] = []
    checked = 0
    try:
        # One context per role, logged in once; then every role moves to its next page
        # together and axe runs on all of them at once.
        for email, urls in pages.items():
            context = browser.new_context(base_url=live_server)
            context.add_cookies([{"name": "lang", "value": lang, "url": live_server}])
            page = context.new_page()
            page.set_default_timeout(20_000)
            visits.append((page, pages_in(lang, urls)))
            if email:
                send_login(page, email)
        for (page, urls), email in zip(visits, pages, strict=True):
            if email:
                logged_in(page)
            if email == demo.COLLEGE_EMAIL and lang == "vi":
                urls.append(_import_preview(page, tmp_path))
        for step in range(max(len(urls) for _, urls in visits)):
            running = []
            for page, urls in visits:
                if step < len(urls):
                    response = page.goto(urls[step])
                    assert response.ok, f"{urls[step]} answered {response.status}"
                    assert page.locator("html").get_attribute("lang") == lang
                    start_axe(page)
                    running.append((page, urls[step]))
            for page, url in running:
                found += describe(url, axe_result(page))
                checked += 1
    finally:
        for page, _urls in visits:
            page.context.close()
    assert checked == sum(len(pages_in(lang, urls)) for urls in pages.values()) + (lang == "vi")
    assert not found, f"{len(found)} serious or critical violations ({lang}):\n" + "\n".join(found)


# --- Keyboard only: log in, open the matches, open an opening, apply ---

FOCUS_VISIBLE = """() => {
    const el = document.activeElement;
    if (!el || el === document.body) return false;
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && el.matches(':focus-visible')
        && style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
}"""


def focused(page, selector: str) -> bool:
    return page.evaluate("s => document.activeElement.matches(s)", selector)


def press(page, key: str) -> None:
    """Press ``key``; whatever gets the focus must show it (a solid outline, on screen)."""
    page.keyboard.press(key)
    if key in ("Tab", "Shift+Tab"):
        where = page.evaluate("() => document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_VISIBLE), f"focus is not visible on {where}"


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the control matching ``selector`` has the focus."""
    for _ in range(limit):
        press(page, "Tab")
        if focused(page, selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {page.url}")


def test_keyboard_only_login_matches_and_apply(page, ctx):
    from factories import PASSWORD, make_order, make_org, make_user, skill

    from matchhub.models import LearnerSkill, Role, Visibility, utcnow
    from matchhub.services.learners import learner_of_user

    org = make_org(name="Công ty Phần mềm Sông Hồng")
    order = make_order(org, kind=OrderKind.INTERNSHIP, title="Thực tập sinh Python")
    user = make_user(Role.LEARNER, email="hoa@sv.vn", full_name="Lê Thị Hoa")
    learner = learner_of_user(user)
    learner.consent_at = utcnow()
    learner.visibility = Visibility.ENTERPRISES
    learner.skills.append(LearnerSkill(skill=skill("python"), term="Python", level=4))
    db.session.commit()

    # The first Tab reaches the skip link, which jumps over the header to the form.
    page.goto("/auth/login")
    press(page, "Tab")
    assert focused(page, 'a[href="#main"]')
    expect(page.locator(":focus")).to_have_text("Chuyển đến nội dung")
    press(page, "Enter")
    press(page, "Tab")
    assert focused(page, "#email")
    page.keyboard.type(user.email)
    press(page, "Tab")
    assert focused(page, "#password")
    page.keyboard.type(PASSWORD)
    tab_to(page, 'main button:not([type="button"])')
    press(page, "Enter")
    # The login form was reached through the skip link: the redirect keeps its "#main".
    expect(page).to_have_url(re.compile(r"/learner/(#main)?$"))
    # The URL changes before the new page is in: a Tab pressed earlier would land on the
    # old page or the bare body (seen on a loaded machine).
    page.wait_for_load_state("load")

    tab_to(page, 'a[href$="/learner/matches"]')
    press(page, "Enter")
    expect(page).to_have_url(re.compile(r"/learner/matches$"))
    tab_to(page, f'#matches a[href$="/learner/orders/{order.id}"]')
    press(page, "Enter")
    expect(page).to_have_url(re.compile(rf"/learner/orders/{order.id}$"))

    # Past the message to the button, back with Shift+Tab, write, then apply with Space.
    tab_to(page, "#apply-form button")
    press(page, "Shift+Tab")
    assert focused(page, "#apply-form textarea")
    page.keyboard.type("Em xin ứng tuyển vị trí thực tập.")
    press(page, "Tab")
    assert focused(page, "#apply-form button")
    press(page, "Space")
    expect(page).to_have_url(re.compile(r"/learner/applications/\d+$"))

    db.session.expire_all()
    application = db.session.scalars(
        sa.select(Application).where(Application.learner_id == learner.id)
    ).one()
    assert application.order_id == order.id
    assert application.status.value == "applied"
    assert application.message == "Em xin ứng tuyển vị trí thực tập."
