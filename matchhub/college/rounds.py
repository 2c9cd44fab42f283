"""Published allocation rounds as a college sees them: its own learners' placements."""

from flask import render_template
from flask_login import current_user

from matchhub.college import bp
from matchhub.services import college_rounds, rounds


@bp.route("/rounds")
def round_list():
    return render_template(
        "college/round_list.html", lines=college_rounds.rounds_of(current_user.organization)
    )


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id: int):
    rnd = rounds.readable(current_user, round_id)
    placements = college_rounds.placements(rnd, current_user.organization)
    return render_template("college/round_detail.html", rnd=rnd, placements=placements)
