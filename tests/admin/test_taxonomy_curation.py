"""Unknown terms, aliases, new skills and merges; the engine follows every change."""

import sqlalchemy as sa
from conftest import submit
from factories import make_learner, make_order, make_org, make_user, skill

from matchhub.extensions import db
from matchhub.models import (
    AuditEvent,
    LearnerSkill,
    OrderSkill,
    Role,
    Skill,
    SkillAlias,
)
from matchhub.services import ServiceError, curation, skill_merges, taxonomy_cache


def _unknown_learner(term: str, **kw):
    learner = make_learner(skills=kw.pop("skills", ()), **kw)
    learner.skills.append(LearnerSkill(skill_id=None, term=term, level=2))
    db.session.commit()
    return learner


def _unknown_order(term: str):
    order = make_order(make_org(), skills=())
    order.skills.append(OrderSkill(skill_id=None, term=term, required=True, level=3))
    db.session.commit()
    return order


def test_unknown_terms_are_grouped_by_folded_spelling(ctx):
    _unknown_learner("Lập trình Zorblang")
    _unknown_learner("lap trinh zorblang")
    _unknown_order("LẬP TRÌNH ZORBLANG")
    _unknown_order("Quux")
    groups = {g.key: g for g in curation.unknown_terms()}
    zorb = groups["lap trinh zorblang"]
    assert (zorb.learners, zorb.orders) == (2, 1) and len(zorb.terms) == 3
    assert [g.key for g in curation.unknown_terms("quu")] == ["quux"]


def test_mapping_a_term_adds_an_alias_links_rows_and_normalises(client, ctx, login):
    assert taxonomy_cache.normalize_terms(["zorblang"])[0].skill_id is None
    learner = _unknown_learner("Zorblang")
    both = make_learner(skills=(("python", 4),))
    both.skills.append(LearnerSkill(skill_id=None, term="zorblang", level=2))
    order = _unknown_order("ZORBLANG")
    db.session.commit()

    login(make_user(Role.ADMIN).email)
    response = submit(
        client,
        "/admin/taxonomy/alias",
        {"map-term": "Zorblang", "map-skill": "python"},
        form_url="/admin/taxonomy",
    )
    assert response.status_code == 302
    db.session.expire_all()
    alias = db.session.scalar(sa.select(SkillAlias).where(SkillAlias.key == "zorblang"))
    assert alias.source == "admin" and alias.skill_id == skill("python").id
    python = skill("python").id
    assert [s.skill_id for s in db.session.get(type(learner), learner.id).skills] == [python]
    # The learner who already had Python keeps one row.
    assert [s.skill_id for s in db.session.get(type(both), both.id).skills] == [python]
    assert {s.skill_id for s in db.session.get(type(order), order.id).skills} == {python}
    # The engine picked the new alias up without a restart.
    assert taxonomy_cache.normalize_terms(["zorblang"])[0].skill_id == "python"
    event = db.session.scalar(
        sa.select(AuditEvent).where(AuditEvent.action == "taxonomy.alias_added")
    )
    assert event.detail["linked"] == 2  # the third row was a duplicate, dropped


def test_an_alias_cannot_name_two_skills(ctx):
    admin = make_user(Role.ADMIN)
    try:
        curation.map_term(admin, "Python", "java")
    except ServiceError as exc:
        assert exc.field == "term"
    else:
        raise AssertionError("an alias of python was given to java")


def test_creating_a_skill(client, ctx, login):
    _unknown_order("Quantum Basket Weaving")
    login(make_user(Role.ADMIN).email)
    data = {
        "new-name_vi": "Đan giỏ lượng tử",
        "new-name_en": "Quantum Basket Weaving",
        "new-category": "domain",
        "new-term": "Quantum Basket Weaving",
    }
    response = submit(client, "/admin/taxonomy/skills", data, form_url="/admin/taxonomy")
    assert response.status_code == 302
    created = db.session.scalar(sa.select(Skill).where(Skill.slug == "quantum-basket-weaving"))
    assert created.name_vi == "Đan giỏ lượng tử" and created.category == "domain"
    assert (
        db.session.scalar(
            sa.select(sa.func.count(OrderSkill.id)).where(OrderSkill.skill_id == created.id)
        )
        == 1
    )
    assert (
        taxonomy_cache.normalize_terms(["dan gio luong tu"])[0].skill_id == "quantum-basket-weaving"
    )
    # A second skill with the same English name gets its own id, and no shared alias.
    again = submit(
        client, "/admin/taxonomy/skills", {**data, "new-term": ""}, form_url="/admin/taxonomy"
    )
    assert again.status_code == 400
    bad = submit(
        client,
        "/admin/taxonomy/skills",
        {**data, "new-category": "nonsense"},
        form_url="/admin/taxonomy",
    )
    assert bad.status_code == 400


