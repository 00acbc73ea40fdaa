#!/usr/bin/env python3
"""Soak: 8 kinds of router process on one database at once for a set time, then invariants.

Usage: soak.py ROUTER SECONDS [WORKDIR]

Workers (threads, each running real `router` processes one after another): ingest, CRM
inserts through sqlite3, assign, sweep, agents (claim, decline, pickup, touch, outcome),
ops (reassign, status and log-in changes), readers (report, events, explain, agent list)
and a killer that starts assign or sweep and kills it with SIGKILL mid-flight. A simulated
clock, shared by all, moves 2 minutes every 0.1 s from Monday 07:00 London time, so the
run crosses opening hours and midnights. Then it checks: integrity; at most one open offer
per lead outside the broadcast pool; offers agree with events; every deadline equals
business time from its offer; each lead's state and agent agree with its events; nothing
ingested is lost or doubled; limits never exceeded; report equals counts from events; no
exit status but 0, 1, 75 (and the kills); no 75 before the busy timeout.
Prints "soak: N passed, N failed" last and exits non-zero on any failure.
"""
import datetime as dt
import json
import re
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
BUSY_TIMEOUT = 2.0
START = dt.datetime(2026, 11, 23, 7, 0, tzinfo=LONDON)  # a Monday
STEP = dt.timedelta(minutes=2)
AGENTS = ["tom", "ann", "bob", "sue", "kim", "lee"]
CONFIG = """\
version: 1
timezone: Europe/London
database: soak.db
agents: [{id: tom, tags: [vip]}, {id: ann, tags: [vip]}, {id: bob}, {id: sue}, {id: kim}, {id: lee}]
schedules:
  office:
    timezone: Europe/London
    hours: { mon-fri: "09:00-17:00", sat: "10:00-12:00" }
pools:
  sales:
    strategy: round_robin
    members:
      - { agent: tom, daily_limit: 15 }
      - { agent: ann, daily_limit: 15 }
      - bob
      - { agent: sue, daily_limit: 20 }
    default: kim
    claim_timeout: 20m
    max_offers: 3
    schedule: office
    stale_after: 4h
  blast:
    strategy: broadcast
    members: [kim, lee, bob]
    claim_timeout: 10m
    on_exhausted: queue
  walkins:
    strategy: open_pool
    members: [lee, sue]
  desk:
    strategy: least_active
    members: [ann, lee, kim]
    claim_timeout: 30m
    pickup: { when: { source: phone } }
rules:
  - { name: web, when: { source: web }, pool: sales }
  - { name: chat, when: { source: chat }, pool: blast }
  - { name: walkin, when: { source: walkin }, pool: walkins }
  - { name: partner, when: { source: partner }, pool: desk }
"""
TIMEOUTS = {"sales": 20 * 60, "blast": 10 * 60, "desk": 30 * 60}
LIMITS = {("sales", "tom"): 15, ("sales", "ann"): 15, ("sales", "sue"): 20}
SOURCES = ["web", "web", "web", "chat", "walkin", "partner", "phone"]


