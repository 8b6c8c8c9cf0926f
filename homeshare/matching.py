"""Matching hosts and students: hard filters with reasons, two-sided scores, global assignment.

Pure functions over plain data (no Django, no database), so they can be property-tested against
brute force and benchmarked at city scale. Rows are students, columns are hosts; a host with
several rooms becomes several columns ("slots") for the assignment.

- `exclusion_reasons()` is the readable reference for one pair; `score_matrix()` computes the
  same filters for every pair at once with numpy, as a bit mask per pair (0 = allowed), so an
  excluded pair always carries at least one reason. Tests check both agree.
- Scores run 0-100 on each side. The combined score is the *minimum* of the two sides (neither
  side gets a poor match): the one number every page, notice and the API shows, always with
  both sides' scores beside it. Only the assignment's weight adds a tie-break (a thousandth of
  the sum, never shown), so between two pairs with the same lower side the better other side wins.
- `assign()` maximises the total combined weight with SciPy's sparse Jonker-Volgenant solver
  (`min_weight_full_bipartite_matching`) over the allowed pairs only. Excluded pairs never enter
  it (weight 0, the same as staying unmatched), so they are never proposed.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntFlag
from functools import cache, cached_property
from types import ModuleType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
else:

    class _Numpy:
        """numpy, imported on first use: the models import this module for its vocabularies,
        and a web process that never runs a matching should not carry numpy and SciPy
        (~40 MB resident, 0.3 s to import)."""

        def __getattr__(self, name: str) -> Any:
            module: ModuleType = importlib.import_module("numpy")
            return getattr(module, name)

    np = _Numpy()

# Vocabularies shared with the models (they are the choices of the application forms).
HELP_TASKS = (
    "conversation",
    "safety",
    "housework",
    "shopping",
    "smartphone",
    "cooking",
    "errands",
    "gardening",
)
TIMES = ("weekday_mornings", "weekday_afternoons", "weekday_evenings", "weekends")
INTERESTS = (
    "reading",
    "music",
    "cooking",
    "walking",
    "gardening",
    "films",
    "sports",
    "art",
    "games",
    "travel",
    "technology",
    "religion",
)
LANGUAGES = ("ko", "en", "zh", "ja", "vi", "fr", "de", "es", "ru", "mn")
MEALS = ("never", "sometimes", "often")  # how often meals are shared, an ordered scale
GENDERS = ("female", "male", "other")

DAYS_PER_MONTH = 30.44
NO_END = date.max.toordinal()
MIN_SCORE = 25.0  # below this on either side a pair is a "poor match" and excluded
SHORTLIST_SIZE = 5
TIE_BREAK = 0.001  # times the sum of both sides: breaks ties in the assignment only


class Reason(IntFlag):
    """Why a pair is excluded. One bit each, so a pair can carry several."""

    HOST_INELIGIBLE = 1  # under 60, or not approved
    STUDENT_INELIGIBLE = 2  # not enrolled, or not approved
    DATES = 4  # no overlap in the term, or shorter than the host's minimum term
    RENT_OVER_BUDGET = 8
    GENDER_PREFERENCE = 16
    STUDENT_SMOKES = 32  # the student smokes; the home is smoke-free
    SMOKING_HOME = 64  # someone smokes at home; the student wants a smoke-free home
    PET_ALLERGY = 128
    DISTRICT_NOT_ACCEPTED = 256
    COMMUTE_TOO_LONG = 512
    POOR_MATCH = 1024  # passes every rule, but one side would score it below MIN_SCORE


def reasons_of(mask: int) -> list[Reason]:
    return [reason for reason in Reason if mask & reason]


@dataclass(frozen=True)
class Term:
    start: date
    end: date


@dataclass(frozen=True)
class Host:
    id: int
    district: str  # district code
    capacity: int
    rent: int  # per month
    available_from: date
    available_until: date | None
    min_term_months: int
    help_tasks: frozenset[str] = frozenset()
    help_hours: int = 10  # per week
    help_times: frozenset[str] = frozenset()
    smoking_household: bool = False
    has_pets: bool = False
    student_gender: str = "any"
    quiet_home: bool = False  # quiet hours in the evening
    meals: str = "sometimes"
    languages: frozenset[str] = frozenset({"ko"})
    interests: frozenset[str] = frozenset()
    eligible: bool = True


@dataclass(frozen=True)
class Student:
    id: int
    university: str  # university code
    gender: str
    budget: int
    available_from: date
    available_until: date | None
    districts: frozenset[str] = frozenset()  # accepted districts; empty = any
    max_commute: int | None = None  # minutes
    help_tasks: frozenset[str] = frozenset()
    help_hours: int = 10
    available_times: frozenset[str] = frozenset()
    smokes: bool = False
    accepts_smoking_home: bool = False
    pet_allergy: bool = False
    late_nights: bool = False
    meals: str = "sometimes"
    languages: frozenset[str] = frozenset({"ko"})
    interests: frozenset[str] = frozenset()
    eligible: bool = True


# Commute minutes keyed by (district code, university code).
CommuteTable = Mapping[tuple[str, str], int]


# --- One pair: the readable reference ----------------------------------------------------


def overlap_months(host: Host, student: Student, term: Term) -> float:
    start = max(term.start, host.available_from, student.available_from).toordinal()
    end = min(
        term.end.toordinal(),
        host.available_until.toordinal() if host.available_until else NO_END,
        student.available_until.toordinal() if student.available_until else NO_END,
    )
    return (end - start + 1) / DAYS_PER_MONTH


def exclusion_reasons(
    host: Host, student: Student, term: Term, commute: CommuteTable
) -> list[Reason]:
    """Every hard rule the pair breaks (scores aside), in a fixed order. Empty = allowed."""
    minutes = commute.get((host.district, student.university))
    checks = [
        (Reason.HOST_INELIGIBLE, not host.eligible),
        (Reason.STUDENT_INELIGIBLE, not student.eligible),
        (Reason.DATES, overlap_months(host, student, term) < max(host.min_term_months, 1)),
        (Reason.RENT_OVER_BUDGET, host.rent > student.budget),
        (
            Reason.GENDER_PREFERENCE,
            host.student_gender != "any" and host.student_gender != student.gender,
        ),
        (Reason.STUDENT_SMOKES, student.smokes and not host.smoking_household),
        (Reason.SMOKING_HOME, host.smoking_household and not student.accepts_smoking_home),
        (Reason.PET_ALLERGY, host.has_pets and student.pet_allergy),
        (
            Reason.DISTRICT_NOT_ACCEPTED,
            bool(student.districts) and host.district not in student.districts,
        ),
        (
            Reason.COMMUTE_TOO_LONG,
            student.max_commute is not None
            and minutes is not None
            and minutes > student.max_commute,
        ),
    ]
    return [reason for reason, broken in checks if broken]


# --- Every pair at once ------------------------------------------------------------------


@cache
def _popcount() -> np.ndarray:  # type: ignore[type-arg]
    return np.array([bin(i).count("1") for i in range(1 << 16)], dtype=np.float32)


def _bits(values: Iterable[str], vocabulary: Sequence[str]) -> int:
    return sum(1 << i for i, word in enumerate(vocabulary) if word in set(values))


def _col(values: Sequence, dtype: type) -> np.ndarray:  # type: ignore[type-arg]
    return np.asarray(values, dtype=dtype)


@dataclass
class Scores:
    """Matrices of shape (students, hosts)."""

    mask: np.ndarray  # uint16 exclusion bits, 0 = allowed
    host_side: np.ndarray  # how good the student is for the host, 0-100
    student_side: np.ndarray  # how good the home is for the student, 0-100
    commute: np.ndarray  # minutes, NaN where unknown
    components: dict[str, np.ndarray] = field(default_factory=dict)  # only when asked for

    @cached_property
    def combined(self) -> np.ndarray:
        """The lower side's score: a match is only as good as its weaker side. float32 like the
        sides: at city scale each float64 students x hosts matrix would cost another 200 MB."""
        return np.minimum(self.host_side, self.student_side)

    @cached_property
    def weight(self) -> np.ndarray:
        """What the assignment maximises: the combined score plus a tie-break too small to move
        it by a shown decimal's worth (at most 0.2), 0 for excluded pairs."""
        host, student = self.host_side, self.student_side
        tie_break = np.float32(TIE_BREAK) * (host + student)
        return np.where(self.mask == 0, self.combined + tie_break, np.float32(0))


