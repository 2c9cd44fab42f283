"""Work done after the response is sent: mail that must not make an answer slower for
accounts that exist than for those that do not (reset requests, registrations).

The WSGI server closes the response once its body is sent (gunicorn, Werkzeug, the test
client alike); the job runs then, in its own request context (``url_for`` builds external
links against the same host), and a failure is logged, never shown: the user has their
answer already. The job holds the worker for the mail's few milliseconds, not the user.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import after_this_request, current_app, request


def after_response(job: Callable[[], None]) -> None:
    """Run ``job()`` once the current response has been sent."""
    app = current_app._get_current_object()
    base_url = request.host_url
    language = request.headers.get("Accept-Language", "")
    cookies = request.headers.get("Cookie", "")

    def run() -> None:
        headers = {"Accept-Language": language, "Cookie": cookies}
        with app.test_request_context("/", base_url=base_url, headers=headers):
            try:
                job()
            except Exception:  # the answer is sent: log, never raise into the server
                app.logger.exception("work after the response failed")

    @after_this_request
    def _schedule(response):
        response.call_on_close(run)
        return response
