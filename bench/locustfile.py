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
MIX = os.environ.get("BENCH_MIX", "residents")  # residents | desk | reports


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


def _refusal_is_an_answer(response) -> None:  # type: ignore[no-untyped-def]
    """A 4xx refusal (no free copy, member at their limit) is a correct answer, not an error:
    count it under its own name so the times of refusals and successes stay apart."""
    if 400 <= response.status_code < 500:
        response.request_meta["name"] += " (refused 4xx)"
        response.success()


class Resident(HttpUser):
    """Searches, opens an item, books it, looks at their loans (and the floor + dashboard)."""

    weight = 1 if MIX == "residents" else 0
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
            _refusal_is_an_answer(response)


class Public(HttpUser):
    """The public dashboard: measured on its own, a few users, so its cost shows plainly."""

    weight = 1 if MIX == "reports" else 0
    wait_time = between(1, 3)

    @task
    def dashboard(self) -> None:
        _get(self, "floor")
        _get(self, "dashboard")
        _get(self, "home")


class Staff(HttpUser):
    weight = 1 if MIX == "reports" else 0
    fixed_count = 2 if MIX == "reports" else 0
    wait_time = between(2, 5)

    def on_start(self) -> None:
        if TARGETS["staff"]:
            self.client.cookies.set(COOKIE, random.choice(TARGETS["staff"]))

    @task
    def report(self) -> None:
        _get(self, "floor")
        _get(self, "staff_report")


class Volunteer(HttpUser):
    """A desk: open the desk page, check out a free item by API, check it back in."""

    weight = 1 if MIX == "desk" else 0
    wait_time = between(0.5, 1.5)

    def on_start(self) -> None:
        self.desk = random.choice(TARGETS["desks"])
        self.client.cookies.set(COOKIE, self.desk["session"])

    def _desk(self, scenario: str) -> str | None:
        url = SCENARIOS.get(scenario)
        sample = TARGETS["scenarios"][scenario]
        if not url or not self.desk["slug"]:
            return None
        # the sample URL was reversed for the first desk's place: swap in this desk's slug
        first = TARGETS["desks"][0]["slug"]
        return url.replace(f"/{first}/", f"/{self.desk['slug']}/") if sample else url

    @task
    def check_out_and_in(self) -> None:
        _get(self, "floor")
        page = self._desk("desk")
        if page:
            self.client.get(page, name="desk")
        out, back = self._desk("desk_check_out"), self._desk("desk_check_in")
        if not (out and self.desk["codes"]):
            return
        code = random.choice(self.desk["codes"])
        member = random.choice(TARGETS["member_numbers"])
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": self.host + (page or "/"),
        }
        body = {"member_number": member, "codes": [code]}
        # A refusal (member at their limit, briefing needed) is a correct answer, not an error.
        with self.client.post(
            out, json=body, name="desk_check_out", headers=headers, catch_response=True
        ) as response:
            _refusal_is_an_answer(response)
        if back:
            with self.client.post(
                back,
                json={"code": code},
                name="desk_check_in",
                headers=headers,
                catch_response=True,
            ) as response:
                _refusal_is_an_answer(response)
