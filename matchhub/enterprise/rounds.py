"""An enterprise's side of an allocation round: rank the candidates, then read the outcome."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.enterprise import bp
from matchhub.forms import RoundActionForm, apply_move, int_list
from matchhub.i18n import current_lang
from matchhub.services import ServiceError, pair_scores, round_rankings, round_results, rounds


@bp.route("/rounds")
def round_list():
    return render_template(
        "enterprise/round_list.html", rounds=rounds.readable_rounds(current_user)
    )


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id: int):
    rnd = rounds.readable(current_user, round_id)
    org = current_user.organization  # the round is readable: the user has one
    own = round_rankings.orders_of_in_round(rnd, org)
    return render_template(
        "enterprise/round_detail.html",
        rnd=rnd,
        own=own,
        candidates={ro.order_id: len(round_rankings.candidates_of(rnd, ro.order_id)) for ro in own},
        accepting=rounds.accepts_rankings(rnd),
        outcomes=round_results.enterprise_outcome(rnd, org),
    )


@bp.route("/rounds/<int:round_id>/orders/<int:order_id>", methods=["GET", "POST"])
def round_ranking(round_id: int, order_id: int):
    rnd = rounds.readable(current_user, round_id)
    ro = rounds.round_order_editable(current_user, rnd, order_id)
    form = RoundActionForm()
    if form.validate_on_submit():
        order = int_list(request.form.getlist("candidate"))
        refused = set(int_list(request.form.getlist("unacceptable")))
        order = apply_move(order, request.form.get("action", "save"), None)
        try:
            round_rankings.save_ranking(rnd, current_user, order_id, order, refused)
        except ServiceError as exc:
            flash(exc.message, "danger")
        else:
            flash(_("Your ranking is saved."), "success")
        return redirect(url_for("enterprise.round_ranking", round_id=rnd.id, order_id=order_id))
    rows = round_rankings.ranking_of(rnd, order_id)
    return render_template(
        "enterprise/round_ranking.html",
        rnd=rnd,
        ro=ro,
        form=form,
        rows=rows,
        skills=pair_scores.skill_names((r.result for r in rows if r.result), current_lang()),
        saved=round_rankings.ranking_saved(rnd, order_id),
        accepting=rounds.accepts_rankings(rnd),
    )
