"""An interview as an iCalendar (.ics, RFC 5546 iTIP) invitation for the mail.

Built with ``icalendar``: escaping, line folding and the VTIMEZONE are its business,
not ours. One interview is one event whose UID never changes; SEQUENCE grows with
every change, so a calendar replaces its copy (a new time) or removes it (CANCEL)
instead of showing two. Times are written in UTC ("…Z"): every client converts them
to its own zone, and no VTIMEZONE (whose rules a client may read differently) is needed;
the pages show the same instant in Vietnam's time.
"""

from __future__ import annotations

from datetime import UTC, timedelta
from urllib.parse import urlsplit

import icalendar
from flask import current_app

from matchhub.models import Interview, utcnow
from matchhub.services.mail import Attachment

REQUEST, CANCEL = "REQUEST", "CANCEL"


def interview_uid(interview: Interview) -> str:
    """The event's permanent UID: the interview's id at the site's host name."""
    host = urlsplit(current_app.config["PUBLIC_URL"]).hostname or "matchhub"
    return f"interview-{interview.id}@{host}"


def interview_ics(
    interview: Interview,
    method: str,
    *,
    summary: str,
    description: str,
    organizer: tuple[str, str] | None,
    attendee: tuple[str, str] | None,
) -> str:
    """The invitation (``REQUEST``) or its cancellation (``CANCEL``) for the booked time.

    ``organizer`` and ``attendee`` are ``(name, email)``; either may be unknown (an
    account deleted), in which case it is left out rather than invented.
    """
    if method not in (REQUEST, CANCEL) or interview.starts_at is None:
        raise ValueError("an interview invitation needs a booked time and REQUEST or CANCEL")
    cal = icalendar.Calendar()
    cal.add("prodid", "-//MatchHub//Interviews//VI")
    cal.add("version", "2.0")
    cal.add("method", method)
    event = icalendar.Event()
    event.add("uid", interview_uid(interview))
    event.add("sequence", interview.sequence)
    event.add("dtstamp", utcnow())
    start = interview.starts_at.astimezone(UTC)
    event.add("dtstart", start)
    event.add("dtend", start + timedelta(minutes=interview.duration_minutes))
    event.add("summary", summary)
    event.add("description", description)
    where = ", ".join(p for p in (interview.location, interview.online_url) if p)
    if where:
        event.add("location", where)
    if interview.online_url:
        event.add("url", interview.online_url)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    if organizer and organizer[1]:
        event.add("organizer", f"mailto:{organizer[1]}", parameters={"CN": organizer[0]})
    if attendee and attendee[1]:
        event.add(
            "attendee",
            f"mailto:{attendee[1]}",
            parameters={"CN": attendee[0], "ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"},
        )
    cal.add_component(event)
    return cal.to_ical().decode("utf-8")


def attachment(text: str, method: str) -> Attachment:
    """The .ics as a mail attachment calendar clients recognise as an invitation."""
    return Attachment("interview.ics", "text/calendar", text, {"method": method})
