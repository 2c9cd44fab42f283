"""The merge history and its undo: exactly what a merge moved comes back, nothing else."""

import pytest
import sqlalchemy as sa
from conftest import csrf_token, submit
from factories import make_learner, make_order, make_org, make_programme, make_user

from matchhub.extensions import db
from matchhub.models import (
    AuditEvent,
    Course,
    CourseSkill,
    EngineChange,
    EngineState,
    LearnerSkill,
    Order,
    OrderSkill,
    OrgKind,
    ProgrammeSkill,
    Role,
    Skill,
    SkillAlias,
    SkillMerge,
)
from matchhub.services import ServiceError, curation, merge_undo, skill_merges, taxonomy_cache

#: Columns pointing at skills that a merge's own history holds (never rewritten).
HISTORY = {("skill_merges", "source_id"), ("skill_merges", "target_id")}


def _skill_references() -> set[tuple[str, str]]:
    return {
        (fk.parent.table.name, fk.parent.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "skills"
    }


def _rows(*skill_ids: int) -> dict[tuple[str, str], list[tuple]]:
    """Every row, all columns, of every table column pointing at ``skill_ids``."""
    out = {}
    for name, column in sorted(_skill_references() - HISTORY):
        table = db.metadata.tables[name]
        rows = db.session.execute(
            sa.select(table).where(table.c[column].in_(skill_ids)).order_by(table.c.id)
        ).all()
        out[(name, column)] = [tuple(r) for r in rows]
    return out


def _skills(admin):
    old = curation.create_skill(admin, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    new = curation.create_skill(admin, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    return old, new


def _world(admin, old, new):
    """Every kind of reference to ``old``: alone (moved), next to ``new`` (dropped, the
    target row raised), an alias, and a skill merged into ``old`` before."""
    earlier = curation.create_skill(admin, "Zorbweb cổ", "Ancient Zorbweb", "tool")
    skill_merges.merge_skills(admin, earlier.slug, old.slug)
    curation.map_term(admin, "zorb web cu", old.slug)
    # The Vietnamese name has no alias of its own: the merge gives one to the target.
    db.session.execute(sa.delete(SkillAlias).where(SkillAlias.key == "ung dung zorbweb"))
    alone, both = make_learner(skills=()), make_learner(skills=())
    alone.skills.append(LearnerSkill(skill_id=old.id, term="Zorbweb", level=3))
    both.skills += [
        LearnerSkill(skill_id=old.id, term="Zorbweb", level=5),
        LearnerSkill(skill_id=new.id, term="Lập trình Zorbweb", level=2),
    ]
    org = make_org()
    nice = make_order(org, skills=())
    nice.skills.append(OrderSkill(skill_id=old.id, term="x", required=False, level=2, weight=2))
    mixed = make_order(org, skills=())
    mixed.skills += [
        OrderSkill(skill_id=old.id, term="Zorbweb", required=True, level=4, weight=1.5),
        OrderSkill(skill_id=new.id, term="web", required=False, level=1, weight=1),
    ]
    college = make_org(OrgKind.COLLEGE)
    p_alone = make_programme(college, code="P1", skills=())
    p_alone.skills.append(ProgrammeSkill(skill_id=old.id, level=3))
    p_both = make_programme(college, code="P2", skills=())
    p_both.skills += [ProgrammeSkill(skill_id=old.id, level=2), ProgrammeSkill(skill_id=new.id)]
    c_alone = Course(programme=p_alone, code="C1", name="Học phần 1")
    c_alone.skills.append(CourseSkill(skill_id=old.id, level=4))
    c_both = Course(programme=p_both, code="C2", name="Học phần 2")
    c_both.skills += [CourseSkill(skill_id=old.id, level=5), CourseSkill(skill_id=new.id, level=3)]
    db.session.add_all([c_alone, c_both])
    db.session.commit()
    return {"earlier": earlier, "alone": alone, "both": both, "mixed": mixed}


@pytest.mark.parametrize("chunk", [skill_merges.CHUNK, 1], ids=["one-statement", "by-one"])
def test_undo_restores_every_reference_of_every_kind(ctx, monkeypatch, chunk):
    """Walks the schema: every column pointing at skills has rows in this test, and after a
    merge and its undo each of them holds exactly the rows it held before, ids included
    (also when the ids go to the database a few at a time, as in a very large merge)."""
    monkeypatch.setattr(skill_merges, "CHUNK", chunk)
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    world = _world(admin, old, new)
    ids = (old.id, new.id, world["earlier"].id)
    before = _rows(*ids)
    empty = [ref for ref, rows in before.items() if not rows]
    assert not empty, f"give {empty} a row referencing the merged skill in this test"
    assert set(before) == _skill_references() - HISTORY

    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    assert merge.counts == {
        "learner_skills": 2,
        "order_skills": 2,
        "programme_skills": 2,
        "course_skills": 2,
        "aliases": 5,  # 4 of old (2 from earlier), plus old's Vietnamese name, added
        "merged_skills": 1,
    }
    db.session.expire_all()
    assert taxonomy_cache.normalize_terms(["Ancient Zorbweb"])[0].skill_id == new.slug
    assert _rows(*ids) != before

    restored = merge_undo.undo_merge(admin, db.session.get(SkillMerge, merge.id))
    assert restored["learner_skills"] == 2 and restored["course_skills"] == 2
    db.session.expire_all()
    assert _rows(*ids) == before
    assert db.session.get(Skill, old.id).merged_into_id is None
    # The engine reads the old names as the old skill again, without a restart.
    assert taxonomy_cache.normalize_terms(["Ancient Zorbweb"])[0].skill_id == old.slug
    assert taxonomy_cache.normalize_terms(["zorb web cu"])[0].skill_id == old.slug
    undone = db.session.get(SkillMerge, merge.id)
    assert undone.undone_at is not None and undone.undone_by_id == admin.id
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "taxonomy.merge_undone")
    )
    assert event.actor_id == admin.id and event.detail["merge_id"] == merge.id
    assert event.detail["source"] == old.slug and event.detail["order_skills"] == 2


def test_undo_bumps_the_cache_version_as_a_taxonomy_change(ctx):
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    _world(admin, old, new)
    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    version = db.session.scalar(sa.select(EngineState.version))
    merge_undo.undo_merge(admin, merge)
    now = db.session.scalar(sa.select(EngineState.version))
    assert now == version + 1
    kinds = set(db.session.scalars(sa.select(EngineChange.kind).where(EngineChange.version == now)))
    # Skills and aliases: the normaliser; profile rows by bulk statements: a rebuild.
    assert {"taxonomy", "all"} <= kinds


def test_undo_leaves_rows_changed_since_the_merge_as_they_are(ctx):
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    world = _world(admin, old, new)
    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    # Since the merge: one learner dropped the skill, another set its level, an order went.
    db.session.execute(sa.delete(LearnerSkill).where(LearnerSkill.learner_id == world["alone"].id))
    db.session.execute(
        sa.update(LearnerSkill).where(LearnerSkill.learner_id == world["both"].id).values(level=4)
    )
    db.session.delete(db.session.get(Order, world["mixed"].id))
    db.session.commit()

    merge_undo.undo_merge(admin, merge)
    db.session.expire_all()

    def held(learner):
        rows = sa.select(LearnerSkill).where(LearnerSkill.learner_id == learner.id)
        return sorted((r.skill_id, r.level) for r in db.session.scalars(rows))

    assert held(world["alone"]) == []  # not brought back
    # The dropped row is back; the target row keeps the level the learner set.
    assert held(world["both"]) == sorted([(old.id, 5), (new.id, 4)])
    assert db.session.get(Order, world["mixed"].id) is None


def test_undo_is_refused_while_a_later_merge_of_the_same_skills_stands(ctx):
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    third = curation.create_skill(admin, "Zorbweb nâng cao", "Advanced Zorbweb", "tool")
    first = skill_merges.merge_skills(admin, old.slug, new.slug)
    later = skill_merges.merge_skills(admin, new.slug, third.slug)
    with pytest.raises(ServiceError) as refused:
        merge_undo.undo_merge(admin, first)
    assert f"{later.id}" in refused.value.message
    db.session.rollback()
    assert db.session.get(Skill, old.id).merged_into_id == third.id
    # Newest first: then the first one undoes cleanly.
    merge_undo.undo_merge(admin, later)
    merge_undo.undo_merge(admin, db.session.get(SkillMerge, first.id))
    db.session.expire_all()
    assert [db.session.get(Skill, s.id).merged_into_id for s in (old, new, third)] == [None] * 3


def test_undo_is_refused_twice_and_when_the_skills_changed(ctx):
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    merge_undo.undo_merge(admin, merge)
    with pytest.raises(ServiceError, match="đã được huỷ"):
        merge_undo.undo_merge(admin, merge)
    db.session.rollback()
    again = skill_merges.merge_skills(admin, old.slug, new.slug)
    # Someone revived the source by hand: the journal no longer describes the database.
    db.session.execute(sa.update(Skill).where(Skill.id == old.id).values(merged_into_id=None))
    db.session.commit()
    assert merge_undo.undo_blocker(again) is not None
    with pytest.raises(ServiceError):
        merge_undo.undo_merge(admin, again)


def test_the_office_merges_sees_the_history_confirms_and_undoes(client, ctx, login):
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    learner = make_learner(skills=())
    learner.skills.append(LearnerSkill(skill_id=old.id, term="Zorbweb", level=3))
    db.session.commit()
    login(admin.email)
    merged = submit(
        client,
        "/admin/taxonomy/merge",
        {"merge-source": "Ứng dụng Zorbweb", "merge-target": new.slug},
        form_url="/admin/taxonomy",
    )
    assert merged.status_code == 302
    merge = db.session.scalar(sa.select(SkillMerge))
    page = client.get("/admin/taxonomy").get_data(as_text=True)
    undo_url = f"/admin/taxonomy/merges/{merge.id}/undo"
    assert f'data-merge-id="{merge.id}"' in page and f'href="{undo_url}"' in page

    confirm = client.get(undo_url)
    html = confirm.get_data(as_text=True)
    assert confirm.status_code == 200 and 'id="undo-form"' in html and "csrf_token" in html
    assert db.session.get(Skill, old.id).merged_into_id == new.id  # a GET changes nothing
    # Without the token the form is refused and nothing is undone.
    assert client.post(undo_url).status_code == 400
    db.session.expire_all()
    assert db.session.get(Skill, old.id).merged_into_id == new.id

    done = client.post(undo_url, data={"csrf_token": csrf_token(client, undo_url)})
    assert done.status_code == 302
    db.session.expire_all()
    assert db.session.get(Skill, old.id).merged_into_id is None
    assert db.session.get(LearnerSkill, learner.skills[0].id).skill_id == old.id
    page = client.get("/admin/taxonomy").get_data(as_text=True)
    assert f'href="{undo_url}"' not in page
    # Undoing again: refused, with the reason, on the confirmation page.
    again = client.post(undo_url, data={"csrf_token": csrf_token(client, "/admin/taxonomy")})
    assert again.status_code == 400 and 'id="undo-refused"' in again.get_data(as_text=True)


@pytest.mark.parametrize("role", [Role.LEARNER, Role.ENTERPRISE, Role.COLLEGE])
def test_only_the_province_office_sees_or_undoes_merges(client, ctx, login, role):
    admin = make_user(Role.ADMIN)
    old, new = _skills(admin)
    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    org = make_org(OrgKind.COLLEGE if role is Role.COLLEGE else OrgKind.ENTERPRISE)
    user = make_user(role, org=org if role is not Role.LEARNER else None)
    login(user.email)
    url = f"/admin/taxonomy/merges/{merge.id}/undo"
    token = csrf_token(client, "/")
    assert client.get(url).status_code == 403
    assert client.post(url, data={"csrf_token": token}).status_code == 403
    assert client.get("/admin/taxonomy/skills/suggest?q=zorb").status_code == 403
    db.session.expire_all()
    assert db.session.get(SkillMerge, merge.id).undone_at is None


def test_an_unknown_merge_is_a_404(client, ctx, login):
    login(make_user(Role.ADMIN).email)
    assert client.get("/admin/taxonomy/merges/999999/undo").status_code == 404
    assert client.get(f"/admin/taxonomy/merges/{2**40}/undo").status_code == 404
