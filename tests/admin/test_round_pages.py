"""The three sides of a round through the web pages (no JavaScript needed)."""

import re
from datetime import timedelta

import sqlalchemy as sa
from conftest import submit
from factories import PASSWORD, make_learner, make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    AllocationRound,
    LearnerSkill,
    OrderKind,
    OrgKind,
    Role,
    RoundChoice,
    RoundRanking,
    RoundStatus,
    utcnow,
)


def test_round_from_creation_to_results(app, client, ctx, login):
    admin = make_user(Role.ADMIN)
    ent = make_org(name="Công ty A")
    ent_user = make_user(Role.ENTERPRISE, org=ent)
    a = make_order(ent, kind=OrderKind.INTERNSHIP, headcount=1, title="Thực tập Python")
    b = make_order(
        ent, kind=OrderKind.INTERNSHIP, headcount=1, title="Thực tập SQL", skills=("sql",)
    )
    make_order(ent, kind=OrderKind.JOB, title="Việc làm")  # not eligible
    learner_user = make_user(Role.LEARNER)
    learner = learner_user_profile(learner_user)
    # meets the Python internship, one level short for the SQL one: both are suggested
    for slug, level in (("python", 3), ("sql", 2)):
        learner.skills.append(LearnerSkill(skill=skill(slug), term=slug, level=level))
    learner.consent_at = utcnow()
    db.session.commit()
    other = make_learner(make_org(OrgKind.COLLEGE), skills=(("python", 5),))

    # The office creates the round and opens it.
    login(admin.email)
    page = client.get("/admin/rounds/new").get_data(as_text=True)
    assert f'value="{a.id}"' in page and "Việc làm" not in page
    deadline = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = submit(
        client,
        "/admin/rounds/new",
        {
            "name": "Đợt hè",
            "deadline": deadline,
            "order": [a.id, b.id],
            f"capacity-{a.id}": "1",
            f"capacity-{b.id}": "1",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    rnd = db.session.scalar(sa.select(AllocationRound))
    url = f"/admin/rounds/{rnd.id}"
    assert submit(client, f"{url}/open", {}, form_url=url).status_code == 302
    db.session.refresh(rnd)
    assert rnd.status is RoundStatus.OPEN
    client.post("/auth/logout", data={"csrf_token": _token(client, "/admin/")})

    # The learner sees suggestions, moves the second up, which saves the list.
    login(learner_user.email)
    dashboard = client.get("/learner/").get_data(as_text=True)
    assert 'id="round-invitations"' in dashboard and f'data-round-id="{rnd.id}"' in dashboard
    detail = f"/learner/rounds/{rnd.id}"
    page = client.get(detail).get_data(as_text=True)
    suggested = [int(x) for x in re.findall(r'name="choice" value="(\d+)"', page)]
    assert sorted(suggested) == sorted([a.id, b.id])
    response = submit(
        client,
        f"{detail}/choices",
        {"choice": suggested, "action": "up:1"},
        form_url=detail,
    )
    assert response.status_code == 302
    chosen = list(
        db.session.scalars(
            sa.select(RoundChoice.order_id)
            .where(RoundChoice.learner_id == learner.id)
            .order_by(RoundChoice.rank)
        )
    )
    assert chosen == [suggested[1], suggested[0]]
    client.post("/auth/logout", data={"csrf_token": _token(client, "/learner/")})

    from matchhub.services import rounds

    rounds.save_choices(rnd, other, [a.id])

    # The enterprise ranks A's candidates: the learner first, the other refused.
    login(ent_user.email)
    assert f'data-round-id="{rnd.id}"' in client.get("/enterprise/").get_data(as_text=True)
    ranking = f"/enterprise/rounds/{rnd.id}/orders/{a.id}"
    page = client.get(ranking).get_data(as_text=True)
    assert learner.full_name in page and other.full_name in page
    response = submit(
        client,
        ranking,
        {"candidate": [learner.id, other.id], "unacceptable": [other.id], "action": "save"},
    )
    assert response.status_code == 302
    refused = db.session.scalar(sa.select(RoundRanking).where(RoundRanking.learner_id == other.id))
    assert refused.unacceptable and refused.rank is None
    # Another enterprise cannot open this ranking.
    client.post("/auth/logout", data={"csrf_token": _token(client, "/enterprise/")})
    login(make_user(Role.ENTERPRISE, org=make_org()).email)
    assert client.get(ranking).status_code == 404
    client.post("/auth/logout", data={"csrf_token": _token(client, "/enterprise/")})

    # The office closes, runs and publishes.
    login(admin.email)
    for step in ("close", "run", "publish"):
        if step != "run":  # closing and publishing cannot be undone: the page asks first
            form = client.get(url).get_data(as_text=True).split(f'{url}/{step}"', 1)[1]
            assert "data-confirm=" in form.split(">", 1)[0]
        assert submit(client, f"{url}/{step}", {}, form_url=url).status_code == 302
    db.session.refresh(rnd)
    assert rnd.status is RoundStatus.PUBLISHED and rnd.summary["stable"]
    page = client.get(url).get_data(as_text=True)
    assert 'id="round-summary"' in page and 'data-stable="yes"' in page
    # each placement shows how well it fits: the learner meets or nearly meets theirs
    placed = page[page.index('id="round-results"') :]
    assert re.search(r'data-tier="(meets|near)"', placed)
    client.post("/auth/logout", data={"csrf_token": _token(client, "/admin/")})

    # Results: the learner got their first choice (nobody else chose it or A ranked them first).
    login(learner_user.email, PASSWORD)
    page = client.get(detail).get_data(as_text=True)
    assert f'data-placed="{chosen[0]}"' in page
    dashboard = client.get("/learner/").get_data(as_text=True)
    assert 'data-notification="round.published"' in dashboard
    client.post("/auth/logout", data={"csrf_token": _token(client, "/learner/")})
    login(ent_user.email)
    page = client.get(f"/enterprise/rounds/{rnd.id}").get_data(as_text=True)
    assert 'id="round-outcome"' in page and learner.full_name in page


def learner_user_profile(user):
    from matchhub.services.learners import learner_of_user

    return learner_of_user(user)


def _token(client, url):
    from conftest import csrf_token

    return csrf_token(client, url)
