"""Every app's event table has the one AuditEvent shape and outlives what it names."""

import pytest
from django.apps import apps
from django.db import IntegrityError, models
from django.utils import timezone

from sharing_city.core.events import AuditEvent

EVENT_MODELS = [m for m in apps.get_models() if issubclass(m, AuditEvent)]


def test_the_apps_keep_their_events_in_the_shared_shape():
    names = {m._meta.label for m in EVENT_MODELS}
    assert {"lending.Event", "closets.ClosetEvent", "homeshare.Event"} <= names
    assert "tool_centres.DeskEvent" in names


@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m._meta.label)
def test_an_event_is_never_cascade_deleted_and_its_time_is_given(model):
    links = [f for f in model._meta.get_fields() if isinstance(f, models.ForeignKey)]
    cascading = [f.name for f in links if f.remote_field.on_delete is models.CASCADE]
    assert cascading == []
    assert not model._meta.get_field("at").has_default()  # the service's `now`, not the clock
    for name in (*model.WHERE_FIELDS, *model.SUBJECT_FIELDS):
        assert isinstance(model._meta.get_field(name), models.ForeignKey)


@pytest.mark.django_db
@pytest.mark.parametrize("model", EVENT_MODELS, ids=lambda m: m._meta.label)
def test_an_event_without_who_or_where_is_refused(model):
    with pytest.raises(ValueError, match="needs who"):
        model(action="x", at=timezone.now(), where="city").save()
    with pytest.raises(ValueError, match="needs where"):
        model(action="x", at=timezone.now(), who="system").save()
    with pytest.raises(IntegrityError):  # the database too, for writes that skip save()
        model.objects.bulk_create([model(action="x", at=timezone.now())])
