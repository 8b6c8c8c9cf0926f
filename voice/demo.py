"""Demo requests at mapo-tools and to Mapo-gu, so the voice pages are not empty. Idempotent:
does nothing once the demo resident has asked anything."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from lending.models import Place
from sharing_city.accounts.models import User

from . import services
from .models import Ask


def load(stdout: Any = None) -> None:
    place = Place.objects.filter(slug="mapo-tools").first()
    users = {
        u.username: u
        for u in User.objects.filter(
            username__in=["resident", "volunteer", "staff", "demo-borrower-01", "demo-borrower-02"]
        )
    }
    resident, volunteer = users.get("resident"), users.get("volunteer")
    if (
        place is None
        or resident is None
        or volunteer is None
        or Ask.objects.filter(asker=resident).exists()
    ):
        return
    now = timezone.now()
    tent = services.create_ask(
        by=resident,
        kind="item",
        text="4인용 텐트를 빌릴 수 있으면 좋겠어요.",
        place=place,
        now=now - dt.timedelta(days=6),
    )
    for name in ("demo-borrower-01", "demo-borrower-02"):
        if name in users:
            services.me_too(ask=tent, by=users[name], now=now - dt.timedelta(days=5))
    services.answer(
        ask=tent,
        by=volunteer,
        text="좋은 제안 감사합니다. 다음 달 구입을 검토하겠습니다.",
        now=now - dt.timedelta(days=4),
    )
    services.set_status(
        ask=tent,
        by=volunteer,
        status="planned",
        reason="다음 달 예산으로 구입 예정",
        now=now - dt.timedelta(days=4),
    )
    services.create_ask(
        by=resident,
        kind="problem",
        text="대여한 전동드릴 배터리가 금방 닳아요.",
        place=place,
        now=now - dt.timedelta(days=1),
    )
    services.create_ask(
        by=resident,
        kind="suggestion",
        text="토요일 오후에도 문을 열어 주세요.",
        now=now - dt.timedelta(hours=5),
    )
    if stdout is not None:
        stdout.write("Voice: 3 demo requests\n")
