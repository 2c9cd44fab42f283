"""Which email addresses MatchHub accepts: one rule for imports, forms and the API.

Syntax is checked by email-validator (RFC 5322/6531, kept up to date by its authors)
rather than a home-made pattern, which let "phuong,ng@gmail.com" and "<script>@x.vn"
through. Addresses must be ASCII: a Vietnamese name typed with its diacritics
("ánh@…") is almost always a typo for the unaccented mailbox, and many provincial
mail servers refuse SMTPUTF8. No DNS lookup: an import of 1,500 rows must not wait on
the network.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

MAX_LENGTH = 254


def checked_email(text: str) -> str | None:
    """The address in its stored form (trimmed, lower-cased), or None when it is not one.

    >>> checked_email(" An.Nguyen@Example.VN ")
    'an.nguyen@example.vn'
    >>> checked_email("phuong,ng@gmail.com") is None
    True
    """
    text = text.strip()
    if not text or len(text) > MAX_LENGTH:
        return None
    try:
        validate_email(text, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError:
        return None
    return text.lower()
