"""Two web nodes and two Celery workers on one database and one Redis (issue 21).

    .venv/bin/python bench/nodes.py [--out var/bench/small-nodes] [--port 8411] [--seconds 10]

Run by bin/run-bench when NODES=1, against the bench database (DATABASE_URL, REDIS_URL and
SECRET_KEY from the environment, as run-bench exports them). It starts two gunicorn nodes
(gunicorn.conf.py, ports PORT and PORT+1) and two workers on a queue of the run's own, and
prints, for each claim of a multi-node deployment, what it saw:

1. a 20-way booking race for one copy, split over the nodes, has one winner;
2. a category renamed through node A shows on node B's catalogue at once;
3. booking notices, queued three times each, are delivered once;
4. read throughput with one node and with two (the same two cores: overhead, not scale-out);
5. desk check-out latency while the city-wide report runs, reads on the primary or a replica.

Figures only: nothing here passes or fails on a time. Every process it starts is stopped at
the end, whatever happens.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import html.parser
import itertools
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sharing_city.settings.base")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402
from django.urls import reverse  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402

from bench.prepare import lendable_codes, session_for  # noqa: E402
from lending.models import Booking, Category, Item, Loan, Occupancy, Place, PlaceRole  # noqa: E402
from lending.opening import closed_days  # noqa: E402
from lending.rules import rule_for  # noqa: E402
from sharing_city.accounts.models import Role, User  # noqa: E402
from sharing_city.notifications.models import Notice  # noqa: E402

PY = ROOT / ".venv/bin"
LOCUST = ROOT / "var/bench-venv/bin/locust"
COOKIE = settings.SESSION_COOKIE_NAME


# --- HTTP -------------------------------------------------------------------------------------


class Answer:
    def __init__(self, status: int, body: bytes, headers: Any) -> None:
        self.status, self.body, self.headers = status, body, headers

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self) -> Any:
        try:
            return json.loads(self.body)
        except ValueError:
            return None


def call(
    method: str,
    url: str,
    *,
    data: dict[str, Any] | None = None,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One request; an HTTP error status is an answer, not an exception (a refusal is data)."""
    body = None
    headers = dict(headers or {})
    if data is not None:
        body = json.dumps(data).encode()
        headers["Content-Type"] = "application/json"
    elif form is not None:
        body = urllib.parse.urlencode(form).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return Answer(response.status, response.read(), response.headers)
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read(), error.headers)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A 302 after an admin save is the answer we check, not a page to follow."""

    def redirect_request(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def token_for(user: User) -> dict[str, str]:
    """API token headers: no CSRF dance, and the same credential works on every node."""
    token, _created = Token.objects.get_or_create(user=user)
    return {"Authorization": f"Token {token.key}"}


def session_headers(user: User, referer: str) -> dict[str, str]:
    """A logged-in browser: session cookie (bench/prepare.py's way) plus a CSRF pair."""
    csrf = uuid.uuid4().hex + uuid.uuid4().hex  # any 32-64 character secret is a valid token
    return {
        "Cookie": f"{COOKIE}={session_for(user)}; csrftoken={csrf}",
        "X-CSRFToken": csrf,
        "Referer": referer,
    }


# --- The processes ----------------------------------------------------------------------------


class Cluster:
    """Two gunicorn nodes and two Celery workers, configured like run-bench's gunicorn."""

    def __init__(self, out: Path, port: int) -> None:
        self.out, self.ports = out, (port, port + 1)
        self.queue = f"nodes-{uuid.uuid4().hex[:8]}"
        self.mail = out / "nodes-mail"
        self.web: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    @property
    def urls(self) -> list[str]:
        return [f"http://127.0.0.1:{port}" for port in self.ports]

    def env(self, replica_url: str | None) -> dict[str, str]:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.nodes_settings",
            "NODES_QUEUE": self.queue,
            "NODES_MAIL_DIR": str(self.mail),
            "SMS_FILE_PATH": str(self.out / "nodes-sms"),
            # The API's per-member write limit (60/min) would answer a desk's tenth check-out
            # in ten seconds with a 429: measure the check-out, not the limiter.
            "API_RATE_WRITE": "100000/min",
            "API_RATE_USER": "100000/min",
        }
        env.pop("DATABASE_REPLICA_URL", None)
        if replica_url:
            env["DATABASE_REPLICA_URL"] = replica_url
        return env

    def start_web(self, replica_url: str | None = None) -> None:
        env = self.env(replica_url)
        env.setdefault("WEB_CONCURRENCY", os.environ.get("BENCH_WORKERS", "2"))
        env.setdefault("GUNICORN_THREADS", os.environ.get("BENCH_THREADS", "4"))
        for name, port in zip("ab", self.ports, strict=True):
            command = [str(PY / "gunicorn"), "--config", "gunicorn.conf.py"]
            command += ["--bind", f"127.0.0.1:{port}", "--timeout", "60"]
            command += ["--access-logfile", "/dev/null"]
            command += ["--error-logfile", str(self.out / f"node-{name}.log")]
            self.web.append(_spawn(command, env, self.out / f"node-{name}.out"))
        for url in self.urls:
            _wait_until(partial(_healthy, url), url, 60)
            warm(url)

    def start_workers(self) -> None:
        # A fresh outbox: booking ids start again in a regenerated database, and an earlier
        # run's message of the same id would count as a second copy.
        shutil.rmtree(self.mail, ignore_errors=True)
        shutil.rmtree(self.out / "nodes-sms", ignore_errors=True)
        env = self.env(None)
        for name in "ab":
            log = self.out / f"worker-{name}.log"
            log.unlink(missing_ok=True)
            command = [str(PY / "celery"), "-A", "sharing_city", "worker", "-c", "1"]
            command += ["-Q", self.queue, "-n", f"{self.queue}-{name}@%h"]
            command += ["--without-mingle", "--without-gossip", "--loglevel=INFO"]
            self.workers.append(_spawn(command, env, log))
        for name in "ab":
            log = self.out / f"worker-{name}.log"
            _wait_until(partial(_says_ready, log), log.name, 60)

    def stop_web(self) -> None:
        _stop(self.web)
        self.web = []

    def stop(self) -> None:
        _stop(self.web + self.workers)
        self.web, self.workers = [], []


