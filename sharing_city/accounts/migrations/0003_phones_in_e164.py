"""Members' phones as E.164 (+821012345678): the desk searches and the SMS backend sends in
that form. A number that cannot be read stays as it was (shown as typed)."""

from django.db import migrations

from sharing_city.accounts.phone import to_e164


def to_e164_everywhere(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    for user in User.objects.exclude(phone="").only("pk", "phone").iterator():
        stored = to_e164(user.phone)
        if stored and stored != user.phone:
            User.objects.filter(pk=user.pk).update(phone=stored)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_user_district_joined_index")]

    operations = [migrations.RunPython(to_e164_everywhere, migrations.RunPython.noop)]
