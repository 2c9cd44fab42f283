"""Reports sent upward: documents (DOCX) and print pages in the reader's language.

This is presentation, like the templates: it words and lays out what the services
compute (``services.province``, ``services.demand``, ``services.outcomes``) and never
queries or writes on its own account. ``docx`` writes a :class:`docx.Report` in
Vietnamese administrative style, ``charts`` draws its figures, ``province`` and
``college`` fill the province's and a college's reports.
"""
