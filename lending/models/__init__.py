"""The lending engine's data: places, categories and rules, titles and items, bookings, loans.

Invariants kept by the database (see migrations/0002 for the PostgreSQL-only parts):
- an item has at most one open loan (partial unique constraint);
- the periods an item is spoken for (Occupancy rows of bookings and open loans, turnaround
  buffer included) never overlap (exclusion constraint on PostgreSQL; on SQLite the services'
  transactions are serialised by BEGIN IMMEDIATE and check overlap before writing).
"""

from .catalogue import ITEM_CODE_VALIDATOR, Category, Item, LendingRule, Title, TitlePhoto
from .circulation import Booking, Loan, Occupancy
from .common import Bilingual
from .community import Kit, Tip, TipMark, TitleList
from .desk import Briefing, DepositEntry, IdDocument
from .events import Event
from .impact import ImpactFactor
from .places import Closure, OpeningHours, Place, PlaceRole

__all__ = [
    "ITEM_CODE_VALIDATOR",
    "Bilingual",
    "Booking",
    "Briefing",
    "Category",
    "Closure",
    "DepositEntry",
    "Event",
    "IdDocument",
    "ImpactFactor",
    "Item",
    "Kit",
    "LendingRule",
    "Loan",
    "Occupancy",
    "OpeningHours",
    "Place",
    "PlaceRole",
    "Tip",
    "TipMark",
    "Title",
    "TitleList",
    "TitlePhoto",
]
