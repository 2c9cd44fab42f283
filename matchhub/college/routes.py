from flask import render_template, request
from flask_login import current_user

from matchhub.college import bp
from matchhub.models import ERASED_NAME
from matchhub.services import learners


@bp.route("/")
def dashboard():
    org = current_user.organization
    programmes = learners.programmes_of(org)
    return render_template(
        "college/dashboard.html",
        org=org,
        programmes=programmes,
        counts=learners.learner_counts_by_programme(org),
    )


@bp.route("/programmes")
def programme_list():
    org = current_user.organization
    return render_template(
        "college/programme_list.html",
        org=org,
        programmes=learners.programmes_of(org),
        counts=learners.learner_counts_by_programme(org),
    )


@bp.route("/learners")
def learner_list():
    org = current_user.organization
    search = request.args.get("q", "").strip()[:100]
    programme_id = request.args.get("programme", type=int)
    year = request.args.get("year", type=int)
    pagination = learners.learners_of(
        org,
        search=search or None,
        programme_id=programme_id,
        graduation_year=year,
        page=request.args.get("page", 1, type=int),
    )
    return render_template(
        "college/learner_list.html",
        org=org,
        pagination=pagination,
        programmes=learners.programmes_of(org),
        years=learners.graduation_years(org),
        search=search,
        programme_id=programme_id,
        year=year,
        erased_name=ERASED_NAME,
    )
