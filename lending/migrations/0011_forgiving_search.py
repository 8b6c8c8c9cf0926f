"""Search that forgives (lending/search.py): the name key, the new search text, and the
trigram index for English typos.

- `name_key`: the name segments of `search_text` alone (ranking, typo checks).
- `search_text` is rewritten in its new form: segments without spaces, initial consonants and
  English stems added (the gram index of 0004 follows it by itself: it is an expression index).
- `title_name_en_lower_trgm`: pg_trgm GIN index on lower(name_en), so `word <% lower(name_en)`
  (English one-letter typos) reads candidates from the index instead of every title.
"""

from django.db import migrations, models

from lending import search

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS title_name_en_lower_trgm ON lending_title "
    "USING gin (lower(name_en) gin_trgm_ops)",
]
BACKWARD = ["DROP INDEX IF EXISTS title_name_en_lower_trgm"]


def fill(apps, schema_editor):
    Category, Title = apps.get_model("lending", "Category"), apps.get_model("lending", "Title")
    search.refresh(Title.objects.iterator(chunk_size=2000), models=(Category, Title))


def run(statements):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return apply


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0010_event_shape"),
    ]

    operations = [
        migrations.AddField(
            model_name="title",
            name="name_key",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(run(FORWARD), run(BACKWARD)),
    ]
