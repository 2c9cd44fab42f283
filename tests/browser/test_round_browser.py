"""In a real browser: a full internship round on the demo province."""

import random
import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from browser_steps import log_in, log_out
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import (
    AllocationRound,
    Learner,
    Organization,
    RoundResult,
    RoundStatus,
    User,
    utcnow,
)
from matchhub.services import demo, round_rankings, rounds

pytestmark = pytest.mark.browser

N_ORDERS = 20
N_LEARNERS = 200
VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_full_round_on_the_demo_province(page, ctx):
    demo.seed_demo()
    demo_org = _user(demo.ENTERPRISE_EMAIL).organization
    eligible = rounds.eligible_orders()
    own = [o for o in eligible if o.organization_id == demo_org.id]
    assert own, "the demo enterprise has an open internship"
    chosen = own[:1] + [o for o in eligible if o.organization_id != demo_org.id][: N_ORDERS - 1]
    assert len(chosen) == N_ORDERS

    # The office creates the round with 20 internships through the page, then opens it.
    log_in(page, demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/admin/rounds/new")
    page.locator("#name").fill("Đợt thực tập hè 2026")
    deadline = (utcnow() + timedelta(days=5)).astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")
    page.locator("#deadline").fill(deadline)
    for order in chosen:
        page.locator(f"#order-{order.id}").check()
    page.locator("#create-round").click()
    expect(page).to_have_url(re.compile(r"/admin/rounds/\d+$"))
    page.locator("#round-open").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "open")
    rnd = db.session.scalar(sa.select(AllocationRound))
    assert len(rnd.orders) == N_ORDERS
    round_url = f"/admin/rounds/{rnd.id}"
    log_out(page)

    # 199 learners rank through the service, the demo learner through the page.
    demo_learner = db.session.scalar(
        sa.select(Learner).join(User).where(User.email == demo.LEARNER_EMAIL)
    )
    others = list(
        db.session.scalars(
            sa.select(Learner).where(Learner.id != demo_learner.id).order_by(Learner.id)
        )
    )[: N_LEARNERS - 1]
    rng = random.Random(7)
    ids = [o.id for o in chosen]
    for learner in others:
        picks = rng.sample(ids, rng.randint(3, 10))
        if rng.random() < 0.3:  # the demo enterprise's internship is popular
            picks = [own[0].id, *[p for p in picks if p != own[0].id]][:10]
        rounds.save_choices(rnd, learner, picks)

    log_in(page, demo.LEARNER_EMAIL, demo.DEMO_PASSWORD)
    page.goto(f"/learner/rounds/{rnd.id}")
    items = page.locator("#choices-form li[data-order-id]")
    expect(page.locator("#choices-form")).to_be_visible()
    # Her list holds only what she meets or nearly meets; she adds others herself.
    while items.count() < 2:
        page.locator("#add_order").select_option(index=0)
        page.locator('button[name="action"][value="add"]').click()
    second = items.nth(1).get_attribute("data-order-id")
    items.nth(1).locator('button[value^="up:"]').click()
    expect(page.locator("#choices-form li[data-order-id]").first).to_have_attribute(
        "data-order-id", second
    )
    page.locator("#save-choices").click()
    expect(page.locator(".alert-success")).to_be_visible()
    db.session.expire_all()
    assert rounds.saved_choices(rnd, demo_learner)[0] == int(second)
    log_out(page)

    # Enterprises rank: all but the demo one through the service (score order, the
    # lowest-scored candidate refused), the demo enterprise through the page.
    for ro in rnd.orders:
        org = ro.order.organization
        if org.id == demo_org.id:
            continue
        rows = round_rankings.ranking_of(rnd, ro.order_id)
        if not rows:
            continue
        member = db.session.scalar(
            sa.select(User).where(User.memberships.any(organization_id=org.id))
        )
        refused = {rows[-1].learner.id} if len(rows) > 3 else set()
        round_rankings.save_ranking(rnd, member, ro.order_id, [r.learner.id for r in rows], refused)

    log_in(page, demo.ENTERPRISE_EMAIL, demo.DEMO_PASSWORD)
    page.goto(f"/enterprise/rounds/{rnd.id}/orders/{own[0].id}")
    rows = page.locator("#ranking tbody tr[data-learner-id]")
    expect(rows.nth(1)).to_be_visible()
    moved = rows.nth(1).get_attribute("data-learner-id")
    rows.nth(1).locator('button[value^="up:"]').click()
    expect(page.locator("#ranking tbody tr[data-learner-id]").first).to_have_attribute(
        "data-learner-id", moved
    )
    page.locator("#save-ranking").click()
    expect(page.locator(".alert-success")).to_be_visible()
    log_out(page)

    # The office closes the ranking, runs, reviews and publishes through the page.
    log_in(page, demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    page.goto(round_url)
    expect(page.locator("#learners-ranked")).to_have_text(str(N_LEARNERS))
    # Closing asks first: dismissing the question changes nothing, agreeing closes.
    questions: list[str] = []

    def answer(dialog, agree: bool) -> None:
        questions.append(dialog.message)
        dialog.accept() if agree else dialog.dismiss()

    page.once("dialog", lambda d: answer(d, False))
    page.locator("#round-close").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "open")
    page.on("dialog", lambda d: answer(d, True))
    page.locator("#round-close").click()
    assert questions and "Đóng xếp hạng" in questions[0]
    page.locator("#round-run").click()
    summary = page.locator("#round-summary")
    expect(summary).to_have_attribute("data-stable", "yes")
    page.locator("#round-run").click()  # a rerun before publication is allowed
    expect(summary).to_have_attribute("data-stable", "yes")
    page.locator("#round-publish").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "published")
    log_out(page)

    db.session.expire_all()
    rnd = db.session.get(AllocationRound, rnd.id)
    assert rnd.status is RoundStatus.PUBLISHED
    assert rnd.summary["learners"] == N_LEARNERS and rnd.summary["stable"]
    assert 0 < rnd.summary["match_rate"] <= 1
    placed = db.session.scalar(
        sa.select(RoundResult.order_id).where(
            RoundResult.round_id == rnd.id, RoundResult.learner_id == demo_learner.id
        )
    )

    # The learner and the enterprise read their results and why.
    log_in(page, demo.LEARNER_EMAIL, demo.DEMO_PASSWORD)
    expect(page.locator('[data-notification="round.published"]')).to_be_visible()
    page.goto(f"/learner/rounds/{rnd.id}")
    result = page.locator("#round-result")
    expect(result).to_have_attribute("data-placed", str(placed or ""))
    if placed is None or placed != int(second):
        expect(page.locator("#round-reasons li").first).to_be_visible()
    log_out(page)

    log_in(page, demo.ENTERPRISE_EMAIL, demo.DEMO_PASSWORD)
    page.goto(f"/enterprise/rounds/{rnd.id}")
    outcome = page.locator(f'#round-outcome [data-order-id="{own[0].id}"]')
    expect(outcome).to_be_visible()
    admitted = db.session.scalar(
        sa.select(sa.func.count(RoundResult.id)).where(
            RoundResult.round_id == rnd.id, RoundResult.order_id == own[0].id
        )
    )
    assert admitted >= 1
    expect(outcome.locator("ol li")).to_have_count(admitted)
    assert db.session.get(Organization, demo_org.id) is not None


def test_province_dashboard_draws_its_charts(page, ctx):
    demo.seed_demo()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in(page, demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/admin/province?period=all")
    expect(page.locator('[data-table="gap"] tbody tr').first).to_be_visible()
    drawn = page.evaluate(
        "() => Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".filter(c => Chart.getChart(c) !== undefined).length"
    )
    assert drawn == page.locator("canvas[data-chart]").count() > 5
    assert errors == []
    with page.expect_download() as download:
        page.locator('[data-export="gap-csv"]').click()
    assert download.value.suggested_filename == "matchhub-gap-all.csv"
