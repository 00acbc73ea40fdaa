#!/usr/bin/env python3
"""Process wall time of short commands, for bench/run.sh and bench/sweep.sh.

    spawn_time.py RUNS HOOK -- LABEL CMD [ARG...] [-- LABEL CMD [ARG...]]...

Runs each command RUNS times, the commands in turn: round k starts with command k modulo
their number, so that none always runs right after the same other one. Prints one line per
command, in milliseconds:

    LABEL MEDIAN MEAN MIN USER SYS

USER and SYS are the means of the child's own CPU times (wait4's rusage). Each run is started
by posix_spawn and reaped by wait4, and timed from the one to the other: a shell's fork and
its own clock reading (bash's $EPOCHREALTIME, then bc) are not part of it. On this kind of VM
a first write to a page costs about 10 us, so a shell that forks copies its page tables and
faults them back in, which adds more to a 10 ms run than most changes to it are worth.

HOOK, when not empty, is run by bash before each run of each command, untimed, with the run's
number (1..RUNS) as $1 and the command's label as $2: bench/run.sh writes the lead that the next
run routes. The commands' standard output goes to /dev/null; their standard error is kept. A
command or hook that fails stops the measurement with its status.
"""

import os
import statistics
import subprocess
import sys
import time


def parse(argv):
    if len(argv) < 5 or argv[2] != "--":
        sys.exit(__doc__.split("\n\n")[1])
    runs = int(argv[0])
    hook = argv[1]
    commands = []
    group = []
    for arg in argv[3:] + ["--"]:
        if arg != "--":
            group.append(arg)
            continue
        if len(group) < 2:
            sys.exit("spawn_time.py: each command needs a label and a program")
        commands.append((group[0], group[1:]))
        group = []
    return runs, hook, commands


def run_once(args):
    """Wall seconds, user seconds and system seconds of one run of args."""
    actions = [(os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0)]
    start = time.perf_counter()
    pid = os.posix_spawnp(args[0], args, os.environ, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"spawn_time.py: {' '.join(args)} exited with {code}")
    return wall, usage.ru_utime, usage.ru_stime


def main():
    runs, hook, commands = parse(sys.argv[1:])
    times = {label: [] for label, _ in commands}
    for k in range(runs):
        for j in range(len(commands)):
            label, args = commands[(k + j) % len(commands)]
            if hook:
                done = subprocess.run(["bash", "-c", hook, "bash", str(k + 1), label])
                if done.returncode != 0:
                    sys.exit(f"spawn_time.py: the hook failed before run {k + 1} of {label}")
            times[label].append(run_once(args))
    for label, _ in commands:
        wall = [t[0] * 1000 for t in times[label]]
        user = statistics.mean(t[1] for t in times[label]) * 1000
        system = statistics.mean(t[2] for t in times[label]) * 1000
        print(f"{label} {statistics.median(wall):.2f} {statistics.mean(wall):.2f} "
              f"{min(wall):.2f} {user:.2f} {system:.2f}")


if __name__ == "__main__":
    main()
