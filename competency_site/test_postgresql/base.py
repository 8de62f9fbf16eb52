"""The PostgreSQL backend the test suite runs on: Django's own, emptying tables with DELETE
rather than TRUNCATE, and, under pytest-xdist, copying each worker's test database from one
migrated template rather than migrating it again (competency_site.test_postgresql.template).

A transactional test (live server, Celery worker, concurrency) ends by emptying every table.
Django truncates them, and PostgreSQL truncates by giving each of the ~50 tables and their
indexes new files: 2.5 to 5 s a test on the CI machine, more than most such tests take to run,
over 100 of them. The tables a test leaves hold a few rows, and deleting them takes
milliseconds. Django's foreign keys are DEFERRABLE INITIALLY DEFERRED and the flush runs in one
transaction, so the order of the DELETEs does not matter. Resetting sequences, or cascading to
tables left out, keeps Django's TRUNCATE."""

import time

from django.conf import settings
from django.db.backends.postgresql import base, creation, operations

from competency_site.test_postgresql import template


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


class DatabaseCreation(creation.DatabaseCreation):
    def create_test_db(self, verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        """Django's, except that a ready template (made by migrating, once for the run) is
        copied instead of migrating here. A kept database (--reuse-db) is migrated as ever."""
        from django.core.management import call_command

        source = None if keepdb else template.ready_template()
        if source is None:
            return super().create_test_db(verbosity, autoclobber, serialize, keepdb)
        name = self._get_test_db_name()
        if verbosity >= 1:
            self.log(f"Copying test database {source} to {name}...")
        self._copy(source, name)
        self.connection.close()
        settings.DATABASES[self.connection.alias]["NAME"] = name
        self.connection.settings_dict["NAME"] = name
        # What create_test_db does after migrating.
        if serialize:
            self.connection._test_serialized_contents = self.serialize_db_to_string()
        call_command("createcachetable", database=self.connection.alias)
        self.connection.ensure_connection()
        return name

    def _copy(self, source: str, name: str) -> None:
        quote = self.connection.ops.quote_name
        with self._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)}")
            # The other worker copying the template at the same moment, or autovacuum in it,
            # is "another user of the source database" for a moment: try again.
            for attempt in range(20):
                try:
                    cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(source)}")
                    return
                except Exception as error:
                    if "being accessed by other users" not in str(error) or attempt == 19:
                        raise
                    time.sleep(0.5)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation
