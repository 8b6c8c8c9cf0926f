"""Money as the reader writes it."""

from decimal import Decimal

import pytest
from django.utils import translation

from sharing_city.core.money import won


@pytest.mark.parametrize(
    ("language", "amount", "shown"),
    [
        ("ko", Decimal(150000), "150,000원"),
        ("ko", 0, "0원"),
        ("en", Decimal(150000), "₩150,000"),
        ("en", Decimal(-5000), "-₩5,000"),
        ("en", None, "₩0"),
    ],
)
def test_won_in_each_language(language, amount, shown):
    with translation.override(language):
        assert won(amount) == shown


def test_a_value_that_is_not_an_amount_is_shown_as_it_is():
    assert won("n/a") == "n/a"