def test_merging_moves_every_reference_and_keeps_the_higher_level(ctx):
    admin = make_user(Role.ADMIN)
    old = curation.create_skill(admin, "Kỹ năng cũ", "Old Skill", "tool")
    new = curation.create_skill(admin, "Kỹ năng mới", "New Skill", "tool")
    holder_of_both = make_learner(skills=())
    holder_of_both.skills += [
        LearnerSkill(skill_id=old.id, term="Old Skill", level=5),
        LearnerSkill(skill_id=new.id, term="New Skill", level=2),
    ]
    only_old = make_learner(skills=())
    only_old.skills.append(LearnerSkill(skill_id=old.id, term="Old Skill", level=3))
    order = make_order(make_org(), skills=())
    order.skills.append(OrderSkill(skill_id=old.id, term="Old Skill", required=True, level=3))
    db.session.commit()

    counts = skill_merges.merge_skills(admin, old.slug, "New Skill").counts
    assert counts["learner_skills"] == 2 and counts["order_skills"] == 1
    db.session.expire_all()
    rows = db.session.scalars(
        sa.select(LearnerSkill).where(LearnerSkill.learner_id == holder_of_both.id)
    ).all()
    assert [(r.skill_id, r.level) for r in rows] == [(new.id, 5)]
    assert db.session.get(LearnerSkill, only_old.skills[0].id).skill_id == new.id
    assert {s.skill_id for s in db.session.get(type(order), order.id).skills} == {new.id}
    assert db.session.get(Skill, old.id).merged_into_id == new.id
    assert not db.session.scalars(sa.select(SkillAlias).where(SkillAlias.skill_id == old.id)).all()
    # The old names now normalise to the survivor.
    assert taxonomy_cache.normalize_terms(["Old Skill"])[0].skill_id == new.slug
    assert curation.find_skill(old.slug).id == new.id
    assert (
        db.session.scalar(
            sa.select(AuditEvent).where(AuditEvent.action == "taxonomy.skills_merged")
        ).detail["source"]
        == old.slug
    )


def test_taxonomy_page_lists_unknown_terms(client, ctx, login):
    _unknown_order("Zorblang")
    login(make_user(Role.ADMIN).email)
    page = client.get("/admin/taxonomy").get_data(as_text=True)
    assert 'data-term-key="zorblang"' in page


def test_a_merge_rewrites_every_reference_to_the_merged_skill(ctx):
    """Walks the schema: every column pointing at skills.id is covered, and after a merge
    none still points at the merged skill (a course left behind brought it back)."""
    from factories import make_programme

    from matchhub.models import Course, CourseSkill, OrgKind, ProgrammeSkill
    from matchhub.services import programmes

    admin = make_user(Role.ADMIN)
    old = curation.create_skill(admin, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    new = curation.create_skill(admin, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    learner = make_learner(skills=())
    learner.skills.append(LearnerSkill(skill_id=old.id, term="Zorbweb", level=3))
    order = make_order(make_org(), skills=())
    order.skills.append(OrderSkill(skill_id=old.id, term="Zorbweb", required=True, level=3))
    programme = make_programme(make_org(OrgKind.COLLEGE), skills=())
    programme.skills.append(ProgrammeSkill(skill_id=old.id, level=3))
    course = Course(programme=programme, code="WEB1", name="Lập trình web 1")
    course.skills.append(CourseSkill(skill_id=old.id, level=4))
    db.session.add(course)
    db.session.commit()

    referencing = {
        (fk.parent.table.name, fk.parent.name)
        for table in db.metadata.tables.values()
        for fk in table.foreign_keys
        if fk.column.table.name == "skills"
    }
    covered = {(name, "skill_id") for name in skill_merges.REFERENCE_TABLES}
    assert referencing == covered | set(skill_merges.OTHER_REFERENCES), (
        "a new reference to skills: teach skill_merges (REFERENCES) to move it"
    )

    skill_merges.merge_skills(admin, old.slug, new.slug)
    db.session.expire_all()
    for table_name, column in covered | {("skill_aliases", "skill_id")}:
        table = db.metadata.tables[table_name]
        left = db.session.scalar(
            sa.select(sa.func.count()).select_from(table).where(table.c[column] == old.id)
        )
        assert left == 0, table_name
    # Saving a course re-aggregates the programme from its courses: the merge holds.
    programme = db.session.get(type(programme), programme.id)
    programmes._aggregate(programme)
    db.session.commit()
    taught = db.session.get(type(programme), programme.id).skills
    assert {(s.skill_id, s.level) for s in taught} == {(new.id, 4)}
