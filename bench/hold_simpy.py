#!/usr/bin/env python3
"""SimPy hold model, the peer of spotsim's BenchmarkHold (sim/bench_test.go).

A queue of PENDING events; each event, when handled, schedules one new event
at an exponential delay (mean 1 simulated minute, as in the Go benchmark).
Two ways of writing it in SimPy:

  process    (default) PENDING processes, each looping over
             `yield env.timeout(delay)`: how a SimPy user writes it.
  callback   bare Timeout events whose callback schedules the next one: the
             least SimPy can do per event, no generators.

After a warm-up of PENDING events, EVENTS events are timed; the script prints
one JSON object with events/s over wall time and over process CPU time.

Usage: /usr/bin/python3 bench/hold_simpy.py [--pending 10000] [--events 1000000]
       [--style process|callback]
Needs SimPy 3 (Debian's python3-simpy3).
"""
import argparse
import json
import random
import time

import simpy


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pending", type=int, default=10000)
    p.add_argument("--events", type=int, default=1000000)
    p.add_argument("--style", choices=["process", "callback"], default="process")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args()

    rng = random.Random(args.seed)
    mean = 60.0  # seconds of simulated time
    rate = 1.0 / mean
    env = simpy.Environment()
    count = [0]

    if args.style == "process":
        def holder():
            while True:
                yield env.timeout(rng.expovariate(rate))
                count[0] += 1

        for _ in range(args.pending):
            env.process(holder())
    else:
        def fire(_event):
            count[0] += 1
            env.timeout(rng.expovariate(rate)).callbacks.append(fire)

        for _ in range(args.pending):
            env.timeout(rng.expovariate(rate)).callbacks.append(fire)

    step = env.step
    # Warm up: start the processes and turn the queue over once.
    while count[0] < args.pending:
        step()
    start = count[0]
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.events):
        step()
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    handled = count[0] - start  # one handled event per step in steady state
    print(json.dumps({
        "peer": "simpy " + simpy.__version__,
        "style": args.style,
        "pending": args.pending,
        "events": handled,
        "wall_s": wall,
        "cpu_s": cpu,
        "events_per_s": handled / wall,
        "cpu_events_per_s": handled / cpu,
    }, indent=1))


if __name__ == "__main__":
    main()