def _ratio(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """part / whole capped at 1, and 1 where nothing was asked for (whole == 0)."""
    return np.where(whole > 0, np.minimum(part / np.maximum(whole, 1e-9), 1.0), 1.0)


def _row(values: np.ndarray) -> np.ndarray:
    return values[np.newaxis, :]


def _column(values: np.ndarray) -> np.ndarray:
    return values[:, np.newaxis]


def score_matrix(
    hosts: Sequence[Host],
    students: Sequence[Student],
    term: Term,
    commute: CommuteTable,
    *,
    min_score: float = MIN_SCORE,
    keep_components: bool = False,
    block: int = 500,
) -> Scores:
    """Hard filters and both sides' scores for every (student, host) pair, vectorised.

    Students are scored in blocks of rows so the temporaries stay small at city scale; the
    result keeps four matrices (mask, two float32 scores, commute minutes).
    """
    n_s, n_h = len(students), len(hosts)
    hb = _encode_hosts(hosts)
    sb = _encode_students(students)
    districts = sorted({h.district for h in hosts})
    universities = sorted({s.university for s in students})
    # Commute minutes as a small (universities, districts) table, NaN where unknown.
    table = np.full((max(len(universities), 1), max(len(districts), 1)), np.nan, np.float32)
    for ui, uni in enumerate(universities):
        for di, dist in enumerate(districts):
            if (dist, uni) in commute:
                table[ui, di] = commute[(dist, uni)]
    d_index = {d: i for i, d in enumerate(districts)}
    u_index = {u: i for i, u in enumerate(universities)}
    hb["district"] = _col([d_index[h.district] for h in hosts], np.int32)
    sb["university"] = _col([u_index[s.university] for s in students], np.int32)
    # Accepted districts: (students, districts) booleans; an empty choice accepts any.
    accepts = np.ones((n_s, max(len(districts), 1)), dtype=bool)
    for si, student in enumerate(students):
        if student.districts:
            accepts[si, : len(districts)] = [d in student.districts for d in districts]
    sb_accepts = accepts

    scores = Scores(
        mask=np.zeros((n_s, n_h), dtype=np.uint16),
        host_side=np.zeros((n_s, n_h), dtype=np.float32),
        student_side=np.zeros((n_s, n_h), dtype=np.float32),
        commute=np.zeros((n_s, n_h), dtype=np.float32),
    )
    if n_s == 0 or n_h == 0:
        return scores
    for lo in range(0, n_s, block):
        rows = slice(lo, min(lo + block, n_s))
        part = {key: values[rows] for key, values in sb.items()}
        part["accepts"] = sb_accepts[rows]
        mask, host_side, student_side, minutes, components = _score_block(
            hb, part, table, term, min_score
        )
        scores.mask[rows] = mask
        scores.host_side[rows] = host_side
        scores.student_side[rows] = student_side
        scores.commute[rows] = minutes
        if keep_components:
            for key, values in components.items():
                scores.components.setdefault(key, np.zeros((n_s, n_h), np.float32))[rows] = values
    return scores


def _score_block(
    hb: dict[str, np.ndarray],
    sb: dict[str, np.ndarray],
    table: np.ndarray,
    term: Term,
    min_score: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray]]:
    h = {key: _row(values) for key, values in hb.items()}
    s = {key: _column(values) for key, values in sb.items() if key != "accepts"}
    pc = _popcount()
    minutes = table[s["university"], h["district"]]
    district_ok = sb["accepts"][:, hb["district"]]

    # Hard filters, one bit each (mirrors exclusion_reasons()).
    start = np.maximum(np.maximum(term.start.toordinal(), h["from"]), s["from"])
    end = np.minimum(np.minimum(term.end.toordinal(), h["until"]), s["until"])
    months = (end - start + 1) / DAYS_PER_MONTH
    rules = [
        (Reason.HOST_INELIGIBLE, ~h["eligible"] & np.ones_like(s["eligible"])),
        (Reason.STUDENT_INELIGIBLE, ~s["eligible"] & np.ones_like(h["eligible"])),
        (Reason.DATES, months < np.maximum(h["min_term"], 1)),
        (Reason.RENT_OVER_BUDGET, h["rent"] > s["budget"]),
        (
            Reason.GENDER_PREFERENCE,
            (h["gender_pref"] >= 0) & (h["gender_pref"] != s["gender"]),
        ),
        (Reason.STUDENT_SMOKES, s["smokes"] & ~h["smoking"]),
        (Reason.SMOKING_HOME, h["smoking"] & ~s["accepts_smoking"]),
        (Reason.PET_ALLERGY, h["pets"] & s["pet_allergy"]),
        (Reason.DISTRICT_NOT_ACCEPTED, ~district_ok),
        (Reason.COMMUTE_TOO_LONG, ~np.isnan(minutes) & (minutes > s["max_commute"])),
    ]
    mask = np.zeros(months.shape, dtype=np.uint16)
    for reason, broken in rules:
        mask |= np.where(broken, np.uint16(reason), np.uint16(0))

    # Soft components, each 0..1.
    tasks = _ratio(pc[h["tasks"] & s["tasks"]], pc[h["tasks"]] + np.zeros_like(months))
    hours = _ratio(s["hours"].astype(np.float32), h["hours"].astype(np.float32))
    schedule = _ratio(pc[h["times"] & s["times"]], pc[h["times"]] + np.zeros_like(months))
    quiet = np.where(h["quiet"] & s["late_nights"], 0.3, 1.0)
    meals = 1.0 - 0.4 * np.abs(h["meals"] - s["meals"])
    lifestyle = (quiet + meals) / 2
    union = pc[h["interests"] | s["interests"]]
    common = pc[h["interests"] & s["interests"]]
    interests = np.where(union > 0, common / np.maximum(union, 1), 0.5)
    languages = ((h["languages"] & s["languages"]) > 0).astype(np.float32)
    commute_fit = np.where(np.isnan(minutes), 0.5, np.clip((75.0 - minutes) / 60.0, 0.0, 1.0))
    budget = np.maximum(s["budget"], 1).astype(np.float32)
    slack = np.clip((budget - h["rent"]) / budget / 0.3, 0.0, 1.0)

    host_side = 100 * (
        0.35 * tasks
        + 0.20 * hours
        + 0.15 * schedule
        + 0.15 * lifestyle
        + 0.10 * interests
        + 0.05 * languages
    )
    student_side = 100 * (
        0.35 * commute_fit
        + 0.15 * slack
        + 0.15 * (tasks + hours) / 2
        + 0.10 * schedule
        + 0.10 * lifestyle
        + 0.10 * interests
        + 0.05 * languages
    )
    poor = (np.minimum(host_side, student_side) < min_score) & (mask == 0)
    mask |= np.where(poor, np.uint16(Reason.POOR_MATCH), np.uint16(0))
    components = {
        "tasks": tasks,
        "hours": hours,
        "schedule": schedule,
        "lifestyle": lifestyle,
        "interests": interests,
        "languages": languages,
        "commute": commute_fit,
        "rent_slack": slack,
    }
    return mask, host_side, student_side, minutes, components


