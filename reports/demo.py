"""Demo impact factors, so the demo city's reports show money saved and CO₂ avoided.

Illustrative values for the demo only, set through the lending service as staff would; a city
sets its own on the impact factors page. An existing factor is left as it is.
"""

from __future__ import annotations

from lending.models import Category, ImpactFactor
from lending.services import set_impact_factor
from sharing_city.accounts.models import User

# (category slug, basis, share of the replacement value, fixed KRW, kg CO₂ per loan)
FACTORS = [
    ("tools", "share", "0.10", 0, "2.0"),
    ("travel", "share", "0.10", 0, "5.0"),
    ("household", "share", "0.10", 0, "1.5"),
    ("books", "share", "0.30", 0, "1.0"),
    ("interview-clothing", "fixed", "0", 50000, "10.0"),
]


def load(stdout=None) -> None:  # type: ignore[no-untyped-def]
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    for slug, basis, share, fixed, co2 in FACTORS:
        category = Category.objects.filter(slug=slug).first()
        if category is None or ImpactFactor.objects.filter(category=category).exists():
            continue
        set_impact_factor(
            category=category,
            by=admin,
            basis=basis,
            money_share=share,
            money_fixed=fixed,
            co2_kg=co2,
        )
