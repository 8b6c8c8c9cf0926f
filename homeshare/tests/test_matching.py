"""The pure matcher: property tests against brute force, and the reasons it keeps."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from homeshare import matching
from homeshare.matching import Host, Reason, Student, Term

TERM = Term(date(2026, 3, 1), date(2026, 8, 31))
DISTRICTS = ["11440", "11410", "11680"]
UNIVERSITIES = ["yonsei", "hongik", "snu"]
COMMUTE = {
    (d, u): 15 + 10 * i + 7 * j
    for i, d in enumerate(DISTRICTS)
    for j, u in enumerate(UNIVERSITIES)
    if (i, j) != (2, 2)  # one unknown pair: unknown commute is neutral, never a reason
}


def subset(vocabulary):  # type: ignore[no-untyped-def]
    return st.frozensets(st.sampled_from(vocabulary), max_size=4)


day = st.integers(min_value=-60, max_value=200).map(lambda n: TERM.start + timedelta(days=n))
maybe_day = st.none() | st.integers(min_value=30, max_value=400).map(
    lambda n: TERM.start + timedelta(days=n)
)

hosts_strategy = st.builds(
    Host,
    id=st.integers(1, 10_000),
    district=st.sampled_from(DISTRICTS),
    capacity=st.integers(1, 2),
    rent=st.sampled_from([150_000, 200_000, 250_000, 300_000]),
    available_from=day,
    available_until=maybe_day,
    min_term_months=st.sampled_from([1, 3, 6]),
    help_tasks=subset(matching.HELP_TASKS),
    help_hours=st.integers(0, 15),
    help_times=subset(matching.TIMES),
    smoking_household=st.booleans(),
    has_pets=st.booleans(),
    student_gender=st.sampled_from(["any", "female", "male"]),
    quiet_home=st.booleans(),
    meals=st.sampled_from(matching.MEALS),
    languages=subset(matching.LANGUAGES[:4]),
    interests=subset(matching.INTERESTS),
    eligible=st.sampled_from([True, True, True, False]),
)
students_strategy = st.builds(
    Student,
    id=st.integers(1, 10_000),
    university=st.sampled_from(UNIVERSITIES),
    gender=st.sampled_from(matching.GENDERS),
    budget=st.sampled_from([180_000, 250_000, 350_000]),
    available_from=day,
    available_until=maybe_day,
    districts=st.frozensets(st.sampled_from(DISTRICTS), max_size=2),
    max_commute=st.none() | st.sampled_from([20, 35, 60]),
    help_tasks=subset(matching.HELP_TASKS),
    help_hours=st.integers(0, 15),
    available_times=subset(matching.TIMES),
    smokes=st.booleans(),
    accepts_smoking_home=st.booleans(),
    pet_allergy=st.booleans(),
    late_nights=st.booleans(),
    meals=st.sampled_from(matching.MEALS),
    languages=subset(matching.LANGUAGES[:4]),
    interests=subset(matching.INTERESTS),
    eligible=st.sampled_from([True, True, True, False]),
)
instances = st.tuples(
    st.lists(hosts_strategy, min_size=0, max_size=3),
    st.lists(students_strategy, min_size=0, max_size=5),
    st.sampled_from([0.0, matching.MIN_SCORE, 50.0]),
)


def brute_force_best(weight: np.ndarray, capacities: list[int]) -> float:
    """Try every way to give each student one host or none, within the rooms."""
    n_students, n_hosts = weight.shape
    best = 0.0

    def go(si: int, free: list[int], total: float) -> None:
        nonlocal best
        if si == n_students:
            best = max(best, total)
            return
        go(si + 1, free, total)  # this student stays unmatched
        for hi in range(n_hosts):
            if free[hi] > 0 and weight[si, hi] > 0:
                free[hi] -= 1
                go(si + 1, free, total + float(weight[si, hi]))
                free[hi] += 1

    go(0, list(capacities), 0.0)
    return best


@settings(max_examples=150, deadline=None)
@given(instances)
def test_assignment_total_equals_the_brute_force_optimum(instance):
    hosts, students, min_score = instance
    result = matching.run(hosts, students, TERM, COMMUTE, min_score=min_score)

    expected = brute_force_best(result.scores.weight, [h.capacity for h in hosts])
    assert abs(sum(p.weight for p in result.pairs) - expected) < 1e-6
    # The stored total is the shown scores' sum: no tie-break in it.
    shown = sum(float(result.scores.combined[p.student_index, p.host_index]) for p in result.pairs)
    assert abs(result.total - shown) < 1e-6


@settings(max_examples=150, deadline=None)
@given(instances)
def test_no_excluded_pair_is_ever_proposed_and_rooms_are_respected(instance):
    hosts, students, min_score = instance
    result = matching.run(hosts, students, TERM, COMMUTE, min_score=min_score)

    for pair in result.pairs:
        assert result.scores.mask[pair.student_index, pair.host_index] == 0
    for shortlist in [*result.shortlist_for_host.values(), *result.shortlist_for_student.values()]:
        for c in shortlist:
            assert result.scores.mask[c.student_index, c.host_index] == 0
    students_matched = [p.student_index for p in result.pairs]
    assert len(students_matched) == len(set(students_matched))
    for hi, host in enumerate(hosts):
        assert sum(p.host_index == hi for p in result.pairs) <= host.capacity


@settings(max_examples=150, deadline=None)
@given(instances)
def test_every_exclusion_has_a_reason_and_the_reasons_are_the_rules(instance):
    hosts, students, min_score = instance
    scores = matching.score_matrix(hosts, students, TERM, COMMUTE, min_score=min_score)

    for si, student in enumerate(students):
        for hi, host in enumerate(hosts):
            mask = int(scores.mask[si, hi])
            rules = matching.exclusion_reasons(host, student, TERM, COMMUTE)
            reasons = matching.reasons_of(mask)
            assert [r for r in reasons if r != Reason.POOR_MATCH] == rules
            if scores.weight[si, hi] <= 0:
                assert reasons, "an excluded pair must carry a reason"
            if Reason.POOR_MATCH in reasons:
                low = min(scores.host_side[si, hi], scores.student_side[si, hi])
                assert low < min_score


def _host(**kw):  # type: ignore[no-untyped-def]
    base = {
        "id": 1,
        "district": "11440",
        "capacity": 1,
        "rent": 250_000,
        "available_from": TERM.start,
        "available_until": None,
        "min_term_months": 6,
        "help_tasks": frozenset({"conversation", "shopping"}),
    }
    return Host(**{**base, **kw})


def _student(**kw):  # type: ignore[no-untyped-def]
    base = {
        "id": 1,
        "university": "yonsei",
        "gender": "female",
        "budget": 300_000,
        "available_from": TERM.start,
        "available_until": None,
        "help_tasks": frozenset({"conversation", "shopping"}),
    }
    return Student(**{**base, **kw})


def test_each_hard_rule_names_its_reason():
    cases = [
        (_host(rent=400_000), _student(), Reason.RENT_OVER_BUDGET),
        (_host(student_gender="male"), _student(), Reason.GENDER_PREFERENCE),
        (_host(), _student(smokes=True), Reason.STUDENT_SMOKES),
        (_host(smoking_household=True), _student(), Reason.SMOKING_HOME),
        (_host(has_pets=True), _student(pet_allergy=True), Reason.PET_ALLERGY),
        (_host(), _student(districts=frozenset({"11410"})), Reason.DISTRICT_NOT_ACCEPTED),
        (_host(), _student(max_commute=10), Reason.COMMUTE_TOO_LONG),
        (_host(), _student(available_until=TERM.start + timedelta(days=60)), Reason.DATES),
        (_host(eligible=False), _student(), Reason.HOST_INELIGIBLE),
        (_host(), _student(eligible=False), Reason.STUDENT_INELIGIBLE),
    ]
    for host, student, reason in cases:
        assert matching.exclusion_reasons(host, student, TERM, COMMUTE) == [reason]


def test_combined_score_follows_the_weaker_side():
    good_for_host = _student(help_tasks=frozenset({"conversation", "shopping"}), help_hours=10)
    scores = matching.score_matrix([_host()], [good_for_host], TERM, COMMUTE)

    low = min(scores.host_side[0, 0], scores.student_side[0, 0])
    high = max(scores.host_side[0, 0], scores.student_side[0, 0])
    assert scores.combined[0, 0] == low < high
    # The assignment's tie-break never moves the shown score by a tenth.
    assert low < scores.weight[0, 0] <= low + 0.2


def test_every_shown_score_is_the_lower_side():
    strong = _student(help_tasks=frozenset({"conversation", "shopping"}), help_hours=10)
    scores = matching.score_matrix([_host()], [strong, _student()], TERM, COMMUTE)
    for row in (0, 1):
        shown = scores.combined[row, 0]
        assert shown == min(scores.host_side[row, 0], scores.student_side[row, 0])


def test_a_host_with_two_rooms_takes_two_students():
    result = matching.run(
        [_host(capacity=2)], [_student(id=1), _student(id=2), _student(id=3)], TERM, COMMUTE
    )

    assert sorted(p.student_index for p in result.pairs) in ([0, 1], [0, 2], [1, 2])
    assert all(p.host_index == 0 for p in result.pairs)


def test_pair_reasons_are_plain_facts():
    reasons = matching.pair_reasons(_host(), _student(), COMMUTE)

    codes = [r["code"] for r in reasons]
    assert codes[0] == "commute" and reasons[0]["params"]["minutes"] == COMMUTE[("11440", "yonsei")]
    assert "tasks" in codes and "rent" in codes
