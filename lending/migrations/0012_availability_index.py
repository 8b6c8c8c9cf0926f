"""Open loans by (item, due date): the catalogue's "available now" and "free between dates"
ask of each copy whether it is out, and whether overdue (then out until returned)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("lending", "0011_forgiving_search"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="loan",
            index=models.Index(
                condition=models.Q(("returned_at__isnull", True)),
                fields=["item", "due_date"],
                name="loan_open_item_due_idx",
            ),
        ),
    ]
