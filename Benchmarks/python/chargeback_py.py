#!/usr/bin/env python3
"""A straightforward Python chargeback, the benchmark's baseline (requests + pandas + XlsxWriter).

It does what `chargeback report` does for one month, the plain way: reads the raw samples of the
token counter from the Prometheus HTTP API (instant queries of a range selector, 6 h windows, one
after another, plus 26 h before and after the month), computes each series' reset-aware increase
inside the month, prices it, maps it to teams with the teams file and writes an XLSX workbook.

Simplifications (enough for the sample configuration): one price per model and token type (the
entry in force at the month's start); the report time zone is UTC; the gap rule uses the median
scrape interval of each 6 h window rather than chargeback's rolling median; `shared: proportional`
pools are split by the teams' direct cost over the month.

Prints one JSON object on stdout: total tokens, total cost (USD, unrounded), per-team figures and
fetch counters.
"""
import argparse
import datetime as dt
import fnmatch
import json
import sys
import time
from decimal import Decimal

import numpy as np
import pandas as pd
import requests
import yaml

HOUR_MS = 3_600_000


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="Prometheus base URL")
    p.add_argument("--config", required=True, help="chargeback.yaml (metric names, labels, files)")
    p.add_argument("--month", required=True, help="YYYY-MM, UTC")
    p.add_argument("--out", required=True, help="XLSX file to write")
    p.add_argument("--chunk-hours", type=float, default=6)
    p.add_argument("--edge-hours", type=float, default=26)
    return p.parse_args()


def month_bounds(text):
    year, month = map(int, text.split("-"))
    start = dt.datetime(year, month, 1, tzinfo=dt.timezone.utc)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=dt.timezone.utc)
    return int(start.timestamp() * 1000), int(end.timestamp() * 1000)


def windows(start, end, chunk_ms, edge_ms):
    """[from, to) windows: the lookback, the month in chunks, the lookahead."""
    out = []
    for a, b in ((start - edge_ms, start), (start, end), (end, end + edge_ms)):
        t = a
        while t < b:
            out.append((t, min(t + chunk_ms, b)))
            t = min(t + chunk_ms, b)
    return out


