"""The reset between tests that commit (serialized rollback), made cheaper on PostgreSQL.

After such a test Django empties every table (one TRUNCATE of them all), then loads the
migrated rows (groups, permissions, countries: about 600) back one `save()` at a time. Each
took about 0.5 s a test, and 141 tests commit (every browser journey among them). Here the
server empties only the tables that hold rows, and the rows go back one INSERT per table: the
same database afterwards, in less time. For the test suite only; `manage.py flush` is untouched.
"""

from itertools import groupby

from django.core import serializers
from django.db import transaction
from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.backends.postgresql import operations

# One statement, run by the owner: look in each table, and empty those holding a row. DELETE
# costs a few milliseconds on these small tables, where TRUNCATE makes new files for each table
# and index (0.3 s in all). Foreign keys are deferred, so the order does not matter. A table
# with a trigger of its own (the append-only access log refuses DELETE) is truncated instead.
_EMPTY_THOSE_HOLDING_ROWS = """DO $$
DECLARE
  tbl text;
  guarded text[] := '{}';
  has_rows boolean;
BEGIN
  FOREACH tbl IN ARRAY ARRAY[TABLES]::text[] LOOP
    EXECUTE format('SELECT EXISTS (SELECT FROM %I)', tbl) INTO has_rows;
    CONTINUE WHEN NOT has_rows;
    IF EXISTS (SELECT FROM pg_trigger WHERE tgrelid = tbl::regclass AND NOT tgisinternal) THEN
      guarded := guarded || tbl;
    ELSE
      EXECUTE format('DELETE FROM %I', tbl);
    END IF;
  END LOOP;
  IF guarded <> '{}' THEN
    EXECUTE 'TRUNCATE ' || (SELECT string_agg(format('%I', t), ', ') FROM unnest(guarded) AS t);
  END IF;
END $$;"""

_django_sql_flush = operations.DatabaseOperations.sql_flush


def _sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
    if not tables or reset_sequences:
        return _django_sql_flush(
            self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
        )
    names = ", ".join("'" + table.replace("'", "''") + "'" for table in tables)
    return [_EMPTY_THOSE_HOLDING_ROWS.replace("TABLES", names)]


def _deserialize_db_from_string(self, data):
    """Django's own, with one bulk INSERT per model instead of one raw save() per row. The
    rows are those the migrations made, the same each time, so no post_save handler (the kept
    country and sector lists, the roster's names) has anything to update; each test forgets the
    kept lists anyway (tests/conftest.py). The first test that commits finds the rows there
    already (nothing emptied the database before it): those are left as they are, as Django's
    save() would leave them."""
    alias = self.connection.alias
    rows = list(serializers.deserialize("json", data, using=alias))
    with transaction.atomic(using=alias), self.connection.constraint_checks_disabled():
        for model, group in groupby(rows, key=lambda row: type(row.object)):
            group = list(group)
            model._base_manager.using(alias).bulk_create(
                [row.object for row in group], ignore_conflicts=True
            )
            for row in group:
                for name, ids in (row.m2m_data or {}).items():
                    getattr(row.object, name).set(ids)
        self.connection.check_constraints(table_names={row.object._meta.db_table for row in rows})


def install():
    operations.DatabaseOperations.sql_flush = _sql_flush
    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_db_from_string