def _encode_hosts(hosts: Sequence[Host]) -> dict[str, np.ndarray]:
    return {
        "from": _col([h.available_from.toordinal() for h in hosts], np.int64),
        "until": _col(
            [h.available_until.toordinal() if h.available_until else NO_END for h in hosts],
            np.int64,
        ),
        "min_term": _col([h.min_term_months for h in hosts], np.float64),
        "rent": _col([h.rent for h in hosts], np.int64),
        "gender_pref": _col(
            [GENDERS.index(h.student_gender) if h.student_gender in GENDERS else -1 for h in hosts],
            np.int8,
        ),
        "smoking": _col([h.smoking_household for h in hosts], bool),
        "pets": _col([h.has_pets for h in hosts], bool),
        "eligible": _col([h.eligible for h in hosts], bool),
        "tasks": _col([_bits(h.help_tasks, HELP_TASKS) for h in hosts], np.uint16),
        "hours": _col([h.help_hours for h in hosts], np.int32),
        "times": _col([_bits(h.help_times, TIMES) for h in hosts], np.uint16),
        "quiet": _col([h.quiet_home for h in hosts], bool),
        "meals": _col([MEALS.index(h.meals) for h in hosts], np.float32),
        "interests": _col([_bits(h.interests, INTERESTS) for h in hosts], np.uint16),
        "languages": _col([_bits(h.languages, LANGUAGES) for h in hosts], np.uint16),
    }


