"""The PostgreSQL backend the test suite runs on: Django's own, emptying tables with DELETE
rather than TRUNCATE.

A transactional test (live server, Celery worker, concurrency) ends by emptying every table.
Django truncates them, and PostgreSQL truncates by giving each of the ~50 tables and their
indexes new files: 2.5 to 5 s a test on the CI machine, more than most such tests take to run,
over 100 of them. The tables a test leaves hold a few rows, and deleting them takes
milliseconds. Django's foreign keys are DEFERRABLE INITIALLY DEFERRED and the flush runs in one
transaction, so the order of the DELETEs does not matter. Resetting sequences, or cascading to
tables left out, keeps Django's TRUNCATE."""

from django.db.backends.postgresql import base, operations


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            f"{style.SQL_KEYWORD('DELETE')} {style.SQL_KEYWORD('FROM')} "
            f"{style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
