"""Helpers shared by the learner's and the enterprise's round pages.

Reordering works without JavaScript: the page posts the current list as hidden
inputs and the button pressed ("up:3", "down:0", "remove:2", "add"), and the
view applies that one move before saving.
"""

from flask_babel import gettext as _

from matchhub.forms import Form


class RoundActionForm(Form):
    """A ranking form: the CSRF token; the lists come as repeated plain inputs."""


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


def apply_move(items: list[int], action: str, add: int | None) -> list[int]:
    """The list after one button: "up:i", "down:i", "remove:i", or "add" (``add`` appended)."""
    items = list(items)
    verb, _sep, raw = action.partition(":")
    i = int(raw) if raw.isdigit() else -1
    if verb == "up" and 0 < i < len(items):
        items[i - 1], items[i] = items[i], items[i - 1]
    elif verb == "down" and 0 <= i < len(items) - 1:
        items[i], items[i + 1] = items[i + 1], items[i]
    elif verb == "remove" and 0 <= i < len(items):
        del items[i]
    elif verb == "add" and add is not None and add not in items:
        items.append(add)
    return items


def int_list(values: list[str]) -> list[int]:
    return [int(v) for v in values if v.isdigit()]
