"""Taxonomy curation: unknown terms, aliases, new skills and merges."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.admin import bp
from matchhub.admin.forms import MapTermForm, MergeForm, SkillForm
from matchhub.forms import choices, show_service_error
from matchhub.labels import category_label
from matchhub.matching.taxonomy import CATEGORIES
from matchhub.services import ServiceError, curation

PER_PAGE = 50


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
    ), status


@bp.route("/taxonomy")
def taxonomy():
    return _page()


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
            counts = curation.merge_skills(current_user, form.source.data, form.target.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(
                _(
                    "Skills merged: %(learners)d profile skills, %(orders)d order skills and "
                    "%(programmes)d programme skills moved.",
                    learners=counts["learner_skills"],
                    orders=counts["order_skills"],
                    programmes=counts["programme_skills"],
                ),
                "success",
            )
            return redirect(url_for("admin.taxonomy"))
    return _page(merge_form=form, status=400)