class Soak:
    def __init__(self, router, seconds, work):
        self.router = router
        self.seconds = seconds
        self.work = work
        self.db = os.path.join(work, "soak.db")
        self.lock = threading.Lock()
        self.tick = 0
        self.stop = threading.Event()
        self.runs = []  # (command, status, seconds, killed)
        self.ingested = []  # ids whose ingest or insert succeeded
        self.counter = 0
        self.passed = 0
        self.failed = 0

    # --- the simulated clock -------------------------------------------------------
    def now(self):
        with self.lock:
            t = START + self.tick * STEP
        return t.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")

    def clock(self):
        while not self.stop.wait(0.1):
            with self.lock:
                self.tick += 1

    def next_id(self, prefix):
        with self.lock:
            self.counter += 1
            return f"{prefix}{self.counter:06d}"

    # --- running router ------------------------------------------------------------
    def router_run(self, args, stdin=None, kill_after=None):
        cmd = [self.router, "--config", os.path.join(self.work, "router.yaml"),
               "--busy-timeout", f"{int(BUSY_TIMEOUT)}s", "--now", self.now()] + args
        start = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killed = False
        if kill_after is not None:
            try:
                out, err = p.communicate(stdin, timeout=kill_after)
            except subprocess.TimeoutExpired:
                p.send_signal(signal.SIGKILL)
                out, err = p.communicate()
                killed = True
        else:
            out, err = p.communicate(stdin, timeout=120)
        elapsed = time.monotonic() - start
        with self.lock:
            self.runs.append((" ".join(args[:2]), p.returncode, elapsed, killed, err.strip()))
        return p.returncode, out

    def query(self, sql, args=()):
        con = sqlite3.connect(self.db, timeout=30)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def loop(self, body):
        rnd = random.Random(hash(body.__name__) & 0xFFFF)
        while not self.stop.is_set():
            try:
                body(rnd)
            except sqlite3.OperationalError:
                pass  # a reader of ours found the database busy; router is what is tested
            time.sleep(rnd.uniform(0.0, 0.05))

    # --- workers ---------------------------------------------------------------------
    def w_ingest(self, rnd):
        ids = [self.next_id("I") for _ in range(rnd.randint(1, 6))]
        lines = "".join(json.dumps({"id": i, "source": rnd.choice(SOURCES),
                                    "brand": rnd.choice(["Toyota", "Ford"])}) + "\n" for i in ids)
        status, _ = self.router_run(["ingest", "-q"], stdin=lines)
        if status == 0:
            with self.lock:
                self.ingested += ids

    def w_crm(self, rnd):
        lead = self.next_id("C")
        con = sqlite3.connect(self.db, timeout=30)
        try:
            at = int(dt.datetime.strptime(self.now(), "%Y-%m-%dT%H:%M:%SZ")
                     .replace(tzinfo=dt.timezone.utc).timestamp())
            con.execute("INSERT INTO leads(id, source, attributes, received_at) VALUES (?, ?, ?, ?)",
                        (lead, rnd.choice(SOURCES), '{"brand":"Toyota"}', at))
            con.commit()
            with self.lock:
                self.ingested.append(lead)
        finally:
            con.close()

    def w_assign(self, rnd):
        self.router_run(["assign", "-q"])

    def w_sweep(self, rnd):
        self.router_run(["sweep", "-q", "--metrics-file", os.path.join(self.work, "sweep.prom")])

    def w_agents(self, rnd):
        action = rnd.choice(["claim", "claim", "decline", "pickup", "touch", "outcome"])
        if action in ("claim", "decline"):
            rows = self.query("SELECT lead_id, agent FROM offers WHERE state = 'open' "
                              "ORDER BY random() LIMIT 1")
            if rows:
                self.router_run([action, rows[0][0], "--agent", rows[0][1], "-q"])
        elif action == "pickup":
            self.router_run(["pickup", "--agent", rnd.choice(["lee", "sue", "ann", "kim"]), "-q"])
        else:
            rows = self.query("SELECT id, agent FROM leads WHERE state = 'assigned' "
                              "ORDER BY random() LIMIT 1")
            if rows and action == "touch":
                self.router_run(["touch", rows[0][0], "--agent", rows[0][1], "-q"])
            elif rows:
                self.router_run(["outcome", rows[0][0], rnd.choice(["won", "lost"]), "-q"])

    def w_ops(self, rnd):
        action = rnd.choice(["status", "status", "login", "logout", "reassign"])
        agent = rnd.choice(AGENTS)
        if action == "status":
            self.router_run(["agent", "set", agent, "--status",
                             rnd.choice(["available", "available", "away", "offline"]), "-q"])
        elif action in ("login", "logout"):
            self.router_run(["agent", action, agent, "-q"])
        else:
            rows = self.query("SELECT id FROM leads WHERE state IN ('assigned', 'offered') "
                              "ORDER BY random() LIMIT 1")
            if rows:
                self.router_run(["reassign", rows[0][0], "--pool", rnd.choice(["sales", "desk"]), "-q"])

    def w_readers(self, rnd):
        what = rnd.choice(["report", "events", "explain", "agents"])
        if what == "report":
            self.router_run(["report", "--format", "json"])
        elif what == "events":
            self.router_run(["events", "--limit", "50"])
        elif what == "agents":
            self.router_run(["agent", "list"])
        else:
            rows = self.query("SELECT id FROM leads ORDER BY random() LIMIT 1")
            if rows:
                self.router_run(["explain", rows[0][0]])

    def w_killer(self, rnd):
        self.router_run([rnd.choice(["assign", "sweep"]), "-q"], kill_after=rnd.uniform(0.01, 0.3))

    # --- checks ----------------------------------------------------------------------
    def expect(self, ok, what):
        if ok:
            self.passed += 1
        else:
            self.failed += 1
            print(f"FAIL soak: {what}", file=sys.stderr)

    def business_deadline(self, pool, offered_at):
        """The deadline of an offer made at offered_at: the pool's timeout of open time."""
        left = TIMEOUTS[pool]
        if pool != "sales":
            return offered_at + left
        t = offered_at
        while True:
            local = dt.datetime.fromtimestamp(t, LONDON)
            hours = {5: (10, 12)}.get(local.weekday(), (9, 17) if local.weekday() < 5 else None)
            if hours:
                opens = local.replace(hour=hours[0], minute=0, second=0)
                closes = local.replace(hour=hours[1], minute=0, second=0)
                start = max(t, int(opens.timestamp()))
                end = int(closes.timestamp())
                if start < end:
                    if start + left <= end:
                        return start + left
                    left -= end - start
            nxt = (local + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0)
            t = int(nxt.timestamp())

    def check(self):
        q = self.query
        self.expect(q("PRAGMA integrity_check") == [("ok",)], "integrity")
        # Exit statuses.
        bad = [r for r in self.runs if not r[3] and r[1] not in (0, 1, 75)]
        self.expect(not bad, f"unexpected exit statuses: {bad[:5]}")
        early = [r for r in self.runs if not r[3] and r[1] == 75 and r[2] < BUSY_TIMEOUT]
        self.expect(not early, f"busy (75) before the busy timeout: {early[:5]}")
        # At most one open offer per lead outside broadcast.
        self.expect(q("SELECT count(*) FROM (SELECT o.lead_id FROM offers o JOIN leads l ON l.id = o.lead_id "
                      "WHERE o.state = 'open' AND l.pool IS NOT 'blast' GROUP BY o.lead_id "
                      "HAVING count(*) > 1)") == [(0,)], "one open offer per lead")
        # Offers agree with events: each offer row has its offered event.
        self.expect(q("SELECT count(*) FROM offers")[0][0] ==
                    q("SELECT count(*) FROM events WHERE type = 'offered'")[0][0], "offers = offered events")
        self.expect(q("SELECT count(*) FROM leads l WHERE (l.state = 'offered') <> "
                      "EXISTS (SELECT 1 FROM offers o WHERE o.lead_id = l.id AND o.state = 'open')") == [(0,)],
                    "offered iff an open offer")
        # Deadlines.
        wrong = [(lead, pool) for lead, pool, at, deadline in
                 q("SELECT lead_id, pool, offered_at, deadline FROM offers WHERE deadline IS NOT NULL")
                 if pool in TIMEOUTS and self.business_deadline(pool, at) != deadline]
        self.expect(not wrong, f"deadlines not business time from the offer: {wrong[:5]}")
        # Each lead's state and agent agree with its events.
        story = {}
        for lead, typ, agent in q("SELECT lead_id, type, agent FROM events ORDER BY seq"):
            story.setdefault(lead, []).append((typ, agent))
        open_offers = {}
        for lead, agent in q("SELECT lead_id, agent FROM offers WHERE state = 'open'"):
            open_offers.setdefault(lead, []).append(agent)
        mismatch = []
        for lead, state, agent in q("SELECT id, state, agent FROM leads"):
            ev = story.get(lead, [])
            moves = [e for e in ev if e[0] in ("offered", "claimed", "assigned", "picked_up", "queued", "closed")]
            if state == "pending":
                ok = not moves
            elif not moves:
                ok = False
            else:
                last = moves[-1]
                want = {"offered": "offered", "claimed": "assigned", "assigned": "assigned",
                        "picked_up": "assigned", "queued": "queued", "closed": "closed"}[last[0]]
                ok = state == want and (state in ("queued", "closed") or last[1] is None or last[1] == agent)
                if state == "offered" and agent is None:
                    # A broadcast names no single agent on the lead (SPEC: `agent` is the one
                    # offered to for a single offer): it must still be open to someone, each
                    # of them offered it. One member may be left when the others' offers
                    # ended (declined, or taken back from an agent no longer available).
                    offered_to = {e[1] for e in ev if e[0] == "offered"}
                    still = open_offers.get(lead, [])
                    ok = last[0] == "offered" and len(still) >= 1 and set(still) <= offered_to
            if not ok:
                mismatch.append((lead, state, agent, ev[-4:]))
        self.expect(not mismatch, f"lead state disagrees with its events: {mismatch[:3]}")
        # The sweep's counters grew with exactly the committed work, kills included: every
        # expiry is a sweep's.
        metrics = open(os.path.join(self.work, "sweep.prom")).read()
        total = re.search(r'^router_sweep_leads_handled_total\{outcome="expired"\} (\d+)$', metrics, re.M)
        expired = q("SELECT count(*) FROM events WHERE type = 'expired'")[0][0]
        self.expect(total is not None and int(total.group(1)) == expired,
                    f"expired counter {total.group(1) if total else None} != {expired} expired events")
        leftovers = [f for f in os.listdir(self.work) if f.startswith(".sweep.prom.tmp-")]
        self.expect(not leftovers, f"temporary metrics files left: {leftovers}")
        # Nothing lost or doubled.
        ids = {r[0] for r in q("SELECT id FROM leads")}
        self.expect(all(i in ids for i in self.ingested), "every ingested lead is in the database")
        self.expect(q("SELECT count(*) FROM (SELECT lead_id FROM events WHERE type = 'received' "
                      "GROUP BY lead_id HAVING count(*) > 1)") == [(0,)], "no lead received twice")
        # Limits never exceeded.
        over = [r for r in q("SELECT pool, agent, period, count FROM usage WHERE period LIKE 'D%'")
                if (r[0], r[1]) in LIMITS and r[3] > LIMITS[(r[0], r[1])]]
        self.expect(not over, f"daily limits exceeded: {over[:5]}")
        # Report equals counts from events.
        proc = subprocess.run([self.router, "--config", os.path.join(self.work, "router.yaml"),
                               "--now", self.now(), "report", "--format", "json",
                               "--since", "2000-01-01T00:00:00Z"], capture_output=True, text=True)
        self.expect(proc.returncode == 0, f"report ran: {proc.stderr}")
        if proc.returncode == 0:
            rep = json.loads(proc.stdout)
            for row in rep["agents"]:
                if row["agent"] is None:
                    continue
                for figure in ("offered", "claimed", "expired", "declined", "picked_up"):
                    want = q("SELECT count(*) FROM events WHERE type = ? AND agent = ?", (figure, row["agent"]))[0][0]
                    self.expect(row[figure] == want, f"report {row['agent']} {figure}: {row[figure]} != {want}")
        kinds = {}
        for r in self.runs:
            kinds.setdefault(r[0].split()[0], 0)
            kinds[r[0].split()[0]] += 1
        kills = sum(1 for r in self.runs if r[3])
        print(f"soak: {len(self.runs)} router runs ({kills} killed), {len(self.ingested)} leads in, "
              f"{self.tick} clock steps; runs by command: {kinds}")

    def run(self):
        with open(os.path.join(self.work, "router.yaml"), "w") as f:
            f.write(CONFIG)
        status, _ = self.router_run(["init", "-q"])
        if status != 0:
            print("soak: router init failed", file=sys.stderr)
            return False
        workers = [self.w_ingest, self.w_crm, self.w_assign, self.w_sweep, self.w_agents,
                   self.w_ops, self.w_readers, self.w_killer]
        threads = [threading.Thread(target=self.clock)]
        threads += [threading.Thread(target=self.loop, args=(w,)) for w in workers]
        for t in threads:
            t.start()
        time.sleep(self.seconds)
        self.stop.set()
        for t in threads:
            t.join()
        # Let the system settle: one clean sweep at the end.
        self.router_run(["sweep", "-q", "--metrics-file", os.path.join(self.work, "sweep.prom")])
        self.check()
        print(f"soak: {self.passed} passed, {self.failed} failed")
        return self.failed == 0 and self.passed > 0


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 64
    router, seconds = sys.argv[1], float(sys.argv[2])
    work = sys.argv[3] if len(sys.argv) > 3 else tempfile.mkdtemp(prefix="router-soak-")
    os.environ.pop("ROUTER_NOW", None)
    os.environ.pop("ROUTER_DB", None)
    os.environ["ROUTER_CACHE_DIR"] = os.path.join(work, ".cache")
    ok = Soak(router, seconds, work).run()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
