"""The training colleges agreed to deliver on enterprises' training orders, and how to
enrol in it. Learners never apply to a training order: they enrol with the college."""

from flask import render_template

from matchhub.learner import bp
from matchhub.learner.routes import own_profile
from matchhub.services import training


@bp.route("/training")
def training_list():
    learner = own_profile()
    own = {s.skill_id for s in learner.skills if s.skill_id is not None}
    return render_template(
        "learner/training_list.html",
        learner=learner,
        offers=training.agreed_training(),
        own_skill_ids=own,
    )
