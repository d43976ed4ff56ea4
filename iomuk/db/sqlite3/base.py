"""SQLite, where `manage.py flush` lifts the access log's triggers for its own DELETEs only."""

from django.db.backends.sqlite3 import base, operations

from iomuk.db import ACCESS_LOG, SQLITE_GUARD, SQLITE_UNGUARD, CountsCommits


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        if not any(self.quote_name(ACCESS_LOG) in statement for statement in sql):
            return sql
        # One transaction (execute_sql_flush): the triggers are back before anyone else writes.
        return [*SQLITE_UNGUARD, *sql, *SQLITE_GUARD]


class DatabaseWrapper(CountsCommits, base.DatabaseWrapper):
    ops_class = DatabaseOperations
