"""Voice under concurrency, on real PostgreSQL: a member's twenty "me too" presses count once,
and two staff merging the same asks at once never lose, double or misplace a supporter, nor
merge an ask into itself or into a merged ask (merge locks both asks in primary-key order).

Measured with `_locked` reading without `select_for_update()`: the "me too" test still passes
(the unique constraint and its savepoint hold it), but both merge tests fail in their first
round: both staff's merges succeed, the duplicate's asker ends up a supporter of both targets
while it points at one, and A and B end merged into each other, each closed, a supporter lost.

A "me too" on a merged duplicate used to lock the duplicate, then its target, while merging
that target onward locked the target, then (re-pointing) the duplicate: the last test failed
in its first round with PostgreSQL's "deadlock detected". Both now lock every row they touch
in one statement, in primary-key order."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from tests.concurrency.threads import race
from voice import services
from voice.exceptions import BadMerge
from voice.models import Ask, MeToo, VoiceEvent
from voice.selectors import asks_for_list

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
N = 20
ROUNDS = 8  # two threads seldom collide in one try: repeat the race on fresh asks


def outcome(result) -> str:
    return "ok" if not isinstance(result, Exception) else type(result).__name__


def supporters(ask: Ask) -> list[str]:
    return sorted(MeToo.objects.filter(ask=ask).values_list("member__username", flat=True))


def needing(ask: Ask) -> set[str]:
    """Everyone the ask counts: its asker and its supporters."""
    return {ask.asker.username, *supporters(ask)}


def count(ask: Ask) -> int:
    """The count the pages show (asks_for_list's annotation)."""
    row: Any = asks_for_list(Ask.objects.filter(pk=ask.pk)).get()
    return row.supporter_count


@pytest.fixture
def staff_pair(staff, make_member, mapo):
    return staff, make_member("staff2", role="staff", district=mapo)


def _ask(asker, place, text: str, backers=()) -> Ask:
    ask = services.create_ask(by=asker, kind="item", text=text, place=place)
    for member in backers:
        services.me_too(ask=ask, by=member)
    return ask


def test_twenty_me_too_presses_of_one_member_give_one_supporter(
    resident, other_resident, make_member, tool_centre
):
    ask = _ask(resident, tool_centre, "A tent", backers=[other_resident])
    member = make_member("minji")
    before = count(ask)

    results = race(lambda i: services.me_too(ask=ask, by=member), N)

    assert Counter(outcome(r) for r in results) == {"ok": N}, results
    assert len({r.pk for r in results}) == 1  # every press returns the one row
    assert count(ask) == before + 1 == 2
    assert MeToo.objects.filter(ask=ask, member=member).count() == 1
    assert VoiceEvent.objects.filter(action="me_too", actor=member).count() == 1


def test_two_staff_merging_one_duplicate_into_two_asks_at_once(
    staff_pair, make_member, tool_centre
):
    people = {name: make_member(name) for name in ("a", "b", "c", "shared", "x", "y")}
    for n in range(ROUNDS):
        first = _ask(people["a"], tool_centre, f"Tent {n}", backers=[people["shared"]])
        second = _ask(people["b"], tool_centre, f"Tent please {n}", backers=[people["x"]])
        duplicate = _ask(
            people["c"], tool_centre, f"A tent {n}", backers=[people["shared"], people["y"]]
        )
        wanted = {
            first.pk: needing(first) | needing(duplicate),
            second.pk: needing(second) | needing(duplicate),
        }
        before = {first.pk: needing(first), second.pk: needing(second)}
        targets = (first, second)

        results = race(
            lambda i: services.merge(ask=duplicate, into=targets[i], by=staff_pair[i]), 2
        )

        assert sorted(outcome(r) for r in results) == ["BadMerge", "ok"], (n, results)
        winner = targets[0] if outcome(results[0]) == "ok" else targets[1]
        loser = targets[1] if winner is targets[0] else targets[0]
        duplicate.refresh_from_db()
        assert (duplicate.status, duplicate.merged_into_id) == ("merged", winner.pk), n
        assert needing(winner) == wanted[winner.pk], n  # nobody lost
        assert winner.asker.username not in supporters(winner), n  # nobody counted twice
        assert needing(loser) == before[loser.pk], n  # the loser untouched
        assert supporters(duplicate) == [], n
        assert Ask.objects.filter(pk__in=[first.pk, second.pk], status="merged").count() == 0
        assert VoiceEvent.objects.filter(action="merged", ask=duplicate).count() == 1, n


def test_merging_a_into_b_while_b_is_merged_into_a(staff_pair, make_member, tool_centre):
    people = {name: make_member(name) for name in ("a", "b", "shared", "x", "y")}
    for n in range(ROUNDS):
        one = _ask(people["a"], tool_centre, f"Tent {n}", backers=[people["shared"], people["x"]])
        two = _ask(people["b"], tool_centre, f"Tent please {n}", backers=[people["shared"]])
        everyone = needing(one) | needing(two)
        pairs = ((one, two), (two, one))

        results = race(
            lambda i: services.merge(ask=pairs[i][0], into=pairs[i][1], by=staff_pair[i]), 2
        )

        assert sorted(outcome(r) for r in results) == ["BadMerge", "ok"], (n, results)
        assert all(isinstance(r, (Ask, BadMerge)) for r in results)
        merged, kept = pairs[0] if outcome(results[0]) == "ok" else pairs[1]
        merged.refresh_from_db()
        kept.refresh_from_db()
        assert (merged.status, merged.merged_into_id) == ("merged", kept.pk), n
        assert kept.status == "open" and kept.merged_into_id is None, n
        assert needing(kept) == everyone, n
        assert kept.asker.username not in supporters(kept), n
        assert supporters(merged) == [], n
        assert VoiceEvent.objects.filter(action="merged").count() == n + 1


def test_me_too_on_a_merged_duplicate_while_its_target_is_merged_onward(
    staff, make_member, tool_centre
):
    people = {name: make_member(name) for name in ("a", "b", "c", "m")}
    for n in range(ROUNDS):
        target = _ask(people["a"], tool_centre, f"Tent {n}")
        onward = _ask(people["b"], tool_centre, f"Tent please {n}")
        duplicate = _ask(people["c"], tool_centre, f"A tent {n}")
        services.merge(ask=duplicate, into=target, by=staff)

        def work(i: int):
            if i == 0:
                return services.me_too(ask=duplicate, by=people["m"])
            return services.merge(ask=target, into=onward, by=staff)

        results = race(work, 2)

        assert [outcome(r) for r in results] == ["ok", "ok"], (n, results)
        duplicate.refresh_from_db()
        target.refresh_from_db()
        assert (duplicate.merged_into_id, target.merged_into_id) == (onward.pk, onward.pk), n
        assert supporters(onward) == ["a", "c", "m"], n
        assert supporters(target) == supporters(duplicate) == [], n
