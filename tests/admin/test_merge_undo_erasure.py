"""A learner who deletes their account leaves no row in the merges' journals: an undo
neither brings their skills back onto the anonymised learner row nor moves a row that
took one of their ids, and still restores everyone else's."""

import sqlalchemy as sa
from factories import PASSWORD, make_learner, make_user

from matchhub.extensions import db
from matchhub.models import LearnerSkill, Role, SkillMerge
from matchhub.services import curation, merge_undo, privacy, skill_merges
from matchhub.services.learners import learner_of_user


def _learner_with(*held):
    """A learner with an account, holding ``(skill, level, term)`` rows."""
    user = make_user(Role.LEARNER)
    learner = learner_of_user(user)
    learner.skills = [LearnerSkill(skill_id=s.id, term=t, level=lvl) for s, lvl, t in held]
    db.session.commit()
    return user, learner


def _held(learner) -> list[tuple[int, int]]:
    rows = sa.select(LearnerSkill).where(LearnerSkill.learner_id == learner.id)
    return sorted((r.skill_id, r.level) for r in db.session.scalars(rows))


def test_an_erased_learner_leaves_the_journals_and_undo_restores_the_others(ctx):
    admin = make_user(Role.ADMIN)
    old = curation.create_skill(admin, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    new = curation.create_skill(admin, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    # The two who delete their account: one holds both skills (their old row dropped,
    # their new row raised), one the old skill alone (their row moved).
    gone_user, gone = _learner_with((old, 5, "Zorbweb riêng tư"), (new, 2, "Zorb của tôi"))
    alone_user, alone = _learner_with((old, 3, "Zorbweb bí mật"))
    moved_id = alone.skills[0].id
    # Those who stay, the same two ways.
    both = make_learner(skills=())
    both.skills += [
        LearnerSkill(skill_id=old.id, term="Zorbweb", level=4),
        LearnerSkill(skill_id=new.id, term="Zorbweb coding", level=1),
    ]
    other = make_learner(skills=())
    other.skills.append(LearnerSkill(skill_id=old.id, term="Zorbweb", level=2))
    db.session.commit()

    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    assert merge.counts["learner_skills"] == 4
    privacy.delete_account(gone, gone_user, PASSWORD)
    privacy.delete_account(alone, alone_user, PASSWORD)
    db.session.expire_all()

    journal = db.session.get(SkillMerge, merge.id).journal["learner_skills"]
    text = repr(journal)
    for term in ("riêng tư", "của tôi", "bí mật"):
        assert term not in text
    assert {r["learner_id"] for r in journal["dropped"]} == {both.id}
    assert moved_id not in journal["moved"] and len(journal["moved"]) == 1
    assert len(journal["changed"]) == 1
    # SQLite may give a freed id to the next row: here someone's new row takes the id that
    # was the erased learner's moved row, on the merged skill.
    newcomer = make_learner(skills=())
    db.session.add(
        LearnerSkill(id=moved_id, learner_id=newcomer.id, skill_id=new.id, term="Zb", level=3)
    )
    db.session.commit()

    restored = merge_undo.undo_merge(admin, db.session.get(SkillMerge, merge.id))
    db.session.expire_all()
    assert restored["learner_skills"] == 2
    assert _held(gone) == [] and _held(alone) == []  # nothing recreated
    assert _held(newcomer) == [(new.id, 3)]  # not moved to the old skill
    assert _held(both) == sorted([(old.id, 4), (new.id, 1)])
    assert _held(other) == [(old.id, 2)]


def test_erasure_forgets_the_rows_of_undone_merges_too(ctx):
    admin = make_user(Role.ADMIN)
    old = curation.create_skill(admin, "Ứng dụng Zorbweb", "Zorbweb apps", "tool")
    new = curation.create_skill(admin, "Lập trình Zorbweb", "Zorbweb coding", "tool")
    user, learner = _learner_with((old, 5, "Zorbweb riêng tư"), (new, 2, "Zorb của tôi"))
    merge = skill_merges.merge_skills(admin, old.slug, new.slug)
    merge_undo.undo_merge(admin, merge)
    privacy.delete_account(learner, user, PASSWORD)
    db.session.expire_all()
    journal = db.session.get(SkillMerge, merge.id).journal["learner_skills"]
    assert journal["dropped"] == [] and journal["changed"] == [] and journal["moved"] == []
    assert _held(learner) == []