def _encode_students(students: Sequence[Student]) -> dict[str, np.ndarray]:
    return {
        "from": _col([s.available_from.toordinal() for s in students], np.int64),
        "until": _col(
            [s.available_until.toordinal() if s.available_until else NO_END for s in students],
            np.int64,
        ),
        "budget": _col([s.budget for s in students], np.int64),
        "gender": _col(
            [GENDERS.index(s.gender) if s.gender in GENDERS else -2 for s in students], np.int8
        ),
        "smokes": _col([s.smokes for s in students], bool),
        "accepts_smoking": _col([s.accepts_smoking_home for s in students], bool),
        "pet_allergy": _col([s.pet_allergy for s in students], bool),
        "eligible": _col([s.eligible for s in students], bool),
        "max_commute": _col(
            [s.max_commute if s.max_commute is not None else np.inf for s in students],
            np.float32,
        ),
        "tasks": _col([_bits(s.help_tasks, HELP_TASKS) for s in students], np.uint16),
        "hours": _col([s.help_hours for s in students], np.int32),
        "times": _col([_bits(s.available_times, TIMES) for s in students], np.uint16),
        "late_nights": _col([s.late_nights for s in students], bool),
        "meals": _col([MEALS.index(s.meals) for s in students], np.float32),
        "interests": _col([_bits(s.interests, INTERESTS) for s in students], np.uint16),
        "languages": _col([_bits(s.languages, LANGUAGES) for s in students], np.uint16),
    }


