"""Stop a server's process group when run.py goes away or a time limit passes.

Usage (run.py starts one per server): ``guard.py FD PGID SECONDS``.  FD is
the read end of a pipe whose write end only run.py holds: it reads as end of
file once run.py has exited, however it exited (Ctrl-C, SIGKILL, a crash).
The guard then, or after SECONDS, sends SIGTERM to the process group PGID
(the server and every process it started), and SIGKILL 10 seconds later if
any is left.  It exits by itself as soon as the group is gone, so a server
stopped normally leaves no guard behind.
"""
import os
import select
import signal
import sys
import time

POLL = 0.5
GRACE = 10.0


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_group(pgid):
    for sig, wait in ((signal.SIGTERM, GRACE), (signal.SIGKILL, 2.0)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if not group_alive(pgid):
                return
            time.sleep(0.1)


def main(argv):
    fd, pgid, limit = int(argv[1]), int(argv[2]), float(argv[3])
    deadline = time.monotonic() + limit
    while group_alive(pgid):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            sys.stderr.write("guard: process group %d outlived its %.0f s limit; stopping it\n"
                             % (pgid, limit))
            break
        ready, _, _ = select.select([fd], [], [], min(POLL, remaining))
        if ready and not os.read(fd, 1):
            break       # run.py is gone
    stop_group(pgid)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
