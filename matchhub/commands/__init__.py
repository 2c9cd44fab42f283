"""Command-line groups registered on the app (``flask --app wsgi …``)."""
