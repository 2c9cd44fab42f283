"""Translated names of audit actions and audited objects, for the audit log page.

Actions are stored as stable codes ("offer.sent") so searches and exports keep
working across languages and releases; people read these names instead. A code
missing here is shown as it is, so a new action is never hidden.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

_ACTIONS = {
    "account.admin_created": _l("Account created by the province office"),
    "account.deactivated": _l("Account deactivated"),
    "account.email_confirmed": _l("Email address confirmed"),
    "account.password_changed": _l("Password changed"),
    "account.password_reset": _l("Password reset"),
    "account.password_reset_requested": _l("Password reset requested"),
    "account.reactivated": _l("Account reactivated"),
    "account.register": _l("Account registered"),
    "account.register_again": _l("Unconfirmed account registered again"),
    "account.reset_link_issued": _l("Reset link issued"),
    "account.role_changed": _l("Role changed"),
    "api_token.created": _l("API token created"),
    "api_token.revoked": _l("API token revoked"),
    "application.applied": _l("Applied"),
    "application.declined": _l("Invitation declined"),
    "application.invited": _l("Candidate invited"),
    "application.shortlisted": _l("Candidate shortlisted"),
    "application.interview": _l("Moved to interview"),
    "application.offer": _l("Offer made"),
    "application.hired": _l("Offer accepted: candidate hired"),
    "application.rejected": _l("Candidate rejected"),
    "application.withdrawn": _l("Application withdrawn"),
    "auth.login": _l("Logged in"),
    "auth.login_failed": _l("Failed login"),
    "auth.login_refused": _l("Login refused"),
    "auth.logout": _l("Logged out"),
    "course.created": _l("Course created"),
    "course.deleted": _l("Course deleted"),
    "course.updated": _l("Course updated"),
    "data.exported": _l("Personal data exported by its owner"),
    "export.audit_log": _l("Audit log exported"),
    "export.province": _l("Province report exported"),
    "export.round_fairness": _l("Round fairness report exported"),
    "learner.claimed": _l("Learner profile claimed"),
    "learners.imported": _l("Learners imported"),
    "interview.proposed": _l("Interview times proposed"),
    "interview.booked": _l("Interview booked"),
    "interview.another_time": _l("Another interview time asked"),
    "interview.cancelled": _l("Interview cancelled"),
    "job_offer.declined": _l("Job offer declined"),
    "offer.sent": _l("Training offer sent"),
    "offer.accepted": _l("Training offer accepted"),
    "offer.declined": _l("Training offer declined"),
    "offer.updated": _l("Training offer changed"),
    "offer.withdrawn": _l("Training offer withdrawn"),
    "order.created": _l("Order created"),
    "outcome.recorded": _l("Graduate outcome recorded"),
    "outcome.survey_sent": _l("Graduate survey sent"),
    "order.duplicated": _l("Order duplicated"),
    "order.updated": _l("Order updated"),
    "order.published": _l("Order published"),
    "order.closed": _l("Order closed"),
    "order.filled": _l("Order filled"),
    "order.cancelled": _l("Order cancelled"),
    "org.rejected": _l("Organisation rejected"),
    "org.suspended": _l("Organisation suspended"),
    "org.verified": _l("Organisation verified"),
    "pipeline.exported": _l("Pipeline exported"),
    "privacy.consent_given": _l("Consent given"),
    "privacy.consent_withdrawn": _l("Consent withdrawn"),
    "privacy.visibility_changed": _l("Profile visibility changed"),
    "profile.updated": _l("Profile updated"),
    "profile.viewed": _l("Profile viewed"),
    "programme.created": _l("Programme created"),
    "programme.updated": _l("Programme updated"),
    "round.choices_saved": _l("Round choices saved"),
    "round.closed": _l("Round closed for ranking"),
    "round.created": _l("Round created"),
    "round.opened": _l("Round opened"),
    "round.published": _l("Round published"),
    "round.ranking_saved": _l("Round ranking saved"),
    "round.run": _l("Round allocation run"),
    "taxonomy.alias_added": _l("Alias added to a skill"),
    "taxonomy.skill_created": _l("Skill created"),
    "taxonomy.skills_merged": _l("Skills merged"),
    "taxonomy.merge_undone": _l("Skill merge undone"),
}

_KINDS = {
    "account": _l("Accounts"),
    "api_token": _l("API tokens"),
    "application": _l("Applications"),
    "auth": _l("Logins"),
    "course": _l("Courses"),
    "data": _l("Personal data"),
    "export": _l("Exports"),
    "learner": _l("Learners"),
    "learners": _l("Learner imports"),
    "offer": _l("Training offers"),
    "order": _l("Orders"),
    "org": _l("Organisations"),
    "pipeline": _l("Pipelines"),
    "privacy": _l("Privacy"),
    "profile": _l("Profiles"),
    "programme": _l("Programmes"),
    "round": _l("Allocation rounds"),
    "taxonomy": _l("Skill taxonomy"),
}

_OBJECTS = {
    "Application": _l("Application"),
    "AllocationRound": _l("Allocation round"),
    "ApiToken": _l("API token"),
    "Course": _l("Course"),
    "Learner": _l("Learner"),
    "Order": _l("Order"),
    "Organization": _l("Organisation"),
    "Programme": _l("Programme"),
    "Skill": _l("Skill"),
    "TrainingOffer": _l("Training offer"),
    "User": _l("User"),
}


def action_label(action: str) -> str:
    """The translated name of an audit action code (the code itself when unknown)."""
    return str(_ACTIONS.get(action, action))


def action_kind_label(kind: str) -> str:
    """The translated name of a family of actions ("offer" → training offers)."""
    return str(_KINDS.get(kind, kind))


def object_label(object_type: str | None, object_id: int | None) -> str:
    """ "Training offer #1" for an audited object; empty when the event has none."""
    if not object_type:
        return ""
    name = str(_OBJECTS.get(object_type, object_type))
    return f"{name} #{object_id}" if object_id is not None else name
