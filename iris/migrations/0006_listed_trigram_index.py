"""The trigram index on recruiters' names covers listed recruiters only, and is kept up to date.

The roster searches only accredited and suspended recruiters; an index of just those answers a
name search with no second index to intersect, and stays smaller as applicants and lapsed
recruiters pile up. Without `fastupdate`, new names go into the index at once rather than into
a pending list every search reads until the next vacuum: the roster changes rarely, and is read
all the time.
"""

from django.db import migrations

FULL = "CREATE INDEX iris_recruiter_search_trgm ON iris_recruiter USING gin (search_name gin_trgm_ops)"
LISTED = FULL + " WITH (fastupdate = off) WHERE state IN ('accredited', 'suspended')"


def _replace(schema_editor, definition: str) -> None:
    # Only PostgreSQL has pg_trgm; SQLite searches the same normalised text another way.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS iris_recruiter_search_trgm")
        schema_editor.execute(definition)


class Migration(migrations.Migration):
    dependencies = [("iris", "0005_perf_indexes")]

    operations = [
        migrations.RunPython(
            lambda apps, schema_editor: _replace(schema_editor, LISTED),
            lambda apps, schema_editor: _replace(schema_editor, FULL),
        ),
    ]