# --- Assignment --------------------------------------------------------------------------


@dataclass(frozen=True)
class Pair:
    student_index: int
    host_index: int
    weight: float


def assign(weight: np.ndarray, capacities: Sequence[int]) -> list[Pair]:
    """Maximum-weight assignment of students (rows) to hosts (columns) with room capacities.

    Only allowed pairs (weight > 0) enter the solver, as a sparse graph: a host with capacity k
    gives k room slots, and each student also gets a private "stay unmatched" slot, so a full
    matching of the students always exists. Costs are C - weight (C above every weight) and C
    for staying unmatched, so the minimum-cost full matching is the maximum-weight assignment
    (LAPJVsp, exact). Memory grows with the allowed pairs, not students x rooms, and the result
    never contains an excluded pair.
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n_students, n_hosts = weight.shape
    caps = np.asarray(capacities, dtype=np.int64)
    n_slots = int(caps.sum()) if n_hosts else 0
    if n_students == 0 or n_slots == 0:
        return []
    slot_host = np.repeat(np.arange(n_hosts), caps)
    first_slot = np.cumsum(caps) - caps
    si, hi = np.nonzero(weight > 0)
    if si.size == 0:
        return []
    gains = weight[si, hi].astype(np.float64)
    per_pair = caps[hi]
    rows = np.repeat(si, per_pair)
    offsets = np.arange(rows.size) - np.repeat(np.cumsum(per_pair) - per_pair, per_pair)
    cols = np.repeat(first_slot[hi], per_pair) + offsets
    ceiling = float(gains.max()) + 1.0
    costs = np.concatenate([ceiling - np.repeat(gains, per_pair), np.full(n_students, ceiling)])
    rows = np.concatenate([rows, np.arange(n_students)])
    cols = np.concatenate([cols, n_slots + np.arange(n_students)])
    del gains, per_pair, offsets
    graph = csr_matrix((costs, (rows, cols)), shape=(n_students, n_slots + n_students))
    del costs, rows, cols
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    return [
        Pair(int(r), int(slot_host[c]), float(weight[r, slot_host[c]]))
        for r, c in zip(matched_rows, matched_cols, strict=True)
        if c < n_slots
    ]


@dataclass(frozen=True)
class Candidate:
    student_index: int
    host_index: int
    combined: float
    host_side: float
    student_side: float
    assigned: bool


@dataclass
class MatchingResult:
    pairs: list[Pair]
    scores: Scores
    shortlist_for_host: dict[int, list[Candidate]]  # host index -> best students
    shortlist_for_student: dict[int, list[Candidate]]  # student index -> best hosts
    excluded_by_reason: dict[str, int]

    @property
    def total(self) -> float:
        """The sum of the assigned pairs' combined scores (the shown numbers, no tie-break)."""
        combined = self.scores.combined
        return sum(float(combined[p.student_index, p.host_index]) for p in self.pairs)


