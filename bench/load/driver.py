"""The deadline's crowd: a bounded load driver (standard library only) for one running site.

Virtual users are threads, each with its own cookies and keep-alive connection to 127.0.0.1
(nothing else is ever contacted). The mix of the last hours before the KIPP deadline:

- public (60%): catalogue search (HTML page and API), an innovation's page, the KIPP results;
- UPP operators (20%): open a draft proposal, autosave it every few seconds (each save carries a
  unique marker);
- Admin Lokal (10%): list proposals, forward those waiting (the quota may refuse: that is an
  answer, not an error);
- evaluators (10%): open an assigned review, autosave scores.

The signed-in roles log in before the level's clock starts (8 at a time; timed apart as
`login_p50`/`login_p95`; a failed login is an error and the user browses as the public).

Each level runs for at most `seconds` (capped at 60) and stops by itself. An error is a 5xx, a
429, a connection failure or a timeout. Afterwards every acknowledged autosave is checked: the
proposal's edit page must show the last marker acknowledged for it.

Usage: python bench/load/driver.py --base http://127.0.0.1:8000 --users 50 --seconds 30
(prints one JSON line of results). bench/bench_load.py starts the servers and runs the levels.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import html
import http.client
import json
import random
import re
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from html.parser import HTMLParser

PASSWORD = "jipp-demo-2026"
QUERIES = ["kesehatan", "pelayanan publik", "sekolah", "desa", "puskes", "akta kelahiran", "stunting", "perizinan",
           "digital", "sampah", "air bersih", "posyandu", "pajak", "umkm", "si "]  # fmt: skip
MAX_SECONDS = 60
GRACE = 5  # seconds a request may run past the level's end before it is cut (and counted as an error)


class FormParser(HTMLParser):
    """Collects the fields of the forms on a page: [(action or hx-post, {name: [values]})]."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append((a.get("hx-post") or a.get("action") or "", {}))
        elif not self.forms:
            return
        fields = self.forms[-1][1] if self.forms else {}
        if tag == "input" and a.get("name"):
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            fields.setdefault(a["name"], []).append(a.get("value") or "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[a["name"]] = [""]
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            fields.setdefault(self._select, []).append(a.get("value") or "")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][1][self._textarea][0] += data


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    kind_latencies: dict[str, list[float]] = field(default_factory=dict)
    acked: dict[str, tuple[str, str]] = field(default_factory=dict)  # edit URL -> (user, last marker)
    lock: threading.Lock = field(default_factory=threading.Lock)


