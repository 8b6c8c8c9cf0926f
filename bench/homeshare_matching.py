"""Home-share matching at city scale: generate random instances, time each phase, measure memory.

    .venv/bin/python bench/homeshare_matching.py            # 500x500 and 5,000x5,000
    .venv/bin/python bench/homeshare_matching.py 2000 2000  # any sizes: hosts students

Pure matcher only (homeshare.matching): no database. The cost matrix is dense (students x host
rooms); no sparse candidate lists are used. Memory is the peak resident set size of a fresh
child process per size, so one size's allocations don't hide the next one's.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from homeshare import matching  # noqa: E402

TERM = matching.Term(date(2026, 3, 1), date(2026, 8, 31))


def commute_table() -> tuple[dict[tuple[str, str], int], list[str], list[str]]:
    data = json.loads((ROOT / "homeshare" / "data" / "commute_seoul.json").read_text("utf-8"))
    table = {
        (district, uni): minutes
        for district, row in data["minutes"].items()
        for uni, minutes in row.items()
    }
    return table, sorted(data["minutes"]), [u["code"] for u in data["universities"]]


def instance(n_hosts: int, n_students: int, seed: int = 7):  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    commute, districts, universities = commute_table()

    def some(vocabulary: tuple[str, ...], low: int, high: int) -> frozenset[str]:
        return frozenset(rng.sample(vocabulary, rng.randint(low, high)))

    def start() -> date:
        return TERM.start + timedelta(days=rng.randint(-30, 20))

    hosts = [
        matching.Host(
            id=i,
            district=rng.choice(districts),
            capacity=rng.choice([1, 1, 1, 2]),
            rent=rng.randrange(150_000, 350_000, 10_000),
            available_from=start(),
            available_until=None if rng.random() < 0.7 else TERM.end + timedelta(days=90),
            min_term_months=rng.choice([3, 6, 6]),
            help_tasks=some(matching.HELP_TASKS, 1, 4),
            help_hours=rng.randint(4, 12),
            help_times=some(matching.TIMES, 1, 3),
            smoking_household=rng.random() < 0.1,
            has_pets=rng.random() < 0.2,
            student_gender=rng.choice(["any", "any", "female", "male"]),
            quiet_home=rng.random() < 0.4,
            meals=rng.choice(matching.MEALS),
            languages=frozenset({"ko"}) | some(matching.LANGUAGES, 0, 1),
            interests=some(matching.INTERESTS, 1, 4),
        )
        for i in range(n_hosts)
    ]
    students = [
        matching.Student(
            id=i,
            university=rng.choice(universities),
            gender=rng.choice(["female", "male"]),
            budget=rng.randrange(180_000, 400_000, 10_000),
            available_from=start(),
            available_until=None if rng.random() < 0.8 else TERM.end + timedelta(days=30),
            districts=some(tuple(districts), 0, 5) if rng.random() < 0.3 else frozenset(),
            max_commute=rng.choice([None, 40, 50, 60]),
            help_tasks=some(matching.HELP_TASKS, 2, 5),
            help_hours=rng.randint(5, 12),
            available_times=some(matching.TIMES, 1, 3),
            smokes=rng.random() < 0.05,
            accepts_smoking_home=rng.random() < 0.2,
            pet_allergy=rng.random() < 0.1,
            late_nights=rng.random() < 0.3,
            meals=rng.choice(matching.MEALS),
            languages=frozenset({"ko"}) | some(matching.LANGUAGES, 0, 1),
            interests=some(matching.INTERESTS, 1, 4),
        )
        for i in range(n_students)
    ]
    return hosts, students, commute


def measure(n_hosts: int, n_students: int) -> dict[str, float]:
    hosts, students, commute = instance(n_hosts, n_students)
    t0 = time.perf_counter()
    scores = matching.score_matrix(hosts, students, TERM, commute)
    t1 = time.perf_counter()
    weight = scores.weight
    pairs = matching.assign(weight, [h.capacity for h in hosts])
    t2 = time.perf_counter()
    allowed, matched = int((scores.mask == 0).sum()), len(pairs)
    del scores, weight, pairs  # the full run below allocates its own
    result = matching.run(hosts, students, TERM, commute)  # the whole run, shortlists included
    t3 = time.perf_counter()
    return {
        "hosts": n_hosts,
        "students": n_students,
        "rooms": sum(h.capacity for h in hosts),
        "allowed_pairs": allowed,
        "matched": matched,
        "score_s": round(t1 - t0, 2),
        "assign_s": round(t2 - t1, 2),
        "full_run_s": round(t3 - t2, 2),
        "total": round(result.total, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        print(json.dumps(measure(int(argv[1]), int(argv[2]))))
        return
    sizes = [(int(argv[0]), int(argv[1]))] if len(argv) == 2 else [(500, 500), (5000, 5000)]
    print(
        "hosts x students | rooms | allowed pairs | matched"
        " | score s | assign s | full run s | peak RSS"
    )
    for n_hosts, n_students in sizes:
        out = subprocess.run(  # a fresh process per size: honest peak memory
            [sys.executable, __file__, "--one", str(n_hosts), str(n_students)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(
            f"{r['hosts']} x {r['students']} | {r['rooms']} | {r['allowed_pairs']:,} | "
            f"{r['matched']} | {r['score_s']} | {r['assign_s']} | {r['full_run_s']} | "
            f"{r['peak_rss_mb']} MB"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