def apportion_in_period(delta, t_from, t_to, start, end):
    """chargeback's gap rule: share `delta` over [t_from, t_to) by time per hour bucket
    (largest remainder); return the part inside [start, end)."""
    segments = []  # (inside?, length)
    cursor = t_from
    if cursor < start:
        stop = min(t_to, start)
        segments.append((False, stop - cursor))
        cursor = stop
    while cursor < t_to and start <= cursor < end:
        stop = min(t_to, (cursor - start) // HOUR_MS * HOUR_MS + start + HOUR_MS, end)
        segments.append((True, stop - cursor))
        cursor = stop
    if cursor < t_to:
        segments.append((False, t_to - cursor))
    total = t_to - t_from
    shares = [[inside, delta * length // total, delta * length % total] for inside, length in segments]
    left = delta - sum(s[1] for s in shares)
    for index in sorted(range(len(shares)), key=lambda i: (-shares[i][2], i)):
        if left <= 0:
            break
        shares[index][1] += 1
        left -= 1
    return sum(s[1] for s in shares if s[0])


class SeriesState:
    __slots__ = ("last_t", "last_v", "typical")

    def __init__(self):
        self.last_t = None
        self.last_v = 0
        self.typical = None


def increases(state, t, v, start, end, gap_factor):
    """Reset-aware increase inside [start, end) of one series' samples `t`, `v` (numpy, in time order)."""
    if state.last_t is not None:
        keep = t > state.last_t
        t, v = t[keep], v[keep]
    if len(t) == 0:
        return 0
    total = 0
    if state.last_t is None:
        # A series first seen inside the month counts from zero.
        if start <= t[0] < end and v[0] > 0:
            total += int(v[0])
        prev_t, prev_v = t[:-1], v[:-1]
        cur_t, cur_v = t[1:], v[1:]
    else:
        prev_t = np.concatenate(([state.last_t], t[:-1]))
        prev_v = np.concatenate(([state.last_v], v[:-1]))
        cur_t, cur_v = t, v
    if len(cur_t):
        interval = cur_t - prev_t
        delta = np.where(cur_v < prev_v, cur_v, cur_v - prev_v)
        if len(interval) >= 2:
            state.typical = float(np.median(interval))
        if state.typical is None:
            gap = interval > 5 * 60 * 1000
        else:
            gap = interval > gap_factor * state.typical
        live = prev_t < end
        plain = live & ~gap & (cur_t >= start) & (cur_t < end)
        total += int(delta[plain].sum())
        for i in np.nonzero(live & gap & (cur_t >= start))[0]:
            total += apportion_in_period(int(delta[i]), int(prev_t[i]), int(cur_t[i]), start, end)
    state.last_t, state.last_v = int(t[-1]), v[-1]
    return total


def price_table(pricing, month_start):
    """[(glob, {token type: USD per token})]: the entry in force at the month's start."""
    names = {"input": "input", "output": "output", "cache_read": "input_cache_read",
             "cache_write": "input_cache_write"}
    table = []
    for model in pricing["models"]:
        entries = sorted(model["prices"], key=lambda e: str(e["from"]))
        chosen = None
        for entry in entries:
            when = dt.datetime.fromisoformat(str(entry["from"]).replace("Z", "+00:00"))
            if when.tzinfo is None:
                when = when.replace(tzinfo=dt.timezone.utc)
            if when.timestamp() * 1000 <= month_start:
                chosen = entry
        if chosen:
            table.append((model["match"], {names[k]: Decimal(str(chosen[k])) / 1_000_000
                                           for k in names if k in chosen}))
    return table


def main():
    args = parse_args()
    began = time.monotonic()
    with open(args.config) as f:
        config = yaml.safe_load(f)
    base = args.config.rsplit("/", 1)[0] if "/" in args.config else "."
    with open(f"{base}/{config['pricing']}") as f:
        pricing = yaml.safe_load(f)
    with open(f"{base}/{config['teams']}") as f:
        teams = yaml.safe_load(f)
    metrics = config["metrics"]
    labels = {"gateway": "gateway", "model": "gen_ai_request_model", "token_type": "gen_ai_token_type",
              "system": "gen_ai_system", **(metrics.get("labels") or {})}
    includes_cache = metrics.get("input_includes_cache") or {}
    gap_factor = float((config.get("gaps") or {}).get("factor", 1.5))
    selector = metrics.get("selector", "{}").strip()
    selector = metrics["tokens"] + selector if selector.startswith("{") else metrics["tokens"]

    start, end = month_bounds(args.month)
    session = requests.Session()
    states = {}
    usage = {}  # (gateway, model, token_type, system) -> tokens
    fetched = {"requests": 0, "series": 0, "samples": 0, "bytes": 0}
    for w_from, w_to in windows(start, end, int(args.chunk_hours * HOUR_MS), int(args.edge_hours * HOUR_MS)):
        response = session.post(f"{args.url}/api/v1/query", data={
            "query": f"{selector}[{w_to - w_from}ms]", "time": f"{(w_to - 1) / 1000:.3f}"}, timeout=300)
        response.raise_for_status()
        fetched["requests"] += 1
        fetched["bytes"] += len(response.content)
        for series in response.json()["data"]["result"]:
            metric = series["metric"]
            identity = tuple(sorted((k, v) for k, v in metric.items() if k != "__name__"))
            values = np.array(series["values"], dtype=float)
            fetched["samples"] += len(values)
            t = np.rint(values[:, 0] * 1000).astype(np.int64)
            v = np.rint(values[:, 1]).astype(np.int64)
            state = states.setdefault(identity, SeriesState())
            tokens = increases(state, t, v, start, end, gap_factor)
            if tokens:
                key = tuple(metric.get(labels[k], "") for k in ("gateway", "model", "token_type", "system"))
                usage[key] = usage.get(key, 0) + tokens
    fetched["series"] = len(states)

    # Price each line: cache tokens inside `input` are not billed as input.
    prices = price_table(pricing, start)
    frame = pd.DataFrame([(*k, n) for k, n in usage.items()],
                         columns=["gateway", "model", "token_type", "system", "tokens"])
    billable = []
    for row in frame.itertuples():
        tokens = row.tokens
        if row.token_type == "input" and includes_cache.get(row.system, includes_cache.get("default", True)):
            tokens -= usage.get((row.gateway, row.model, "input_cache_read", row.system), 0)
        billable.append(tokens)
    frame["billable_tokens"] = billable

    def price(model, token_type):
        for glob, table in prices:
            if fnmatch.fnmatchcase(model, glob):
                return table.get(token_type, Decimal(0))
        return Decimal(0)

    frame["cost"] = [Decimal(b) * price(m, t) for b, m, t in
                     zip(frame["billable_tokens"], frame["model"], frame["token_type"])]

    # Teams: first matching rule; direct, split and shared (pooled) lines.
    team_names = [t["name"] for t in teams["teams"]]
    direct = {name: Decimal(0) for name in team_names}
    direct_tokens = {name: 0 for name in team_names}
    pools = []
    unallocated = [Decimal(0), 0]
    for row in frame.itertuples():
        values = {"gateway": row.gateway, "model": row.model, "token_type": row.token_type, "system": row.system}
        rule = next((r for r in teams["rules"] if all(
            fnmatch.fnmatchcase(values.get(k, ""), str(g)) for k, g in (r.get("match") or {}).items())), None)
        if rule is None:
            unallocated[0] += row.cost
            unallocated[1] += row.tokens
        elif "team" in rule:
            direct[rule["team"]] += row.cost
            direct_tokens[rule["team"]] += row.tokens
        elif "split" in rule:
            for team, percent in rule["split"].items():
                direct[team] += row.cost * Decimal(str(percent)) / 100
                direct_tokens[team] += row.tokens * percent / 100
        else:
            pools.append((rule["shared"], row.cost, row.tokens))
    per_team = dict(direct)
    team_tokens = dict(direct_tokens)
    for how, cost, tokens in pools:
        if how == "proportional":
            weights = {n: direct[n] for n in team_names}
        elif how == "even":
            weights = {n: Decimal(1) for n in team_names}
        else:
            weights = {n: Decimal(str(w)) for n, w in how["weights"].items()}
        if sum(weights.values()) == 0:
            weights = {n: Decimal(1) for n in team_names}
        total_weight = sum(weights.values())
        for name, weight in weights.items():
            per_team[name] += cost * weight / total_weight
            team_tokens[name] += float(tokens * weight / total_weight)
    team_frame = pd.DataFrame({"team": list(per_team), "tokens": [round(team_tokens[n]) for n in per_team],
                               "cost_usd": [float(per_team[n]) for n in per_team]})
    if unallocated[1]:
        team_frame.loc[len(team_frame)] = ["Unallocated", unallocated[1], float(unallocated[0])]

    with pd.ExcelWriter(args.out, engine="xlsxwriter") as writer:
        team_frame.to_excel(writer, sheet_name="Teams", index=False)
        out = frame.copy()
        out["cost"] = out["cost"].astype(float)
        out.sort_values(["gateway", "model", "token_type"]).to_excel(writer, sheet_name="Line Items", index=False)

    total_cost = sum(frame["cost"], Decimal(0))
    print(json.dumps({
        "tokens": int(frame["tokens"].sum()), "cost_usd": str(total_cost),
        "teams": {r.team: {"cost_usd": round(r.cost_usd, 6), "tokens": int(r.tokens)} for r in team_frame.itertuples()},
        **fetched, "seconds": round(time.monotonic() - began, 2),
    }))


if __name__ == "__main__":
    sys.exit(main())
