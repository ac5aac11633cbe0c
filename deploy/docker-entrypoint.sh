#!/bin/sh
# The image's entrypoint: `medianest "$@"` (default `serve`), run as PID 1 by exec so that
# `docker stop` reaches MediaNest itself. With MEDIANEST_WAIT_SECONDS=N it first waits up to
# N seconds for the servers named by DATABASE_URL and REDIS_URL to accept connections (a
# SQLite path or an unset URL is not waited for), and gives up naming the one that did not
# answer. The topology test (tests/deploy/) starts every process of the scaled-out shape
# through this script, natively.
set -eu

wait_for_services() {
    python3 - "$1" <<'PYTHON'
import os
import socket
import sys
import time
from urllib.parse import urlsplit

deadline = time.monotonic() + float(sys.argv[1])
for name, default_port in (("DATABASE_URL", 5432), ("REDIS_URL", 6379)):
    address = urlsplit(os.environ.get(name, ""))
    if not address.hostname:
        continue
    target = (address.hostname, address.port or default_port)
    while True:
        try:
            socket.create_connection(target, timeout=2).close()
            break
        except OSError as error:
            if time.monotonic() > deadline:
                sys.exit(f"medianest: {name}'s server {target[0]}:{target[1]} is not reachable: {error}")
            time.sleep(0.5)
PYTHON
}

if [ "${MEDIANEST_WAIT_SECONDS:-0}" != "0" ]; then
    wait_for_services "$MEDIANEST_WAIT_SECONDS"
fi

if [ "$#" -eq 0 ]; then
    set -- serve
fi
exec medianest "$@"
