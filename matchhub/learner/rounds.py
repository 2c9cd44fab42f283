"""A learner's side of an allocation round: rank internships, then read the result."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchhub.forms import RoundActionForm, apply_move, int_list
from matchhub.i18n import current_lang
from matchhub.learner import bp
from matchhub.learner.routes import own_profile
from matchhub.services import ServiceError, pair_scores, round_results, round_rules, rounds


@bp.route("/rounds")
def round_list():
    learner = own_profile()
    visible = rounds.admitting(rounds.readable_rounds(current_user), learner)
    return render_template(
        "learner/round_list.html",
        rounds=visible,
        mine={r.id: bool(rounds.saved_choices(r, learner)) for r in visible},
    )


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id: int):
    learner = own_profile()
    rnd = rounds.readable(current_user, round_id)
    saved = rounds.saved_choices(rnd, learner)
    accepting = rounds.accepts_rankings(rnd)
    rules = round_rules.Rules.of(rnd)
    refusal = None if saved else rules.refusal(learner)
    choices = saved or (rounds.suggested_choices(rnd, learner) if accepting else [])
    result = round_results.result_of(rnd, learner)
    by_order = rounds.round_order_map(rnd)
    fit = rounds.order_fit_for(rnd, learner) if accepting else {}
    return render_template(
        "learner/round_detail.html",
        rnd=rnd,
        learner=learner,
        form=RoundActionForm(),
        choices=[by_order[oid] for oid in choices if oid in by_order],
        saved=bool(saved),
        accepting=accepting,
        fit=fit,
        skills=pair_scores.skill_names(fit.values(), current_lang()),
        max_choices=rounds.MAX_CHOICES,
        result=result,
        refusal=refusal,
        rules=round_rules.describe(rules),
        reasons=learner_reasons(result, by_order) if result else [],
    )


@bp.route("/rounds/<int:round_id>/choices", methods=["POST"])
def round_choices_save(round_id: int):
    learner = own_profile()
    rnd = rounds.readable(current_user, round_id)
    if not RoundActionForm().validate_on_submit():
        abort(400)
    current = int_list(request.form.getlist("choice"))
    add = request.form.get("add_order", "")
    items = apply_move(
        current, request.form.get("action", "save"), int(add) if add.isdigit() else None
    )
    try:
        rounds.save_choices(rnd, learner, items)
    except ServiceError as exc:
        flash(exc.message, "danger")
    else:
        flash(_("Your choices are saved."), "success")
    return redirect(url_for("learner.round_detail", round_id=rnd.id) + "#choices")


def learner_reasons(result, by_order) -> list[str]:
    """Why the learner did not get each internship it preferred, in the current language."""
    reasons = []
    for e in result.explanation:
        ro = by_order.get(e["order"])
        title = ro.order.title if ro else "?"
        args = {"order": title, "choice": e["choice"]}
        if e["code"] == "filled_by_higher_ranked":
            reasons.append(
                _(
                    "%(order)s (your choice %(choice)d): all %(seats)d seats went to candidates "
                    "the enterprise ranked higher than you (you were number %(rank)d, the last "
                    "one admitted was number %(last)d).",
                    seats=e["seats"],
                    rank=e["your_rank"],
                    last=e["last_admitted_rank"],
                    **args,
                )
            )
        elif e["code"] == "unranked":
            reasons.append(
                _("%(order)s (your choice %(choice)d): the enterprise did not accept you.", **args)
            )
        elif e["code"] == "no_seats":
            reasons.append(
                _("%(order)s (your choice %(choice)d): it offered no seats in this round.", **args)
            )
        else:
            reasons.append(
                _(
                    "%(order)s (your choice %(choice)d): the allocation should have given you "
                    "this seat; contact the province office.",
                    **args,
                )
            )
    return reasons
