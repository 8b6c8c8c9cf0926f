"""Personal data rights (issue 20): what is kept only for a while goes on schedule."""

# ruff: noqa: F811 - fixtures imported from tests.personas
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from homeshare.models import StudentApplication
from sharing_city.accounts.models import User
from sharing_city.accounts.rights import run_retention
from sharing_city.accounts.tasks import retention
from sharing_city.notifications.models import Notice
from tests.personas import (  # noqa: F401 - fixtures
    World,
    drill,
    drill_title,
    drills,
    other_centre,
    second_drill,
    tool_centre,
    volunteer,
    volunteer_elsewhere,
    world,
)

pytestmark = pytest.mark.django_db


def test_retention_is_a_nightly_beat_task(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["accounts-retention"]
    assert entry["task"] == retention.name
    assert settings.RETENTION_INACTIVE_YEARS == 3


def _end_agreement(world: World) -> None:
    from homeshare.models import Agreement

    Agreement.objects.filter(pk=world.agreement.pk).update(status="ended")


def test_retention_anonymises_members_inactive_for_years_but_not_with_a_loan_out(world: World):
    _end_agreement(world)  # the student, other_resident, has nothing else in force
    now = timezone.now()
    old = now - dt.timedelta(days=365 * 3 + 10)
    User.objects.filter(
        pk__in=[world.users["resident"].pk, world.users["other_resident"].pk]
    ).update(last_login=old)
    counts = run_retention(now=now)
    resident, other = (
        User.objects.get(pk=world.users[n].pk) for n in ("resident", "other_resident")
    )
    assert resident.closed_at is None, "the resident still has the drill out"
    assert other.closed_at == now and other.full_name == "" and not other.is_active
    assert counts["members"] >= 1
    assert User.objects.get(pk=world.users["volunteer"].pk).closed_at is None  # signed in lately
    assert run_retention(now=now)["members"] == 0  # safe to run twice


def test_retention_settings_change_the_period(world: World, settings):
    _end_agreement(world)
    now = timezone.now()
    User.objects.filter(pk=world.users["other_resident"].pk).update(
        last_login=now - dt.timedelta(days=400)
    )
    run_retention(now=now)
    assert User.objects.get(pk=world.users["other_resident"].pk).closed_at is None
    settings.RETENTION_INACTIVE_YEARS = 1
    run_retention(now=now)
    assert User.objects.get(pk=world.users["other_resident"].pk).closed_at == now


def test_retention_deletes_proofs_after_the_decision(world: World, settings, tmp_path):
    settings.HOMESHARE_PRIVATE_ROOT = tmp_path
    now = timezone.now()
    application = StudentApplication.objects.get(applicant=world.users["other_resident"])
    application.enrolment_proof.save("proof.pdf", ContentFile(b"%PDF-1.4 proof"), save=False)
    application.screened_at = now - dt.timedelta(days=settings.RETENTION_PROOF_DAYS - 1)
    application.save()
    path = application.enrolment_proof.path
    run_retention(now=now)
    application.refresh_from_db()
    assert application.enrolment_proof, "not yet: the decision is recent"
    StudentApplication.objects.filter(pk=application.pk).update(
        screened_at=now - dt.timedelta(days=settings.RETENTION_PROOF_DAYS + 1)
    )
    assert run_retention(now=now)["homeshare.proofs"] == 1
    application.refresh_from_db()
    assert not application.enrolment_proof
    import os

    assert not os.path.exists(path)


def test_retention_deletes_notice_bodies_after_n_days(world: World, settings):
    now = timezone.now()
    resident = world.users["resident"]

    def notice(kind: str, age_days: int, status: str) -> Notice:
        at = now - dt.timedelta(days=age_days)
        return Notice.objects.create(
            recipient=resident,
            subject_type="loan",
            subject_id=str(world.loan.pk),
            kind=kind,
            channel="email",
            title="반납 예정 안내",
            context={"item": "TC-0002"},
            status=status,
            message_id=f"<{kind}@example.org>",
            created_at=at,
            next_attempt_at=at,
        )

    old = notice("old", settings.RETENTION_NOTICE_DAYS + 1, "sent")
    recent = notice("recent", settings.RETENTION_NOTICE_DAYS - 1, "sent")
    waiting = notice("waiting", settings.RETENTION_NOTICE_DAYS + 1, "pending")
    assert run_retention(now=now)["notifications.notice-bodies"] == 1
    for n in (old, recent, waiting):
        n.refresh_from_db()
    assert old.context == {} and old.title == "반납 예정 안내"  # the row stays, the body goes
    assert recent.context == {"item": "TC-0002"}
    assert waiting.context == {"item": "TC-0002"}, "a notice still to send keeps its body"
