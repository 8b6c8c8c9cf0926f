"""PostgreSQL-only guarantees and indexes (SQLite relies on serialised transactions).

- Exclusion constraint: an item's occupied periods never overlap (bookings, holds and open
  loans, turnaround buffer included), so two concurrent bookings cannot both commit.
- Trigram indexes: substring search of Korean and English names ("드릴" finds "전동드릴").
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    """ALTER TABLE lending_occupancy ADD CONSTRAINT occupancy_no_overlap
       EXCLUDE USING gist (item_id WITH =, daterange("start", "end", '[)') WITH &&)""",
    "CREATE INDEX IF NOT EXISTS title_name_ko_trgm ON lending_title USING gin (upper(name_ko) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS title_name_en_trgm ON lending_title USING gin (upper(name_en) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS title_author_trgm ON lending_title USING gin (upper(author) gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS title_author_trgm",
    "DROP INDEX IF EXISTS title_name_en_trgm",
    "DROP INDEX IF EXISTS title_name_ko_trgm",
    "ALTER TABLE lending_occupancy DROP CONSTRAINT IF EXISTS occupancy_no_overlap",
]


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [("lending", "0001_initial")]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD))]
