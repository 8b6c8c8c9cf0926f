"""Amounts of money as the reader writes them: 30,000원 in Korean, ₩30,000 in English."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language


def won(amount: Decimal | int | None) -> str:
    try:
        whole = int(Decimal(amount or 0).to_integral_value())
    except (ArithmeticError, ValueError, TypeError):  # a page never fails on a stored value
        return str(amount)
    if (get_language() or "ko").startswith("ko"):
        return f"{whole:,}원"
    return f"₩{whole:,}" if whole >= 0 else f"-₩{-whole:,}"
