"""The catalogue's denormalised columns (lending/search.py) and their PostgreSQL indexes.

- `search_text` filled from the names, author, ISBN and category names; `loan_count` from loans.
- A GIN index over the one- and two-character grams of `search_text` (an IMMUTABLE SQL
  function, so rows loaded with COPY are indexed too): two-syllable Korean words use it.
- The per-column trigram indexes of 0002 served the old search only: dropped.
"""

from django.db import migrations, models

from lending import search

FORWARD = [
    search.GRAMS_SQL,
    f"CREATE INDEX IF NOT EXISTS title_search_grams ON lending_title "
    f"USING gin ({search.GRAMS_FUNCTION}(search_text))",
    "DROP INDEX IF EXISTS title_author_trgm",
    "DROP INDEX IF EXISTS title_name_en_trgm",
    "DROP INDEX IF EXISTS title_name_ko_trgm",
]
BACKWARD = [
    "CREATE INDEX IF NOT EXISTS title_name_ko_trgm ON lending_title "
    "USING gin (upper(name_ko) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS title_name_en_trgm ON lending_title "
    "USING gin (upper(name_en) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS title_author_trgm ON lending_title "
    "USING gin (upper(author) gin_trgm_ops)",
    "DROP INDEX IF EXISTS title_search_grams",
    f"DROP FUNCTION IF EXISTS {search.GRAMS_FUNCTION}(text)",
]


def fill(apps, schema_editor):
    Category, Title = apps.get_model("lending", "Category"), apps.get_model("lending", "Title")
    search.refresh(Title.objects.iterator(chunk_size=2000), models=(Category, Title))
    search.refresh_loan_counts(schema_editor)


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0003_impact_factor"),
    ]

    operations = [
        migrations.AddField(
            model_name="title",
            name="loan_count",
            field=models.PositiveIntegerField(default=0, editable=False),
        ),
        migrations.AddField(
            model_name="title",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddIndex(
            model_name="title",
            index=models.Index(fields=["name_ko", "id"], name="title_name_idx"),
        ),
        migrations.AddIndex(
            model_name="title",
            index=models.Index(fields=["-loan_count", "name_ko"], name="title_popular_idx"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
