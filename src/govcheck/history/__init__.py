"""The audit trail: a decision record of every run, kept append-only in a database.

``record`` is what one run decided (plain values, no database); ``store`` keeps records in
SQLite or PostgreSQL behind SQLAlchemy Core, chained by hash so an edit shows; ``query`` and
``report`` answer "since when, by what, and which policy said so". Only ``record`` is imported
by a plain ``check``: the database libraries are optional extras, imported when recording.
"""
