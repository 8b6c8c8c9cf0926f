import pytest

from lending import demo as lending_demo
from sharing_city.accounts import demo as accounts_demo
from voice import demo
from voice.models import Ask

pytestmark = pytest.mark.django_db


def test_demo_requests_load_twice(districts, settings):
    settings.DEMO_PHOTOS = False
    accounts_demo.load()
    lending_demo.load()
    demo.load()
    demo.load()
    assert Ask.objects.count() == 3
    assert Ask.objects.filter(status="planned", answers__isnull=False).exists()
