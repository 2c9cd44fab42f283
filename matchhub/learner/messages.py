"""The candidate writing to the enterprise on their application's thread."""

from flask_login import current_user

from matchhub.extensions import limiter
from matchhub.forms import MESSAGE_RATE, message_rate_key, post_message
from matchhub.learner import bp
from matchhub.learner.routes import application_detail
from matchhub.services import applications


@bp.route("/applications/<int:application_id>/messages", methods=["POST"])
@limiter.limit(MESSAGE_RATE, key_func=message_rate_key)
def application_message_send(application_id: int):
    app = applications.editable(current_user, application_id)
    return post_message(app, "learner.application_detail", application_detail)
