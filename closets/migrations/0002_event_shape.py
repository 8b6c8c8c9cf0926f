"""Closet events take the shared AuditEvent shape: who, where and subject written as text."""

from django.db import migrations, models

from sharing_city.core.events import fill_old_rows


def fill(apps, schema_editor):
    fill_old_rows(
        apps.get_model("closets", "ClosetEvent"),
        where_fields=("place",),
        subject_fields=("rental", "visit", "garment", "member"),
    )


class Migration(migrations.Migration):
    dependencies = [("closets", "0001_initial")]

    operations = [
        migrations.AlterField(
            model_name="closetevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="+",
                to="accounts.user",
            ),
        ),
        migrations.AddField(
            model_name="closetevent",
            name="who",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="closetevent",
            name="where",
            field=models.CharField(default="", max_length=40),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="closetevent",
            name="subject",
            field=models.CharField(blank=True, max_length=60),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="closetevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("who", ""), _negated=True)
                & models.Q(("where", ""), _negated=True),
                name="closets_closetevent_who_where",
            ),
        ),
    ]
