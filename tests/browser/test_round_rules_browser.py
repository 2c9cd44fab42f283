"""In a real browser: a round with eligibility rules, its fairness report, and the
college's view of where its learners were placed (issue 12's walk)."""

import re
from collections import Counter
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from browser_steps import log_in, log_out
from playwright.sync_api import expect

from matchhub.extensions import db
from matchhub.models import AllocationRound, Learner, RoundResult, User, utcnow
from matchhub.services import ServiceError, demo, round_rankings, rounds

pytestmark = pytest.mark.browser

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")
N_ORDERS = 12


def _user(email: str) -> User:
    return db.session.scalar(sa.select(User).where(User.email == email))


def test_round_with_rules_then_fairness_then_the_colleges_placements(page, ctx):
    demo.seed_demo()
    college = _user(demo.COLLEGE_EMAIL).organization
    learners = list(db.session.scalars(sa.select(Learner).order_by(Learner.id)))
    # The cohort with the most learners of the demo college takes part; the others may not.
    year, _n = Counter(
        lr.graduation_year for lr in learners if lr.college_id == college.id
    ).most_common(1)[0]
    chosen = rounds.eligible_orders()[:N_ORDERS]

    log_in(page, demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/admin/rounds/new")
    page.locator("#name").fill("Đợt thực tập khoá " + str(year))
    deadline = (utcnow() + timedelta(days=5)).astimezone(VIETNAM).strftime("%Y-%m-%dT%H:%M")
    page.locator("#deadline").fill(deadline)
    page.locator("#years").fill(str(year))
    page.locator("#min_fit").select_option("near")
    for order in chosen:
        page.locator(f"#order-{order.id}").check()
    page.locator("#create-round").click()
    expect(page).to_have_url(re.compile(r"/admin/rounds/\d+$"))
    page.locator("#round-open").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "open")
    rnd = db.session.scalar(sa.select(AllocationRound))
    log_out(page)

    # Learners of the cohort list what they meet or nearly meet (the prefilled list);
    # a learner of another cohort is refused.
    ids = {o.id for o in chosen}
    taking_part = []
    for learner in learners:
        if learner.graduation_year != year:
            continue
        listed = [o for o in rounds.suggested_choices(rnd, learner) if o in ids][:5]
        if listed:
            rounds.save_choices(rnd, learner, listed)
            taking_part.append(learner)
    assert taking_part
    outsider = next(lr for lr in learners if lr.graduation_year != year)
    with pytest.raises(ServiceError):
        rounds.save_choices(rnd, outsider, [chosen[0].id])
    for ro in rnd.orders:
        rows = round_rankings.ranking_of(rnd, ro.order_id)
        if rows:
            member = db.session.scalar(
                sa.select(User).where(
                    User.memberships.any(organization_id=ro.order.organization_id)
                )
            )
            round_rankings.save_ranking(
                rnd, member, ro.order_id, [r.learner.id for r in rows], set()
            )

    log_in(page, demo.ADMIN_EMAIL, demo.DEMO_PASSWORD)
    page.goto(f"/admin/rounds/{rnd.id}")
    expect(page.locator("#round-rules")).to_contain_text(str(year))
    page.on("dialog", lambda d: d.accept())
    page.locator("#round-close").click()
    page.locator("#round-run").click()
    expect(page.locator("#round-summary")).to_have_attribute("data-stable", "yes")

    page.goto(f"/admin/rounds/{rnd.id}/fairness")
    expect(page.locator("#blocking-pairs")).to_have_attribute("data-count", "0")
    expect(page.locator("#fairness-overall")).to_be_visible()
    expect(page.locator("#fairness-seats")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải CSV").click()
    assert info.value.suggested_filename.endswith(".csv")
    page.goto(f"/admin/rounds/{rnd.id}")
    page.locator("#round-publish").click()
    expect(page.locator("#round-status")).to_have_attribute("data-status", "published")
    log_out(page)

    # The college sees its own learners of the round, placed or not, and nobody else's.
    db.session.expire_all()
    placed = dict(
        db.session.execute(
            sa.select(RoundResult.learner_id, RoundResult.order_id).where(
                RoundResult.round_id == rnd.id
            )
        ).all()
    )
    own = [lr for lr in taking_part if lr.college_id == college.id]
    assert own
    log_in(page, demo.COLLEGE_EMAIL, demo.DEMO_PASSWORD)
    page.goto("/college/rounds")
    page.locator(f'#college-rounds tr[data-round-id="{rnd.id}"] a').first.click()
    rows = page.locator("#college-placements tbody tr[data-learner-id]")
    expect(rows).to_have_count(len(own))
    shown = {int(rows.nth(i).get_attribute("data-learner-id")) for i in range(rows.count())}
    assert shown == {lr.id for lr in own}
    someone = own[0]
    row = page.locator(f'#college-placements tr[data-learner-id="{someone.id}"]')
    if placed.get(someone.id) is not None:
        title = next(o.title for o in chosen if o.id == placed[someone.id])
        expect(row).to_contain_text(title)
    else:
        expect(row).to_contain_text("chưa được xếp")
