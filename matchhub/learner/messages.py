"""The candidate writing to the enterprise on their application's thread."""

from flask import flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.extensions import limiter
from matchhub.forms import MESSAGE_RATE, MessageForm, message_rate_key, show_service_error
from matchhub.learner import bp
from matchhub.learner.routes import application_detail
from matchhub.services import ServiceError, applications, messages


@bp.route("/applications/<int:application_id>/messages", methods=["POST"])
@limiter.limit(MESSAGE_RATE, key_func=message_rate_key)
def application_message_send(application_id: int):
    app = applications.editable(current_user, application_id)
    form = MessageForm()
    if form.validate_on_submit():
        try:
            messages.send(app, current_user, form.body.data)
        except ServiceError as exc:
            show_service_error(form, exc)
        else:
            flash(_("Your message is sent."), "success")
            return redirect(
                url_for("learner.application_detail", application_id=app.id, _anchor="messages")
            )
    # The page again with the text kept and the error under the box.
    return application_detail(app.id, message_form=form)
