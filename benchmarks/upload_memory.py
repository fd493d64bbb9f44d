"""Memory of the web server while a large video is uploaded: it streams to disk, so RSS stays flat.

    python benchmarks/upload_memory.py [--mb 500] [--port 8791]

Starts ``formcoach serve`` in a fresh data folder, measures the server's resident memory (RSS,
from /proc) at rest, then sends ``--mb`` megabytes as the raw body of ``POST /api/sessions`` in
1 MiB chunks (no body is ever built in memory on either side) while sampling the server's RSS every
20 ms. The body is not a video, so the server answers 415 once all of it is on disk and checked,
and deletes it: the whole streaming path runs. Bar: peak RSS under 300 MB above rest.
"""

from __future__ import annotations

import argparse
import http.client
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BAR_MB = 300.0
CHUNK = 1 << 20


def rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` in MB (MiB), from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for process {pid}")


def wait_ready(port: int, timeout_s: float = 60.0) -> None:
    """Wait until ``GET /api/health`` answers 200."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/api/health")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("formcoach serve did not start")


def upload(port: int, megabytes: int) -> tuple[int, float]:
    """Stream ``megabytes`` MiB to ``POST /api/sessions``; return (status, seconds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    connection.putrequest("POST", "/api/sessions?filename=big.mp4")
    connection.putheader("content-type", "application/octet-stream")
    connection.putheader("content-length", str(megabytes * CHUNK))
    connection.endheaders()
    block = os.urandom(CHUNK)
    began = time.perf_counter()
    for _ in range(megabytes):
        connection.send(block)
    status = connection.getresponse().status
    return status, time.perf_counter() - began


def main() -> int:
    """Run the benchmark and print the figures; exit 1 when the bar is missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=500)
    parser.add_argument("--port", type=int, default=8791)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="formcoach-bench-"))
    env = dict(os.environ, FORMCOACH_HOME=str(home))
    env.pop("FORMCOACH_DB", None)
    server = subprocess.Popen([sys.executable, "-m", "formcoach", "serve", "--port", str(args.port)],
                              env=env, stdout=subprocess.DEVNULL)
    try:
        wait_ready(args.port)
        time.sleep(1.0)
        rest = rss_mb(server.pid)
        peak = [rest]
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                peak[0] = max(peak[0], rss_mb(server.pid))
                time.sleep(0.02)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        status, seconds = upload(args.port, args.mb)
        done.set()
        sampler.join()
        left = list((home / "web" / "uploads").glob("*"))
    finally:
        server.terminate()
        server.wait(10)
    above = peak[0] - rest
    print(f"upload of {args.mb} MB: HTTP {status} in {seconds:.1f} s ({args.mb / seconds:.0f} MB/s)")
    print(f"server RSS at rest {rest:.0f} MB, peak {peak[0]:.0f} MB: {above:.0f} MB above rest "
          f"(bar: under {BAR_MB:.0f} MB); files left in uploads: {len(left)}")
    return 0 if above < BAR_MB and status == 415 and not left else 1


if __name__ == "__main__":
    sys.exit(main())
