"""Loading a city's districts from a JSON file shipped in the repository (or any path)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .models import District

CITY_DIR = Path(__file__).resolve().parent / "data" / "cities"


@dataclass(frozen=True)
class CityLoadResult:
    city: str
    created: int
    updated: int


def city_file(name_or_path: str) -> Path:
    path = Path(name_or_path)
    if path.suffix == ".json" and path.exists():
        return path
    shipped = CITY_DIR / f"{name_or_path}.json"
    if not shipped.exists():
        known = ", ".join(sorted(p.stem for p in CITY_DIR.glob("*.json")))
        raise FileNotFoundError(f"No city file {name_or_path!r}; shipped cities: {known}")
    return shipped


def load_city(name_or_path: str) -> CityLoadResult:
    """Create or update the city's districts by (city, code). Running it twice changes nothing."""
    data = json.loads(city_file(name_or_path).read_text(encoding="utf-8"))
    city = data["city"]
    created = updated = 0
    with transaction.atomic():
        for row in data["districts"]:
            values = {
                "name_local": row["name_local"],
                "name_ko": row.get("name_ko", ""),
                "name_en": row["name_en"],
                "latitude": row.get("latitude"),
                "longitude": row.get("longitude"),
            }
            district, was_created = District.objects.get_or_create(
                city=city, code=row["code"], defaults=values
            )
            if was_created:
                created += 1
                continue
            changed = [k for k, v in values.items() if _differs(getattr(district, k), v)]
            if changed:
                for key in changed:
                    setattr(district, key, values[key])
                district.save(update_fields=changed)
                updated += 1
    return CityLoadResult(city=city, created=created, updated=updated)


def _differs(current: object, new: object) -> bool:
    if current is None or new is None:
        return current is not new
    try:
        return float(current) != float(new)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return current != new
