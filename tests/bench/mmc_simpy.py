#!/usr/bin/python3
"""mmc_simpy.py: the M/M/c case of mmc-100.yaml in SimPy 2 (Debian's
python3-simpy): Poisson arrivals at 90/h, c = 100 servers, exponential
service of mean 1 h, 2222 simulated hours. Prints the wall time of the
simulation alone (model set-up and printing excluded), the number of jobs
and their mean wait in seconds, as "simpy SECONDS JOBS MEAN_WAIT"."""
import random
import sys
import time

from SimPy.Simulation import (Process, Resource, activate, hold, initialize,
                              release, request, simulate, now)

LAMBDA = 90.0 / 3600      # arrivals per second
MEAN_SERVICE = 3600.0     # seconds
SERVERS = 100
HORIZON = 2222 * 3600.0


class Job(Process):
    def run(self, servers, stats):
        arrived = now()
        yield request, self, servers
        stats[0] += now() - arrived
        stats[1] += 1
        yield hold, self, random.expovariate(1.0 / MEAN_SERVICE)
        yield release, self, servers


class Source(Process):
    def run(self, servers, stats):
        while True:
            yield hold, self, random.expovariate(LAMBDA)
            j = Job()
            activate(j, j.run(servers, stats))


def main():
    random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
    initialize()
    servers = Resource(capacity=SERVERS)
    stats = [0.0, 0]
    s = Source()
    activate(s, s.run(servers, stats))
    t0 = time.perf_counter()
    simulate(until=HORIZON)
    wall = time.perf_counter() - t0
    print("simpy %.3f %d %.1f" % (wall, stats[1], stats[0] / max(stats[1], 1)))


if __name__ == "__main__":
    main()
