"""PostgreSQL, where a session that signed in as the owner and then took on the runtime role
(`OPTIONS["assume_role"]`, as the test suite does) empties tables as the owner."""

from django.db.backends.postgresql import base, operations

from iomuk.db import CountsCommits


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        sql = super().sql_flush(
            style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
        role = self.connection.settings_dict["OPTIONS"].get("assume_role")
        if not sql or not role:
            return sql
        # The runtime role may not TRUNCATE; emptying the database is the owner's job. A
        # runtime role that signed in as itself gains nothing from RESET ROLE.
        return ["RESET ROLE;", *sql, f"SET ROLE {self.quote_name(role)};"]


class DatabaseWrapper(CountsCommits, base.DatabaseWrapper):
    ops_class = DatabaseOperations
