"""Load scenarios for `make bench`: residents, volunteers at desks, staff, the public.

    var/bench-venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s \\
      --host http://127.0.0.1:8300 --csv var/bench/load

Reads the JSON written by bench/prepare.py (BENCH_TARGETS): sessions per role and the URL of
each scenario; a scenario whose page does not exist in this checkout is skipped, not failed.
Each response's X-DB-Queries header (bench/middleware.py) is averaged per endpoint into
BENCH_QUERIES so the report can print SQL queries per request.

Think times are what a person does between two requests (the issue's "50 concurrent users"
are people, not request loops); the report prints them with the load they offer:

- resident on a phone: 5-15 s between page views (read a result list, scroll, tap a title,
  read the item page); 50 residents offer about 50 / 10 s = 5 page views a second.
- volunteer at a desk: 10-30 s per lending (ask for the card, scan it, scan the item, hand it
  over, take one back); a cycle is 4 requests, so 50 desks offer about 10 requests a second.
- staff and the public dashboard: 2-5 s and 1-3 s (they click through figures).

BENCH_MIX=saturate-floor or saturate-search instead runs a few users with no think time at
all: the most requests a second the stack serves for `/healthz` or a catalogue search, so a
target met at the human load is not hiding a stack that would fall over at twice that.
BENCH_MIX=saturate-read mixes catalogue searches and item pages (bench/nodes.py's read mix).

BENCH_HOSTS (a comma-separated list of base URLs, bench/nodes.py) spreads the users over
several web nodes, each user on one of them in turn; unset, every user uses --host.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
from collections import defaultdict
from urllib.parse import quote

from locust import HttpUser, between, constant, events, task

with open(os.environ["BENCH_TARGETS"], encoding="utf-8") as _targets:
    TARGETS = json.load(_targets)
SCENARIOS = {k: v["url"] for k, v in TARGETS["scenarios"].items()}
COOKIE = TARGETS["cookie_name"]
QUERIES: dict[str, list[int]] = defaultdict(list)
MIX = os.environ.get("BENCH_MIX", "residents")  # residents | desk | reports | saturate-*
THINK = {  # seconds between two tasks of one user, (min, max): see the docstring
    "resident": (5.0, 15.0),
    "volunteer": (10.0, 30.0),
    "staff": (2.0, 5.0),
    "public": (1.0, 3.0),
    "saturate": (0.0, 0.0),
}


@events.request.add_listener
def _count_queries(name, response, **_kwargs):  # type: ignore[no-untyped-def]
    if response is not None and "X-DB-Queries" in getattr(response, "headers", {}):
        QUERIES[name].append(int(response.headers["X-DB-Queries"]))


@events.quitting.add_listener
def _write_queries(environment, **_kwargs):  # type: ignore[no-untyped-def]
    summary: dict[str, object] = {name: sum(v) / len(v) for name, v in QUERIES.items() if v}
    summary["_think"] = {
        cls.__name__: THINK[cls.think]
        for cls in (Resident, Public, Staff, Volunteer, Saturate)
        if cls.weight
    }
    with open(os.environ["BENCH_QUERIES"], "w", encoding="utf-8") as out:
        json.dump(summary, out)


def _get(user: HttpUser, scenario: str, suffix: str = "", name: str | None = None) -> None:
    url = SCENARIOS.get(scenario)
    if url:
        user.client.get(url + suffix, name=name or scenario)


def _item(user: HttpUser) -> None:
    """The page of one of the 500 titles with the most copies."""
    url = SCENARIOS.get("item")
    if url:
        title = random.choice(TARGETS["titles"][:500])
        user.client.get(url.rsplit("/", 2)[0] + f"/{title}/", name="item")


def _refusal_is_an_answer(response) -> None:  # type: ignore[no-untyped-def]
    """A 4xx refusal (no free copy, member at their limit) is a correct answer, not an error:
    count it under its own name so the times of refusals and successes stay apart."""
    if 400 <= response.status_code < 500:
        response.request_meta["name"] += " (refused 4xx)"
        response.success()


class Resident(HttpUser):
    """Searches, opens an item, books it, looks at their loans (and the floor + dashboard)."""

    weight = 1 if MIX == "residents" else 0
    think = "resident"
    wait_time = between(*THINK["resident"])

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
        _item(self)

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
    think = "public"
    wait_time = between(*THINK["public"])

    @task
    def dashboard(self) -> None:
        _get(self, "floor")
        _get(self, "dashboard")
        _get(self, "home")


class Staff(HttpUser):
    weight = 1 if MIX == "reports" else 0
    fixed_count = 2 if MIX == "reports" else 0
    think = "staff"
    wait_time = between(*THINK["staff"])

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
    think = "volunteer"
    wait_time = between(*THINK["volunteer"])
    started = 0  # Locust users started so far in this process (they share the desks)

    def on_start(self) -> None:
        desks = TARGETS["desks"]
        number = Volunteer.started
        Volunteer.started += 1
        self.desk = desks[number % len(desks)]
        self.client.cookies.set(COOKIE, self.desk["session"])
        # Users on one desk take disjoint copies from its shelf, so no two lend one copy.
        users = max(1, getattr(self.environment.parsed_options, "num_users", 1) or 1)
        per_desk = max(1, -(-users // len(desks)))
        self.codes = self.desk["codes"][number // len(desks) :: per_desk]

    def _desk(self, scenario: str) -> str | None:
        url = SCENARIOS.get(scenario)
        if not url or not self.desk["slug"]:
            return None
        # the sample URL was reversed for the first desk's place: swap in this desk's slug
        first = TARGETS["desks"][0]["slug"]
        return url.replace(f"/{first}/", f"/{self.desk['slug']}/")

    @task
    def check_out_and_in(self) -> None:
        _get(self, "floor")
        page = self._desk("desk")
        if page:
            self.client.get(page, name="desk")
        out, back = self._desk("desk_check_out"), self._desk("desk_check_in")
        if not (out and self.codes):
            return
        code = random.choice(self.codes)
        member = random.choice(TARGETS["member_numbers"])
        headers = {
            "X-CSRFToken": self.client.cookies.get("csrftoken", ""),
            "Referer": self.host + (page or "/"),
        }
        body = {"member_number": member, "codes": [code]}
        lent = False
        with self.client.post(
            out, json=body, name="desk_check_out", headers=headers, catch_response=True
        ) as response:
            _refusal_is_an_answer(response)
            lent = response.status_code == 200 and _line_lent(response)
        if back and lent:
            with self.client.post(
                back,
                json={"code": code},
                name="desk_check_in",
                headers=headers,
                catch_response=True,
            ) as response:
                _refusal_is_an_answer(response)


def _line_lent(response) -> bool:  # type: ignore[no-untyped-def]
    """A check-out answers 200 with one line per item; a refused line (member blocked, copy
    taken) is counted apart, with its reason, so "2xx" never hides a desk that lends nothing."""
    try:
        lines = response.json()
    except ValueError:
        return False
    if lines and all(line.get("ok") for line in lines):
        return True
    reason = next((line.get("error_code") for line in lines if not line.get("ok")), "?")
    response.request_meta["name"] += f" (refused line: {reason})"
    response.success()
    return False


class Saturate(HttpUser):
    """No think time: how many requests a second the stack serves at most (BENCH_MIX=
    saturate-floor, saturate-search or saturate-compare-*; run with a few users, e.g. -u 8)."""

    weight = 1 if MIX.startswith("saturate") else 0
    think = "saturate"
    wait_time = constant(0)

    started = 0  # Saturate users started so far in this process (they take BENCH_HOSTS in turn)

    def on_start(self) -> None:
        self.client.cookies.set(COOKIE, random.choice(TARGETS["residents"]))
        hosts = [h for h in os.environ.get("BENCH_HOSTS", "").split(",") if h]
        if hosts:
            self.client.base_url = hosts[Saturate.started % len(hosts)]
        Saturate.started += 1

    @task
    def hit(self) -> None:
        if MIX == "saturate-read":
            if random.random() < 0.5:
                _get(self, "search", "?q=" + random.choice(TARGETS["words"]))
            else:
                _item(self)
        elif MIX == "saturate-search":
            _get(self, "search", "?q=" + random.choice(TARGETS["words"]))
        elif MIX.startswith("saturate-compare-"):
            # saturate-compare-<search|reference|login>[-<word class>] (bin/run-bench)
            target, _sep, word_class = MIX.removeprefix("saturate-compare-").partition("-")
            words = TARGETS["word_classes"].get(word_class) or [""]
            _get(self, target, "?q=" + quote(random.choice(words)) if word_class else "")
        else:
            _get(self, "floor")