def run(
    hosts: Sequence[Host],
    students: Sequence[Student],
    term: Term,
    commute: CommuteTable,
    *,
    min_score: float = MIN_SCORE,
    shortlist_size: int = SHORTLIST_SIZE,
) -> MatchingResult:
    """Score, assign, and build each side's shortlist (the assigned pair always on it)."""
    scores = score_matrix(hosts, students, term, commute, min_score=min_score)
    weight = scores.weight
    pairs = assign(weight, [h.capacity for h in hosts])
    assigned = {(p.student_index, p.host_index) for p in pairs}

    def candidate(si: int, hi: int) -> Candidate:
        return Candidate(
            si,
            hi,
            round(float(scores.combined[si, hi]), 1),
            round(float(scores.host_side[si, hi]), 1),
            round(float(scores.student_side[si, hi]), 1),
            (si, hi) in assigned,
        )

    def best(line: np.ndarray, keep: set[int]) -> list[int]:
        allowed = np.flatnonzero(line > 0)
        if allowed.size > shortlist_size:  # partial sort: only the top few are needed
            allowed = allowed[np.argpartition(-line[allowed], shortlist_size)[:shortlist_size]]
        top = set(allowed.tolist()) | keep
        return sorted(top, key=lambda i: (-line[i], i))

    students_of: dict[int, set[int]] = {}
    host_of: dict[int, set[int]] = {}
    for si, hi in assigned:
        students_of.setdefault(hi, set()).add(si)
        host_of.setdefault(si, set()).add(hi)
    columns = np.ascontiguousarray(weight.T)  # one host's column, contiguous in memory
    by_host = {
        hi: [candidate(si, hi) for si in best(columns[hi], students_of.get(hi, set()))]
        for hi in range(len(hosts))
    }
    by_student = {
        si: [candidate(si, hi) for hi in best(weight[si], host_of.get(si, set()))]
        for si in range(len(students))
    }
    return MatchingResult(pairs, scores, by_host, by_student, count_reasons(scores.mask))


def count_reasons(mask: np.ndarray) -> dict[str, int]:
    return {
        reason.name or str(int(reason)): int(np.count_nonzero(mask & np.uint16(reason)))
        for reason in Reason
    }


def pair_reasons(host: Host, student: Student, commute: CommuteTable) -> list[dict]:
    """Plain facts behind a pair's scores, as codes with parameters (translated for display)."""
    reasons: list[dict] = []
    minutes = commute.get((host.district, student.university))
    reasons.append({"code": "commute", "params": {"minutes": minutes}})
    wanted = [t for t in HELP_TASKS if t in host.help_tasks]
    offered = [t for t in wanted if t in student.help_tasks]
    if wanted:
        missing = [t for t in wanted if t not in student.help_tasks]
        reasons.append(
            {
                "code": "tasks",
                "params": {"offered": len(offered), "wanted": len(wanted), "missing": missing},
            }
        )
    reasons.append(
        {"code": "hours", "params": {"offered": student.help_hours, "wanted": host.help_hours}}
    )
    common_times = [t for t in TIMES if t in host.help_times and t in student.available_times]
    if host.help_times:
        reasons.append({"code": "schedule", "params": {"common": common_times}})
    if host.quiet_home and student.late_nights:
        reasons.append({"code": "quiet_vs_late", "params": {}})
    if host.meals == student.meals:
        reasons.append({"code": "meals_same", "params": {"meals": host.meals}})
    shared = [i for i in INTERESTS if i in host.interests and i in student.interests]
    if shared:
        reasons.append({"code": "interests", "params": {"shared": shared}})
    languages = [lang for lang in LANGUAGES if lang in host.languages and lang in student.languages]
    reasons.append({"code": "languages", "params": {"shared": languages}})
    reasons.append(
        {"code": "rent", "params": {"rent": host.rent, "slack": student.budget - host.rent}}
    )
    return reasons
