#!/usr/bin/env python3
"""How long a revoked token still reads on another process (README, "Signing in").

Starts two duban processes on one fresh PostgreSQL database, and for each of N accounts: signs
in, reads once through process B (so B caches the account), revokes the token through process A
(`logoutEverywhere`), then reads through B with the old token as fast as it can until B answers
401. Prints, per trial and as min / median / max, the time from A's answer to B's first 401 and
how many reads B still served meanwhile; then checks that a write sent to B right after the
revocation never succeeds.

    api/loadtest/revocation.py [--binary target/release/duban] [--trials 20]
        [--server postgres://postgres@127.0.0.1:5432]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

PASSWORD = "revocation-bench-password"


def call(port, query, variables=None, token=None):
    body = json.dumps({"query": query, "variables": variables or {}}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/graphql", body, {"content-type": "application/json"})
    if token:
        request.add_header("authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def wait_ready(port):
    for _ in range(300):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    sys.exit(f"the server on {port} did not start")


def login(port, username):
    status, body = call(port, "mutation($u: String!, $p: String!) { login(username: $u, password: $p) { token } }",
                        {"u": username, "p": PASSWORD})
    return body["data"]["login"]["token"]


def cached_on_b(admin, username):
    """A new account signed in through A, whose token B has read once (and so cached)."""
    call(18101, "mutation($u: String!, $p: String!) { createUser(input: {username: $u, password: $p, role: LEADER}) { id } }",
         {"u": username, "p": PASSWORD}, admin)
    token = login(18101, username)
    assert call(18102, "{ viewer { id } }", token=token)[0] == 200
    return token


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", default="target/release/duban")
    parser.add_argument("--trials", type=int, default=20)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()

    database = f"revocation_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"CREATE DATABASE {database}"], check=True)
    env = dict(os.environ, DATABASE_URL=f"{args.server}/{database}?sslmode=disable", DUBAN_JWT_SECRET="bench-secret",
               DUBAN_ADMIN_PASSWORD=PASSWORD, DUBAN_LOAD_SAMPLE_PLAN="false", RUST_LOG="warn",
               DUBAN_AUDIT_KEY="bench-audit-key-0123456789")
    servers = []
    try:
        for port in (18101, 18102):
            servers.append(subprocess.Popen([args.binary, "serve"], env=dict(env, DUBAN_BIND=f"127.0.0.1:{port}"),
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            wait_ready(port)
        admin = login(18101, "admin")
        delays, reads = [], []
        for n in range(args.trials):
            token = cached_on_b(admin, f"bench{n}")
            status, _ = call(18101, "mutation { logoutEverywhere }", token=token)
            assert status == 200
            revoked_at, served = time.perf_counter(), 0
            while call(18102, "{ viewer { id } }", token=token)[0] == 200:
                served += 1
            delays.append((time.perf_counter() - revoked_at) * 1000)
            reads.append(served)
            print(f"trial {n + 1}: B refused after {delays[-1]:.1f} ms, {served} reads served meanwhile")
        print(f"delay ms: min {min(delays):.1f}  median {statistics.median(delays):.1f}  max {max(delays):.1f}")
        print(f"reads served after the revocation: min {min(reads)}  median {statistics.median(reads)}  max {max(reads)}")

        writes_through = 0
        for n in range(args.trials):
            token = cached_on_b(admin, f"writer{n}")
            call(18101, "mutation { logoutEverywhere }", token=token)
            status, body = call(18102, "mutation { logoutEverywhere }", token=token)
            writes_through += status == 200 and not body.get("errors")
        print(f"writes sent to B right after the revocation that succeeded: {writes_through} of {args.trials}")
    finally:
        for server in servers:
            server.terminate()
            server.wait()
        subprocess.run(["psql", f"{args.server}/postgres", "-qc", f"DROP DATABASE IF EXISTS {database}"], check=False)


if __name__ == "__main__":
    main()
