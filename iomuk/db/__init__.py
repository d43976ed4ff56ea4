"""Our database backends: Django's own, with a flush that leaves the access log append-only,
counting the commits they attempt.

Settings pick them for PostgreSQL and SQLite (`iomuk.db.postgresql`, `iomuk.db.sqlite3`).
"""

ACCESS_LOG = "iomuk_accesslog"

# SQLite has no roles: triggers refuse to change or delete access-log rows instead.
SQLITE_GUARD = [
    f"""CREATE TRIGGER iomuk_accesslog_no_update BEFORE UPDATE ON {ACCESS_LOG}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
    f"""CREATE TRIGGER iomuk_accesslog_no_delete BEFORE DELETE ON {ACCESS_LOG}
    BEGIN SELECT RAISE(ABORT, 'the access log is append-only'); END""",
]
SQLITE_UNGUARD = [
    "DROP TRIGGER IF EXISTS iomuk_accesslog_no_update",
    "DROP TRIGGER IF EXISTS iomuk_accesslog_no_delete",
]


class CountsCommits:
    """Counts every COMMIT sent, successful or not: a request whose connection was lost before
    any COMMIT left nothing behind, and may be tried again (`iomuk.middleware`)."""

    commits_attempted = 0

    def commit(self):
        self.commits_attempted += 1
        super().commit()
