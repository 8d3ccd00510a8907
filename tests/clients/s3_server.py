"""An S3-compatible server on loopback for the suite (moto), as PostgreSQL is a real database.

Starts on a free port, prints `PORT <n>` on one line, and serves until its standard input
closes (the test process that started it ended). Buckets are created by the tests with a plain
`PUT /<bucket>`; requests are not required to be signed.
"""

import sys

from moto.server import ThreadedMotoServer


def main() -> None:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    _, port = server.get_host_and_port()
    print(f"PORT {port}", flush=True)
    sys.stdin.read()
    server.stop()


if __name__ == "__main__":
    main()