class VirtualUser:
    def __init__(self, host: str, port: int, stats: Stats, deadline: float):
        self.host, self.port, self.stats, self.deadline = host, port, stats, deadline
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None
        self.logged_in = False

    def request(self, method: str, path: str, data: dict | None = None, kind: str = "") -> tuple[int, str, str]:
        headers = {"Host": f"{self.host}:{self.port}"}
        body = None
        if data is not None:
            body = urllib.parse.urlencode(data, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        started = time.perf_counter()
        status, text, location = 0, "", ""
        # Hard bound: no request outlives the level by more than GRACE seconds.
        timeout = max(1.0, min(30.0, self.deadline + GRACE - time.monotonic()))
        for attempt in range(2):
            # A kept-alive connection the server has closed meanwhile (gunicorn's keepalive is 5 s, an
            # evaluator thinks up to 10 s) fails at once: like every HTTP client, send the request
            # again on a new connection. A failure on a new connection is an error.
            reused = self.connection is not None
            try:
                if self.connection is None:
                    self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                status, location = response.status, response.getheader("Location") or ""
                for raw in response.headers.get_all("Set-Cookie") or []:
                    name, _, rest = raw.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
                break
            except (OSError, http.client.HTTPException) as exc:
                self.connection = None
                status, text = 0, f"{type(exc).__name__}: {exc}"
                if attempt or not reused:
                    break
        elapsed = (time.perf_counter() - started) * 1000
        with self.stats.lock:
            self.stats.latencies.append(elapsed)
            self.stats.by_kind[kind or method] = self.stats.by_kind.get(kind or method, 0) + 1
            self.stats.kind_latencies.setdefault(kind or method, []).append(elapsed)
            if status == 0 or status >= 500 or status == 429:
                self.stats.errors += 1
                if len(self.stats.error_samples) < 10:
                    self.stats.error_samples.append(f"{method} {path} -> {status} {text[:200]}")
        return status, text, location

    def think(self, low=0.5, high=2.0):
        time.sleep(min(random.uniform(low, high), max(0.0, self.deadline - time.monotonic())))

    def alive(self) -> bool:
        return time.monotonic() < self.deadline

    def login(self, username: str) -> bool:
        status, page, _ = self.request("GET", "/accounts/login/", kind="login page")
        token = _csrf(page)
        if status != 200 or not token:
            return False
        status, _, location = self.request("POST", "/accounts/login/", {
            "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}, kind="login")  # fmt: skip
        self.logged_in = status == 302 and "login" not in location
        return self.logged_in

    # Behaviours --------------------------------------------------------------------------------

    def public(self, _username=None):
        while self.alive():
            q = urllib.parse.quote(random.choice(QUERIES))
            _s, page, _ = self.request("GET", f"/innovations/?q={q}", kind="catalogue page")
            self.think()
            self.request("GET", f"/api/v1/innovations/?q={q}&page_size=20", kind="catalogue API")
            links = re.findall(r'href="(/innovations/\d+/)"', page)
            if links:
                self.think()
                self.request("GET", random.choice(links), kind="innovation page")
            self.think()
            self.request("GET", "/kipp/", kind="KIPP results")
            self.think()

    def upp(self, username: str):
        if not self.logged_in:
            return self.public()
        _s, page, _ = self.request("GET", "/kipp/proposals/", kind="proposal list")
        details = sorted(set(re.findall(r'href="(/kipp/proposals/\d+/)"', page)))
        random.shuffle(details)
        edit = pk = None
        for detail in details[:5]:
            status, form_page, _ = self.request("GET", f"{detail}edit/", kind="proposal edit")
            if status == 200 and _form_fields(form_page, f"{detail}autosave/"):
                edit, pk = f"{detail}edit/", detail.rstrip("/").rsplit("/", 1)[1]
                break
        if edit is None:
            return self.public()
        n = 0
        while self.alive():
            status, page, _ = self.request("GET", edit, kind="proposal edit")
            fields = _form_fields(page, f"/kipp/proposals/{pk}/")
            if status != 200 or not fields:
                return self.public()
            for _save in range(3):
                if not self.alive():
                    break
                n += 1
                marker = f"LOADMARK-{username}-{n}"
                data = dict(fields)
                answer = next((k for k in data if k.startswith("section_")), None)
                if answer is None:
                    return self.public()
                data[answer] = [(re.sub(r" ?LOADMARK-\S+", "", data[answer][0]) + " " + marker).strip()]
                fields = data
                status, text, _ = self.request("POST", f"/kipp/proposals/{pk}/autosave/", data, kind="autosave")
                # Saved: the answer carries the new version number (an out-of-band hidden input).
                version = re.search(r'name="version" id="id_version" value="(\d+)"', text)
                if status == 200 and version:
                    fields["version"] = [version.group(1)]
                    with self.stats.lock:
                        self.stats.acked[edit] = (username, marker)
                self.think(2, 5)

    def admin_lokal(self, username: str):
        if not self.logged_in:
            return self.public()
        while self.alive():
            _s, page, _ = self.request("GET", "/kipp/proposals/?status=with_admin_lokal", kind="proposal list")
            details = sorted(set(re.findall(r'href="(/kipp/proposals/\d+/)"', page)))
            if details:
                detail = random.choice(details)
                _s, page, _ = self.request("GET", detail, kind="proposal page")
                token = _csrf(page)
                if token and f"{detail}forward/" in page:
                    self.request("POST", f"{detail}forward/", {"csrfmiddlewaretoken": token}, kind="forward")
            self.think(2, 6)

    def evaluator(self, username: str):
        if not self.logged_in:
            return self.public()
        _s, page, _ = self.request("GET", "/kipp/evaluation/reviews/", kind="my reviews")
        reviews = sorted(set(re.findall(r'href="(/kipp/evaluation/reviews/\d+/)"', page)))
        if not reviews:
            return self.public()
        while self.alive():
            review = random.choice(reviews)
            status, page, _ = self.request("GET", review, kind="review page")
            fields = _form_fields(page, review)
            if status == 200 and fields:
                self.think(2, 5)
                self.request("POST", f"{review}autosave/", fields, kind="score autosave")
            self.think(2, 5)


def _pct(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))], 1) if ordered else 0.0