def _healthy(node: str) -> bool:
    return call("GET", node + "/healthz").status == 200


def _says_ready(log: Path) -> bool:
    return "ready." in log.read_text(errors="replace")


def warm(node: str) -> None:
    """Every thread of the node renders the pages once (templates compiled, connections open),
    as run-bench warms its gunicorn, so a cold start is not what the first figures measure."""
    for _ in range(16):
        call("GET", node + reverse("lending:catalogue") + "?q=drill")
        call("GET", node + reverse("reports:public"))


def _spawn(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # A session of its own, so stopping it stops its children (gunicorn's workers, the pool).
    with log.open("ab") as handle:
        return subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            process.wait(25)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def _wait_until(ready: Callable[[], bool], what: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError):
            if ready():
                return
        time.sleep(0.3)
    raise RuntimeError(f"{what} not ready after {seconds:.0f} s")


# --- Fixtures from the bench data -------------------------------------------------------------


def free_members(count: int, exclude: set[int] = frozenset()) -> list[User]:  # type: ignore[assignment]
    """Verified members with nothing overdue and no active booking: a refusal in the race must
    be the copy being taken, not a member at a limit."""
    today = dt.date.today()
    overdue = Loan.objects.filter(
        member=OuterRef("pk"), returned_at__isnull=True, due_date__lt=today
    )
    booked = Booking.objects.active().filter(member=OuterRef("pk"))
    members = (
        User.objects.filter(username__startswith="member", is_verified=True, is_active=True)
        .exclude(pk__in=exclude)
        .exclude(Exists(overdue))
        .exclude(Exists(booked))
        .order_by("pk")
    )
    return list(members[:count])


def free_copies(count: int, start: dt.date, end: dt.date) -> list[Item]:
    """Copies a member can book for [start, end]: open on both days, nothing in the way."""
    found: list[Item] = []
    for item in (
        Item.objects.filter(status=Item.Status.ACTIVE)
        .exclude(place__kind=Place.Kind.CLOSET)
        .select_related("place", "title")
        .order_by("pk")[:2000]
    ):
        rule = rule_for(item.title.category_id, item.place_id)
        span = end + dt.timedelta(days=1 + rule.turnaround_days)
        closed = closed_days(item.place, start, end)
        if (
            (end - start).days + 1 <= rule.loan_days
            and start <= dt.date.today() + dt.timedelta(days=rule.booking_horizon_days)
            and start not in closed
            and end not in closed
            and not Occupancy.objects.overlapping(item, start, span).exists()
        ):
            found.append(item)
            if len(found) == count:
                break
    return found


def booking_dates() -> tuple[dt.date, dt.date]:
    """Two weekdays (Tuesday to Friday) a few days ahead: places close on some weekends."""
    start = dt.date.today() + dt.timedelta(days=3)
    while start.weekday() not in (1, 2, 3):
        start += dt.timedelta(days=1)
    return start, start + dt.timedelta(days=1)


def city_admin() -> User:
    admin, _created = User.objects.get_or_create(
        username="bench-nodes-admin",
        defaults={"role": Role.ADMIN, "is_staff": True, "is_superuser": True},
    )
    return admin


def in_threads(jobs: list[Callable[[], Any]]) -> list[Any]:
    """Run the jobs at once, released together by a barrier, and return their results."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = jobs[index]()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def booker(
    node: str, member: User, item: Item, start: dt.date, end: dt.date
) -> Callable[[], Answer]:
    """A booking request ready to send (its token made now, not in the race)."""
    body = {"title": item.title_id, "item": item.code, "start": str(start), "end": str(end)}
    url, headers = node + reverse("api:lending-book"), token_for(member)
    return lambda: call("POST", url, data=body, headers=headers)


# --- 1. The race ------------------------------------------------------------------------------


def race(cluster: Cluster) -> None:
    start, end = booking_dates()
    [item] = free_copies(1, start, end)
    members = free_members(20)
    a, b = cluster.urls
    jobs = [booker(a if i < 10 else b, m, item, start, end) for i, m in enumerate(members)]
    answers = in_threads(jobs)
    won = sum(1 for answer in answers if answer.status == 201)
    refusals = Counter(
        f"{answer.status} {(answer.json() or {}).get('code', '?')}"
        for answer in answers
        if 400 <= answer.status < 500
    )
    errors = sum(1 for answer in answers if answer.status >= 500)
    kept = Booking.objects.filter(item=item, start_date=start).count()
    print(f"## 1. Booking race: {len(members)} members, one copy ({item.code}), {start}-{end}")
    print(f"  10 through node A ({a}), 10 through node B ({b}), released together")
    print(f"  successes: {won} (must be 1); bookings of the copy in the database: {kept}")
    print(f"  refusals by status: {dict(refusals) or 'none'}")
    print(f"  5xx: {errors} (must be 0)")


# --- 2. Caches across nodes -------------------------------------------------------------------


class _FormFields(html.parser.HTMLParser):
    """The values a browser would post back from the admin change form."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {k: v or "" for k, v in attrs}
        name = attr.get("name")
        if tag == "input" and name and attr.get("type") not in ("submit", "checkbox", "file"):
            self.fields[name] = attr.get("value", "")
        elif tag == "input" and name and attr.get("type") == "checkbox" and "checked" in attr:
            self.fields[name] = attr.get("value", "on")
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attr:
            self.fields[self._select] = attr.get("value", "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data


def rename(node: str, category: Category, name_ko: str, name_en: str) -> int:
    """Save the category through the admin change form, as a city admin would."""
    url = node + reverse("admin:lending_category_change", args=[category.pk])
    headers = session_headers(city_admin(), url)
    page = call("GET", url, headers=headers)
    parser = _FormFields()
    parser.feed(page.text)
    form = parser.fields | {"name_ko": name_ko, "name_en": name_en, "_save": "Save"}
    form["csrfmiddlewaretoken"] = headers["X-CSRFToken"]
    return call("POST", url, form=form, headers=headers).status


def caches(cluster: Cluster) -> None:
    a, b = cluster.urls
    category = Category.objects.order_by("slug").first()
    assert category is not None
    old_ko, old_en = category.name_ko, category.name_en
    marker = f"nodes-{uuid.uuid4().hex[:6]}"
    catalogue = b + reverse("lending:catalogue")
    before = call("GET", catalogue)  # node B now holds the lists and the form in the cache
    status = rename(a, category, f"{old_ko} {marker}", f"{old_en} {marker}")
    saved = time.monotonic()
    after = call("GET", catalogue)
    seen = time.monotonic() - saved
    restored = rename(a, category, old_ko, old_en)
    back = call("GET", catalogue)
    print(f"## 2. Cache invalidation: category '{category.slug}' renamed through node A")
    print(f"  node B catalogue before: {before.status}, old name shown: {old_ko in before.text}")
    print(f"  admin save on node A: HTTP {status} (302 = saved)")
    print(
        f"  node B catalogue right after ({seen * 1000:.0f} ms later): new name shown: "
        f"{marker in after.text}"
    )
    print(
        f"  renamed back: HTTP {restored}; node B shows the old name again: "
        f"{marker not in back.text and old_ko in back.text}"
    )


# --- 3. Notices once --------------------------------------------------------------------------


def notices(cluster: Cluster, count: int = 20) -> None:
    """Bookings through both nodes queue their confirmation; each notice's delivery task is
    then queued twice more (as a broker redelivery or a sweep would), so the two workers race
    for every notice three times."""
    from celery import Celery

    start, end = booking_dates()
    items = free_copies(count, start, end)
    members = free_members(len(items))
    a, b = cluster.urls
    pairs = enumerate(zip(members, items, strict=False))  # fewer members than copies: fewer
    jobs = [booker((a, b)[i % 2], m, it, start, end) for i, (m, it) in pairs]
    answers = in_threads(jobs)
    booked = [str(answer.json()["id"]) for answer in answers if answer.status == 201]
    rows = Notice.objects.filter(subject_type="booking", subject_id__in=booked)
    ids = list(rows.values_list("pk", flat=True))
    broker = Celery(broker=os.environ["REDIS_URL"])
    for notice_id in ids * 2:
        broker.send_task("notifications.deliver", args=[notice_id], queue=cluster.queue)
    broker.close()

    def settled() -> bool:
        return not rows.filter(status__in=["pending", "sending"]).exists()

    with contextlib.suppress(RuntimeError):
        _wait_until(settled, "the notices", 60)
    attempts = list(rows.values_list("attempts", flat=True))
    statuses = Counter(rows.values_list("status", flat=True))
    copies = Counter(_message_ids(cluster))
    mine = set(rows.values_list("message_id", flat=True))
    sent_copies = [copies[m] for m in mine]
    print(f"## 3. Notices: {len(booked)} bookings through both nodes, two workers")
    print(f"  notices created: {len(ids)}; delivery tasks queued: {len(ids) * 3} (3 per notice)")
    print(f"  statuses: {dict(statuses)}")
    print(
        f"  deliveries attempted per notice (Notice.attempts): max {max(attempts, default=0)} "
        f"(must be 1), total {sum(attempts)}"
    )
    print(
        f"  messages written by the mail and SMS backends for them: {sum(sent_copies)}, "
        f"most copies of one Message-ID: {max(sent_copies, default=0)}"
    )


def _message_ids(cluster: Cluster) -> Iterator[str]:
    """Message-IDs of what the backends sent: mail files and the SMS outbox."""
    for path in cluster.mail.glob("*"):
        for line in path.read_text(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                yield line.split(":", 1)[1].strip()
    outbox = cluster.out / "nodes-sms" / "outbox.jsonl"
    if outbox.exists():
        for line in outbox.read_text().splitlines():
            yield json.loads(line).get("message_id", "")


# --- 4. Throughput ----------------------------------------------------------------------------


def throughput(cluster: Cluster, targets: Path, seconds: int, users: int) -> None:
    a, b = cluster.urls
    one = _locust(cluster, targets, "nodes-one", seconds, users, [a])
    two = _locust(cluster, targets, "nodes-two", seconds, users, [a, b])
    print(f"## 4. Read throughput: search + item pages, {users} users, no think time, {seconds} s")
    for label, row in (("one node (A)", one), ("two nodes (A+B)", two)):
        print(
            f"  {label:<16} {float(row['Requests/s']):7.1f} req/s, {row['Failure Count']} "
            f"failures, p50 {row['50%']} ms, p95 {row['95%']} ms"
        )
    ratio = float(two["Requests/s"]) / max(float(one["Requests/s"]), 0.001)
    print(f"  two / one: {ratio:.2f}")
    print(
        f"  Both nodes share the same {os.cpu_count()} cores here (with PostgreSQL, Redis and "
        "Locust): the ratio measures the overhead of a second node, not scale-out."
    )


def _locust(
    cluster: Cluster, targets: Path, name: str, seconds: int, users: int, hosts: list[str]
) -> dict[str, str]:
    env = {
        **os.environ,
        "BENCH_TARGETS": str(targets),
        "BENCH_QUERIES": str(cluster.out / f"queries-{name}.json"),
        "BENCH_MIX": "saturate-read",
        "BENCH_HOSTS": ",".join(hosts),
    }
    command = [str(LOCUST), "-f", str(ROOT / "bench/locustfile.py"), "--headless"]
    command += ["-u", str(users), "-r", str(users), "-t", f"{seconds}s", "--host", hosts[0]]
    command += ["--csv", str(cluster.out / f"load-{name}"), "--only-summary"]
    with (cluster.out / f"locust-{name}.txt").open("wb") as log:
        subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    with (cluster.out / f"load-{name}_stats.csv").open(encoding="utf-8") as handle:
        return next(r for r in csv.DictReader(handle) if r["Name"] == "Aggregated")


# --- 5. Desk latency under the report ---------------------------------------------------------


def desk_under_report(cluster: Cluster, seconds: float) -> None:
    replica = replica_url()
    cases: list[tuple[str, str | None]] = [("reads on the primary", None)]
    if replica.startswith("postgres"):
        cases.append(("reads on the replica", replica))
    print(f"## 5. Desk check-outs while the city-wide staff report runs ({seconds:.0f} s each)")
    p50s: list[float] = []
    pool = desk_pool()
    for label, url in cases:
        if url is not None:  # the nodes again, now with a replica for their reads
            cluster.stop_web()
            cluster.start_web(replica_url=url)
        times, reports = _desk_run(cluster, seconds, pool)
        p50, p95 = _percentile(times, 50), _percentile(times, 95)
        p50s.append(p50)
        print(
            f"  {label:<21} {len(times)} check-outs: p50 {p50:.0f} ms, p95 {p95:.0f} ms; "
            f"{reports[0]} reports meanwhile ({reports[1]} not 200, "
            f"{reports[2]} read on the replica)"
        )
    if len(p50s) == 2:
        print(f"  p50 replica / primary: {p50s[1] / max(p50s[0], 0.001):.2f}")
    else:
        print(f"  replica case skipped: {replica}")


def replica_url() -> str:
    """The replica's URL if one on BENCH_REPLICA_PORT (5433) answers and has caught up with
    this database, else why not."""
    import psycopg

    port = os.environ.get("BENCH_REPLICA_PORT", "5433")
    url = f"postgres://postgres@127.0.0.1:{port}/{settings.DATABASES['default']['NAME']}"
    query = "SELECT pg_is_in_recovery(), pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn()"
    try:
        for _ in range(30):
            with psycopg.connect(url, connect_timeout=2) as conn:
                recovery, caught_up = conn.execute(query).fetchone() or (False, False)
            if not recovery:
                return f"port {port} is not a replica"
            if caught_up:
                return url
            time.sleep(1)
        return f"the replica on port {port} did not catch up in 30 s"
    except psycopg.Error as error:
        return f"no replica answers on port {port} ({str(error).strip()[:80]})"


def desk_pool() -> list[tuple[str, dict[str, str], str]]:
    """(place slug, its volunteer's token, a copy) for every copy a bench desk can lend now,
    the places taken in turn. Each copy is lent once: a copy taken back rests for its
    turnaround days, so it cannot go out again today."""
    shelves: list[list[tuple[str, dict[str, str], str]]] = []
    seen: set[int] = set()
    for role in PlaceRole.objects.filter(user__username__startswith="bench-vol-").select_related(
        "place", "user"
    ):
        if role.place_id in seen:
            continue
        seen.add(role.place_id)
        desk = token_for(role.user)
        codes = lendable_codes(role.place_id, dt.date.today())
        shelves.append([(role.place.slug, desk, code) for code in codes])
    return [entry for row in itertools.zip_longest(*shelves) for entry in row if entry]


def _desk_run(
    cluster: Cluster, seconds: float, pool: list[tuple[str, dict[str, str], str]]
) -> tuple[list[float], tuple[int, int, int]]:
    """A desk lends and takes back copies on node A; a city admin asks node B for the
    city-wide report, each time for another start date so no answer comes from the cache."""
    a, b = cluster.urls
    members = [m.member_number for m in free_members(40)]
    report = b + reverse("reports:staff", kwargs={"code": "city"})
    staff = session_headers(city_admin(), report)
    stop = threading.Event()
    # answers, answers not 200, answers whose figures came from the replica: a report read on
    # the primary makes ~40 queries there (X-DB-Queries counts the primary's only), one read
    # on the replica 1-4 (the session, the user).
    reports = [0, 0, 0]

    def keep_reporting() -> None:
        offset = int(time.time()) % 300  # a fresh range in each run, too
        while not stop.is_set():
            offset += 1
            first = dt.date.today() - dt.timedelta(days=365 + offset % 700)
            answer = call("GET", f"{report}?start={first}&end={dt.date.today()}", headers=staff)
            reports[0] += 1
            reports[1] += answer.status != 200
            reports[2] += int(answer.headers.get("X-DB-Queries") or 99) <= 5

    reporter = threading.Thread(target=keep_reporting)
    reporter.start()
    times: list[float] = []
    refused: Counter[str] = Counter()
    try:
        time.sleep(1)  # the report is under way before the first check-out
        deadline = time.monotonic() + seconds
        turn, warming = 0, 3  # the first check-outs open connections: not timed
        while time.monotonic() < deadline and pool:
            slug, desk, code = pool.pop(0)
            member = members[turn % len(members)]
            turn += 1
            out = a + reverse("api:tool-centres-check-out", kwargs={"slug": slug})
            back = a + reverse("api:tool-centres-check-in", kwargs={"slug": slug})
            began = time.monotonic()
            answer = call(
                "POST", out, data={"member_number": member, "codes": [code]}, headers=desk
            )
            elapsed = (time.monotonic() - began) * 1000
            lines = answer.json() if answer.status == 200 else None
            if lines and all(line.get("ok") for line in lines):
                if warming:
                    warming -= 1
                else:
                    times.append(elapsed)
                call("POST", back, data={"code": code}, headers=desk)
            else:
                refused[f"{answer.status} {_reason(lines or answer.json())}"] += 1
    finally:
        stop.set()
        reporter.join()
    if not pool:
        print("    (no lendable copy left: the run ended early)")
    if refused:
        print(f"    refused check-outs (not timed): {dict(refused)}")
    return times, (reports[0], reports[1], reports[2])


def _reason(answer: Any) -> str:
    if isinstance(answer, list):
        return ",".join(str(line.get("error_code")) for line in answer if not line.get("ok"))
    return str((answer or {}).get("code", "?")) if isinstance(answer, dict) else "?"


def _percentile(values: list[float], percent: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[percent - 1]


# --- Main -------------------------------------------------------------------------------------


def prepare_targets(out: Path) -> Path:
    """The locustfile's sessions and URLs, made now: a session is only valid under the
    SECRET_KEY it was made with, which may not be run-bench's."""
    targets = out / "nodes-targets.json"
    subprocess.run(
        [str(PY / "python"), str(ROOT / "bench/prepare.py"), str(targets)],
        cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return targets


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var/bench/small-nodes")
    parser.add_argument("--port", type=int, default=int(os.environ.get("NODES_PORT", "8411")))
    parser.add_argument("--seconds", type=int, default=10, help="per throughput run")
    parser.add_argument("--users", type=int, default=4, help="Locust users, no think time")
    parser.add_argument("--desk-seconds", type=float, default=8)
    parser.add_argument("--parts", default="12345", help="which of the five to run, e.g. 15")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    # `timeout` and Ctrl-C end the run through the finally below, which stops the processes.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    cluster = Cluster(args.out, args.port)
    print(f"Two nodes on ports {cluster.ports}, two workers on queue {cluster.queue}")
    print(f"  each node: gunicorn.conf.py, database {settings.DATABASES['default']['NAME']}")
    try:
        targets = prepare_targets(args.out)
        cluster.start_web()
        cluster.start_workers()
        parts: list[Callable[[], None]] = [
            lambda: race(cluster),
            lambda: caches(cluster),
            lambda: notices(cluster),
            lambda: throughput(cluster, targets, args.seconds, args.users),
            lambda: desk_under_report(cluster, args.desk_seconds),
        ]
        for number, part in enumerate(parts, 1):
            if str(number) not in args.parts:
                continue
            try:
                part()
            except Exception as error:  # one broken part must not hide the others' figures
                print(f"  (this part failed: {type(error).__name__}: {error})")
            sys.stdout.flush()
    finally:
        cluster.stop()


if __name__ == "__main__":
    main()
