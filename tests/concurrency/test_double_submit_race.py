"""Ten clicks of one renew button at once (a double click, a flaky network's retries): with
the page's one-time token the loan is renewed once; without it every renewal allowed is used."""

from __future__ import annotations

from collections import Counter

import pytest
from django.test import Client
from django.urls import reverse

from lending import services
from lending.models import LendingRule, Loan
from tests.concurrency.threads import race

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 10


def clicks(resident, url: str, body: dict) -> list:
    signed_in = Client()
    signed_in.force_login(resident)

    def click(_i: int) -> int:
        client = Client()
        client.cookies = signed_in.cookies
        return client.post(url, body).status_code

    return race(click, N)


def test_a_burst_of_renewals_with_one_token_renews_once(drill, resident, volunteer):
    LendingRule.objects.filter(category=drill.title.category).update(renewal_limit=3)
    loan = services.check_out(item=drill, member=resident, by=volunteer)
    url = reverse("lending:renew", args=[loan.pk])

    without_token = Counter(clicks(resident, url, {}))
    loan.refresh_from_db()
    renewed_without = loan.renewals
    Loan.objects.filter(pk=loan.pk).update(renewals=0)

    with_token = Counter(clicks(resident, url, {"once": "a" * 32}))
    loan.refresh_from_db()

    assert renewed_without == 3, without_token  # the problem: every renewal allowed is used
    assert loan.renewals == 1
    assert with_token == {302: N}, with_token  # every click ends on My loans
