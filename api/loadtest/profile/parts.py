#!/usr/bin/env python3
"""Where a request's server CPU goes: attributes each sample of `perf script -F comm,tid,ip,sym`
(call graphs, leaf first) to the part of the request it falls in, and prints each part's share
and, given the server's CPU per request in ms, its microseconds.

    perf script -i perf.data -F comm,tid,ip,sym | api/loadtest/profile/parts.py - 0.142

A sample counts for the innermost part on its stack (a socket write made by sqlx is
PostgreSQL's protocol, not HTTP); the runtime's own frames only when no part is on the stack.
"""
import re
import sys

PARTS = [
    ("PostgreSQL connection checks (sqlx ping)", [r"::ping\b", r"return_to_pool", r"check_idle_conn"]),
    ("PostgreSQL protocol and socket I/O", [r"sqlx_core::net::socket", r"sqlx_postgres::connection::stream",
                                           r"BufferedSocket", r"sqlx_postgres::connection::executor", r"sqlx_core::pool",
                                           r"deadpool::"]),
    ("row decoding", [r"sqlx_postgres::types", r"sqlx_postgres::row", r"sqlx_core::row", r"sea_orm::executor::query",
                      r"duban::domain::rows", r"TryGetable", r"FromQueryResult"]),
    ("sqlx and sea-orm, other", [r"sqlx_postgres::", r"sqlx_core::", r"sea_orm::", r"duban::db::reads"]),
    ("statement building (sea-query, page sizes)", [r"sea_query::", r"plan_cache"]),
    ("GraphQL parse", [r"async_graphql_parser::", r"pest::", r"duban::http::documents"]),
    ("GraphQL validation", [r"async_graphql::validation"]),
    ("DataLoader", [r"async_graphql::dataloader"]),
    ("response JSON", [r"duban::http::response", r"serde_json::ser", r"async_graphql_value::serializer",
                       r"value_serde"]),
    ("request body", [r"duban::http::request", r"serde_json::de", r"async_graphql::request"]),
    ("credential check", [r"duban::http::auth", r"jsonwebtoken", r"duban::http::accounts", r"duban::auth::"]),
    ("GraphQL execution (resolvers, values, look-ahead)", [r"async_graphql::", r"duban::graphql::",
                                                          r"async_graphql_value::", r"duban::domain::",
                                                          r"duban::policy::"]),
    ("HTTP (hyper, axum, tower; the client's socket)", [r"hyper::", r"hyper_util::", r"axum::", r"tower",
                                                         r"http::", r"duban::http::"]),
    ("tokio scheduling", [r"tokio::"]),
]
COMPILED = [(name, [re.compile(p) for p in patterns]) for name, patterns in PARTS]


def classify(frames):
    for symbol in frames:
        for name, patterns in COMPILED[:-1]:
            if any(p.search(symbol) for p in patterns):
                return name
    for symbol in frames:
        if any(p.search(symbol) for p in COMPILED[-1][1]):
            return COMPILED[-1][0]
    return "other"


def samples(stream):
    frames = None
    for line in stream:
        if not line.strip():
            if frames is not None:
                yield frames
            frames = None
            continue
        if not line.startswith(("\t", " ")):
            frames = []
            continue
        parts = line.strip().split(None, 1)
        if frames is not None and len(parts) == 2:
            frames.append(parts[1])
    if frames:
        yield frames


def main():
    source = sys.stdin if len(sys.argv) < 2 or sys.argv[1] == "-" else open(sys.argv[1], errors="replace")
    per_request_us = float(sys.argv[2]) * 1000 if len(sys.argv) > 2 else None
    counts, total = {}, 0
    for frames in samples(source):
        total += 1
        part = classify(frames)
        counts[part] = counts.get(part, 0) + 1
    if total == 0:
        sys.exit("no samples")
    print(f"{total} samples" + (f", {per_request_us:.0f} us of server CPU per request" if per_request_us else ""))
    for part, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        share = 100.0 * n / total
        us = f"  {share * per_request_us / 100:6.1f} us" if per_request_us else ""
        print(f"{share:5.1f}%{us}  {part}")


if __name__ == "__main__":
    main()
