"""Events take the shared AuditEvent shape: who, where and subject written as text (old rows filled)."""

from django.db import migrations, models

from sharing_city.core.events import fill_old_rows


def fill(apps, schema_editor):
    fill_old_rows(
        apps.get_model("lending", "Event"),
        where_fields=("place",),
        subject_fields=("loan", "booking", "item", "member"),
    )


class Migration(migrations.Migration):
    dependencies = [("lending", "0009_loan_open_index")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="who",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="where",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="event",
            name="subject",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("who", ""), _negated=True)
                & models.Q(("where", ""), _negated=True),
                name="lending_event_who_where",
            ),
        ),
    ]
