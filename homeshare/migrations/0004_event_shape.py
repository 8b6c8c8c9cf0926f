"""Home-share events take the shared AuditEvent shape; kept (SET_NULL) when their application or
match is deleted; `at` has no default (the services pass their `now`)."""

from django.db import migrations, models

from sharing_city.core.events import fill_old_rows


def fill(apps, schema_editor):
    fill_old_rows(
        apps.get_model("homeshare", "Event"),
        where_fields=("district",),
        subject_fields=("match", "host_application", "student_application"),
    )


class Migration(migrations.Migration):
    dependencies = [("homeshare", "0003_private_enrolment_proofs")]

    operations = [
        migrations.RenameField(model_name="event", old_name="kind", new_name="action"),
        migrations.RenameField(model_name="event", old_name="detail", new_name="data"),
        migrations.AlterField(
            model_name="event", name="at", field=models.DateTimeField(db_index=True)
        ),
        migrations.AlterModelOptions(name="event", options={"ordering": ["-at", "-pk"]}),
        migrations.AlterField(
            model_name="event",
            name="host_application",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="events",
                to="homeshare.hostapplication",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="student_application",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="events",
                to="homeshare.studentapplication",
            ),
        ),
        migrations.AlterField(
            model_name="event",
            name="match",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=models.deletion.SET_NULL,
                related_name="events",
                to="homeshare.match",
            ),
        ),
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
                name="homeshare_event_who_where",
            ),
        ),
    ]
