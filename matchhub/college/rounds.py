"""Published allocation rounds as a college sees them: its own learners' placements."""

from flask import abort, render_template
from flask_login import current_user

from matchhub.college import bp
from matchhub.services import college_rounds


@bp.route("/rounds")
def round_list():
    return render_template(
        "college/round_list.html", lines=college_rounds.rounds_of(current_user.organization)
    )


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id: int):
    rnd = college_rounds.published_round(round_id)
    if rnd is None:
        abort(404)
    placements = college_rounds.placements(rnd, current_user.organization)
    if not placements:  # none of the college's learners took part
        abort(404)
    return render_template("college/round_detail.html", rnd=rnd, placements=placements)
