import pytest
from django.core.management import CommandError, call_command

from sharing_city.accounts.models import District, User

pytestmark = pytest.mark.django_db


def test_load_demo_is_refused_on_a_production_site(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo", verbosity=0)

    assert not User.objects.exists()


def test_seoul_districts_have_korean_and_english_names(districts):
    mapo = districts.get(code="11440")
    assert (mapo.name_ko, mapo.name_en) == ("마포구", "Mapo-gu")
    assert districts.count() == 25


def test_bangkok_city_file_loads_its_districts_beside_seoul(districts):
    call_command("load_city", "bangkok", verbosity=0)
    call_command("load_city", "bangkok", verbosity=0)

    bangkok = District.objects.filter(city="bangkok")
    assert bangkok.count() == 50
    assert bangkok.get(name_en="Chatuchak").name_local == "จตุจักร"
    assert District.objects.filter(city="seoul").count() == 25


def test_load_city_names_the_shipped_cities_when_unknown():
    with pytest.raises(CommandError, match="bangkok, seoul"):
        call_command("load_city", "atlantis")
