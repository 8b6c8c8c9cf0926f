"""Load scenarios for `make bench`: residents, volunteers at desks, staff, the public.

    var/bench-venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s \\
      --host http://127.0.0.1:8300 --csv var/bench/load

Reads the JSON written by bench/prepare.py (BENCH_TARGETS): sessions per role and the URL of
each scenario; a scenario whose page does not exist in this checkout is skipped, not failed.
Each response's X-DB-Queries header (bench/middleware.py) is averaged per endpoint into
BENCH_QUERIES so the report can print SQL queries per request.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections import defaultdict

from locust import HttpUser, between, events, task

with open(os.environ["BENCH_TARGETS"], encoding="utf-8") as _targets:
    TARGETS = json.load(_targets)
SCENARIOS = {k: v["url"] for k, v in TARGETS["scenarios"].items()}
COOKIE = TARGETS["cookie_name"]
QUERIES: dict[str, list[int]] = defaultdict(list)
MIX = os.environ.get("BENCH_MIX", "public")  # public | desk


@events.request.add_listener
def _count_queries(name, response, **_kwargs):  # type: ignore[no-untyped-def]
    if response is not None and "X-DB-Queries" in getattr(response, "headers", {}):
        QUERIES[name].append(int(response.headers["X-DB-Queries"]))


@events.quitting.add_listener
def _write_queries(environment, **_kwargs):  # type: ignore[no-untyped-def]
    summary = {name: sum(v) / len(v) for name, v in QUERIES.items() if v}
    with open(os.environ["BENCH_QUERIES"], "w", encoding="utf-8") as out:
        json.dump(summary, out)


def _get(user: HttpUser, scenario: str, suffix: str = "", name: str | None = None) -> None:
    url = SCENARIOS.get(scenario)
    if url:
        user.client.get(url + suffix, name=name or scenario)


class Resident(HttpUser):
    """Searches, opens an item, books it, looks at their loans (and the floor + dashboard)."""

    weight = 0 if MIX == "desk" else 4
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, random.choice(TARGETS["residents"]))

    @task(1)
    def floor(self) -> None:
        _get(self, "floor")

    @task(6)
    def search(self) -> None:
        _get(self, "search", "?q=" + random.choice(TARGETS["words"]))

    @task(6)
    def item(self) -> None:
        url = SCENARIOS.get("item")
        if url:
            title = random.choice(TARGETS["titles"][:500])
            self.client.get(url.rsplit("/", 2)[0] + f"/{title}/", name="item")

    @task(2)
    def my_loans(self) -> None:
        _get(self, "my_loans")

    @task(1)
    def book(self) -> None:
        url = SCENARIOS.get("book")
        if not url:
            return
        title = random.choice(TARGETS["titles"])
        page = url.rsplit("/", 3)[0] + f"/{title}/"
        self.client.get(page, name="item")
        start = dt.date.today() + dt.timedelta(days=random.randint(20, 50))
        data = {
            "start": start.isoformat(),
            "end": (start + dt.timedelta(days=3)).isoformat(),
            "place": TARGETS["title_places"].get(str(title), ""),
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            page + "book/",
            data=data,
            name="book",
            catch_response=True,
            headers={"Referer": self.host + page},
        ) as response:
            # A refusal (no free copy, limit reached) is a correct answer, not an error.
            if response.status_code < 500:
                response.success()


class Public(HttpUser):
    weight = 0 if MIX == "desk" else 1
    wait_time = between(1, 3)

    @task
    def dashboard(self) -> None:
        _get(self, "dashboard")
        _get(self, "home")


class Staff(HttpUser):
    weight = 0 if MIX == "desk" else 1
    fixed_count = 0 if MIX == "desk" else 2
    wait_time = between(2, 5)

    def on_start(self) -> None:
        if TARGETS["staff"]:
            self.client.cookies.set(COOKIE, random.choice(TARGETS["staff"]))

    @task
    def report(self) -> None:
        _get(self, "staff_report")


class Volunteer(HttpUser):
    """A desk: check out a free item, check it back in."""

    weight = 1 if MIX == "desk" else 0
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.desk = random.choice(TARGETS["desks"])
        self.client.cookies.set(COOKIE, self.desk["session"])

    @task
    def check_out_and_in(self) -> None:
        _get(self, "floor")
        _get(self, "desk")
        out, back = SCENARIOS.get("desk_check_out"), SCENARIOS.get("desk_check_in")
        if not (out and self.desk["codes"]):
            return
        code = random.choice(self.desk["codes"])
        member = random.choice(TARGETS.get("member_numbers") or [""])
        token = self.client.cookies.get("csrftoken", "")
        headers = {"Referer": self.host + out}
        data = {"code": code, "item": code, "member": member, "csrfmiddlewaretoken": token}
        self.client.post(out, data=data, name="desk_check_out", headers=headers)
        if back:
            self.client.post(back, data=data, name="desk_check_in", headers=headers)