def _csrf(page: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    return match.group(1) if match else ""


def _form_fields(page: str, action_prefix: str) -> dict[str, list[str]]:
    parser = FormParser()
    parser.feed(page)
    for action, fields in parser.forms:
        if action.startswith(action_prefix) and "csrfmiddlewaretoken" in fields:
            return {k: [html.unescape(v) for v in values] for k, values in fields.items()}
    return {}


def _machine_cpu() -> tuple[int, int]:
    """(busy, total) jiffies of all cores since boot, from /proc/stat; (0, 0) where it does not exist."""
    try:
        with open("/proc/stat") as fh:
            values = [int(v) for v in fh.readline().split()[1:]]
    except OSError:
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


def run(base: str, users: int, seconds: float, accounts: dict[str, list[str]]) -> dict:
    seconds = min(seconds, MAX_SECONDS - GRACE)
    parts = urllib.parse.urlsplit(base)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        raise SystemExit("the load driver only talks to 127.0.0.1")
    stats = Stats()
    pools = {role: list(names) for role, names in accounts.items()}
    shares = [("upp", 0.2), ("admin_lokal", 0.1), ("evaluator", 0.1)]
    plan: list[tuple[str, str | None]] = []
    for role, share in shares:
        for _ in range(int(users * share)):
            plan.append((role, pools[role].pop() if pools.get(role) else None))
    plan += [("public", None)] * (users - len(plan))
    # The operators, Admin Lokal and evaluators of the deadline's last hours have been working for a
    # while: they log in before the level's clock starts (a login is 0.3 s of CPU for the password
    # hash, on purpose; 80 of them in the first seconds measured the hashing, not the deadline).
    # Logins are timed on their own (`login_p50`, `login_p95`) and their failures are errors.
    logins = Stats()
    login_deadline = time.monotonic() + 120
    virtual = [VirtualUser(parts.hostname, parts.port or 80, logins, login_deadline) for _ in plan]
    signed_in = [(user, name) for user, (_role, name) in zip(virtual, plan, strict=True) if name]
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda pair: pair[0].login(pair[1]), signed_in))
    deadline = time.monotonic() + seconds
    threads = []
    started = time.monotonic()
    driver_cpu, machine = time.process_time(), _machine_cpu()
    for i, (user, (role, username)) in enumerate(zip(virtual, plan, strict=True)):
        user.stats, user.deadline = stats, deadline
        behaviour = getattr(user, role) if username or role == "public" else user.public
        thread = threading.Thread(target=behaviour, args=(username,), daemon=True, name=f"vu{i}")
        threads.append(thread)
        thread.start()
        time.sleep(min(2.0 / users, 0.05))  # ramp up over about two seconds
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + GRACE + 1)
    elapsed = time.monotonic() - started
    driver_cpu = time.process_time() - driver_cpu
    busy, total = (now - before for now, before in zip(_machine_cpu(), machine, strict=True))
    verify = Stats()
    missing = []
    for edit, (username, marker) in stats.acked.items():
        checker = VirtualUser(parts.hostname, parts.port or 80, verify, time.monotonic() + 60)
        if checker.login(username):
            _s, page, _ = checker.request("GET", edit)
            if marker not in page:
                missing.append(f"{edit} {marker}")
        else:
            missing.append(f"{edit} (could not log in to check)")
    lat = sorted(stats.latencies)

    def pct(p):
        return lat[min(len(lat) - 1, int(round(p * (len(lat) - 1))))] if lat else 0.0

    return {
        "users": users, "seconds": round(elapsed, 1), "requests": len(lat),
        "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
        "p50": round(statistics.median(lat), 1) if lat else 0.0, "p95": round(pct(0.95), 1),
        "p99": round(pct(0.99), 1), "errors": stats.errors + logins.errors,
        "error_rate": round(stats.errors / len(lat), 4) if lat else 0.0,
        "by_kind": stats.by_kind, "acked_writes": len(stats.acked), "missing_writes": missing,
        "error_samples": stats.error_samples + logins.error_samples,
        "p50_p95_by_kind": {k: [_pct(v, 0.5), _pct(v, 0.95)] for k, v in sorted(stats.kind_latencies.items())},
        "logins": len(signed_in), "login_failures": sum(1 for user, _name in signed_in if not user.logged_in),
        "login_errors": logins.errors, "login_p50": _pct(logins.latencies, 0.5),
        "login_p95": _pct(logins.latencies, 0.95),
        # Where the two cores went during the level: the driver's own share (in cores) and the whole
        # machine's busy share (servers, database, driver and everything else).
        "driver_cores": round(driver_cpu / elapsed, 2) if elapsed else 0.0,
        "machine_busy": round(busy / total, 2) if total else 0.0,
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--accounts", default="", help="JSON file: {role: [usernames]}")
    args = parser.parse_args()
    accounts = json.load(open(args.accounts)) if args.accounts else {}  # noqa: SIM115
    print(json.dumps(run(args.base, args.users, args.seconds, accounts)))


if __name__ == "__main__":
    main()
