"""Taxonomy curation: unknown terms, aliases, new skills, merges and their undoing."""

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from matchhub.admin import bp
from matchhub.admin.forms import ActionForm, MapTermForm, MergeForm, SkillForm
from matchhub.audit_labels import action_label
from matchhub.forms import choices, show_service_error
from matchhub.i18n import current_lang, skill_name
from matchhub.labels import category_label
from matchhub.matching.taxonomy import CATEGORIES
from matchhub.services import ServiceError, curation, merge_undo, skill_merges

PER_PAGE = 50
#: What a merge moved, by the keys of ``SkillMerge.counts``.
COUNT_LABELS = {
    "learner_skills": _l("Profiles"),
    "order_skills": _l("Orders"),
    "programme_skills": _l("Programmes"),
    "course_skills": _l("Courses"),
    "aliases": _l("Aliases"),
    "merged_skills": _l("Skills merged earlier"),
}


def _skill_form() -> SkillForm:
    form = SkillForm(prefix="new")
    form.category.choices = choices((c, category_label(c)) for c in CATEGORIES)
    return form


def _page(map_form=None, skill_form=None, merge_form=None, status=200):
    search = request.args.get("q", "").strip()
    terms = curation.unknown_terms(search or None)
    page = max(request.args.get("page", 1, type=int), 1)
    return render_template(
        "admin/taxonomy.html",
        terms=terms[(page - 1) * PER_PAGE : page * PER_PAGE],
        total=len(terms),
        page=page,
        pages=max((len(terms) + PER_PAGE - 1) // PER_PAGE, 1),
        search=search,
        map_form=map_form or MapTermForm(prefix="map"),
        skill_form=skill_form or _skill_form(),
        merge_form=merge_form or MergeForm(prefix="merge"),
        skills=curation.live_skills(),
        changes=curation.recent_changes(),
        merges=skill_merges.history(max(request.args.get("merges", 1, type=int), 1)),
        undo_blocker=merge_undo.undo_blocker,
        count_labels=COUNT_LABELS,
        action_label=action_label,
    ), status


@bp.route("/taxonomy")
def taxonomy():
    return _page()


@bp.route("/taxonomy/skills/suggest")
def taxonomy_skill_suggest():
    """The pickers' suggestions as JSON: ``{"query": q, "skills": [...]}`` (at most ten)."""
    query = request.args.get("q", "")[: curation.MAX_QUERY]
    return jsonify(query=query, skills=curation.suggest_skills(query, current_lang()))


@bp.route("/taxonomy/alias", methods=["POST"])
def taxonomy_alias_create():
    form = MapTermForm(prefix="map")
    if form.validate_on_submit():
        try:
            linked = curation.map_term(current_user, form.term.data, form.skill.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(
                _(
                    "“%(term)s” now names that skill; %(n)d rows were linked.",
                    term=form.term.data,
                    n=linked,
                ),
                "success",
            )
            return redirect(url_for("admin.taxonomy"))
    return _page(map_form=form, status=400)


@bp.route("/taxonomy/skills", methods=["POST"])
def taxonomy_skill_create():
    form = _skill_form()
    if form.validate_on_submit():
        try:
            skill = curation.create_skill(
                current_user,
                form.name_vi.data,
                form.name_en.data,
                form.category.data,
                form.term.data or None,
            )
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(
                _("The skill %(name)s (%(slug)s) is added.", name=skill.name_en, slug=skill.slug),
                "success",
            )
            return redirect(url_for("admin.taxonomy"))
    return _page(skill_form=form, status=400)


@bp.route("/taxonomy/merge", methods=["POST"])
def taxonomy_merge():
    form = MergeForm(prefix="merge")
    if form.validate_on_submit():
        try:
            merge = skill_merges.merge_skills(current_user, form.source.data, form.target.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            counts = merge.counts
            flash(
                _(
                    "%(source)s is merged into %(target)s: %(learners)d profile skills, "
                    "%(orders)d order skills, %(programmes)d programme skills and %(courses)d "
                    "course skills moved. You can undo it from the merge history.",
                    source=skill_name(merge.source),
                    target=skill_name(merge.target),
                    learners=counts["learner_skills"],
                    orders=counts["order_skills"],
                    programmes=counts["programme_skills"],
                    courses=counts["course_skills"],
                ),
                "success",
            )
            return redirect(url_for("admin.taxonomy"))
    return _page(merge_form=form, status=400)


@bp.route("/taxonomy/merges/<int:merge_id>/undo", methods=["GET", "POST"])
def taxonomy_merge_undo(merge_id: int):
    """GET asks for confirmation (what will come back); POST undoes the merge."""
    merge = skill_merges.readable(current_user, merge_id)
    form = ActionForm()
    blocker = None
    if form.validate_on_submit():
        try:
            restored = merge_undo.undo_merge(current_user, merge)
        except ServiceError as exc:
            blocker = exc.message  # shown on the page, with the way back
        else:
            flash(
                _(
                    "The merge is undone: %(source)s is a skill of its own again, with "
                    "%(rows)d profile, order, programme and course skills and %(aliases)d "
                    "aliases back.",
                    source=skill_name(merge.source),
                    rows=sum(restored[name] for name in skill_merges.REFERENCE_TABLES),
                    aliases=restored["aliases"],
                ),
                "success",
            )
            return redirect(url_for("admin.taxonomy", _anchor="merge-history"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "admin/taxonomy_merge_undo.html",
        merge=merge,
        blocker=blocker or merge_undo.undo_blocker(merge),
        form=form,
        count_labels=COUNT_LABELS,
    ), status
