"""One shape for every app's audit trail: who did what, where, when, to which subject.

Each app keeps its own table (lending.Event, closets.ClosetEvent, homeshare.Event,
tool_centres.DeskEvent, ...) by inheriting AuditEvent, so the columns that an auditor reads
are the same everywhere. Who, where and when are required: the database refuses a row without
them. The references `who`, `where` and `subject` are written as text ("user:17",
"place:3", "loan:42") as well as kept as foreign keys, so an event outlives the rows it
names: a subclass's links use SET_NULL or PROTECT, never CASCADE (a test walks every
subclass to check this).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.functions import Cast, Concat

SYSTEM = "system"  # who, for work that no person started (a sweep, a nightly task)
CITY = "city"  # where, for city-wide acts (an impact factor, a city-wide matching run)


class AuditEvent(models.Model):
    """Abstract: subclasses add their app's links and name them in the two class attributes.

    WHERE_FIELDS: foreign keys tried in order for `where` (the first one set wins).
    SUBJECT_FIELDS: foreign keys tried in order for `subject`.
    """

    at = models.DateTimeField(db_index=True)  # no default: the service passes its `now`
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    who = models.CharField(max_length=40)
    where = models.CharField(max_length=40)
    action = models.CharField(max_length=40)
    subject = models.CharField(max_length=60, blank=True)
    data = models.JSONField(default=dict, blank=True)

    WHERE_FIELDS: ClassVar[tuple[str, ...]] = ()
    SUBJECT_FIELDS: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(who="") & ~Q(where=""), name="%(app_label)s_%(class)s_who_where"
            )
        ]

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.fill_references()
        super().save(*args, **kwargs)

    def fill_references(self) -> None:
        """Write who, where and subject from the links, unless the caller stated them.

        Refuses (ValueError) an event with no actor and no stated `who` (pass who=SYSTEM for
        a task), or with no place or district and no stated `where` (pass where=CITY)."""
        if not self.who:
            if self.actor_id is None:
                raise ValueError(f"{type(self).__name__} needs who: an actor, or who=SYSTEM")
            self.who = f"user:{self.actor_id}"
        if not self.where:
            self.where = self._first_reference(self.WHERE_FIELDS)
            if not self.where:
                raise ValueError(f"{type(self).__name__} needs where: a place, or where=CITY")
        if not self.subject:
            self.subject = self._first_reference(self.SUBJECT_FIELDS)

    def _first_reference(self, names: tuple[str, ...]) -> str:
        for name in names:
            pk = getattr(self, f"{name}_id")
            if pk is not None:
                return f"{name}:{pk}"
        return ""


def reference_expression(
    names: tuple[str, ...], default: str = "", *, label: str | None = None
) -> Case:
    """The SQL twin of AuditEvent._first_reference, for migrations that fill old rows."""
    return Case(
        *[
            When(
                **{f"{name}__isnull": False},
                then=Concat(Value(f"{label or name}:"), Cast(F(f"{name}_id"), CharField())),
            )
            for name in names
        ],
        default=Value(default),
        output_field=CharField(),
    )


def fill_old_rows(
    model: Any, *, where_fields: tuple[str, ...], subject_fields: tuple[str, ...]
) -> None:
    """Migration helper: give rows written before the shape who, where and subject (a
    historical model has no class attributes, so the migration names the fields)."""
    model.objects.filter(who="").update(who=reference_expression(("actor",), SYSTEM, label="user"))
    model.objects.filter(where="").update(where=reference_expression(where_fields, CITY))
    if subject_fields:
        model.objects.filter(subject="").update(subject=reference_expression(subject_fields))
