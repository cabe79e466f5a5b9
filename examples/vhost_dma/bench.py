#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
"""DMA offload vs CPU copy for netdma-vhost-dma, with dpdk-testpmd as guest.

Usage: bench.py BUILD_DIR [--seconds S (3)] [--reps N (5)] [--sizes 64,512,1518]

For each frame size and configuration, runs the backend for S seconds
(--bench: the first half second is warm-up) against a testpmd guest in io
forwarding, N times, and prints the median of:
  pps        frames returned to and verified by the backend per second
  Gbit/s     the same in frame bytes
  work cyc   TSC cycles per frame spent inside the vhost data-path calls
             that moved frames (submit/enqueue, completion poll, dequeue):
             what the backend core pays for the copies
  all cyc    the same including calls that found nothing to do: time the
             backend spent waiting on the guest or on the engine
Backend on core 1, testpmd on core 0; the engine thread has to share one
of them, which is what the two DMA configurations compare.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

CONFIGS = [
    # name, backend extra args, engine devargs (None: no DMA device)
    ('cpu-copy', ['--cpu-copy'], None),
    ('dma, engine on backend core', ['--yield'], 'cpu=1,spin_us=0'),
    ('dma, engine on backend core, no yield', [], 'cpu=1,spin_us=0'),
    ('dma, engine on guest core', [], 'cpu=0'),
]


def cpu_busy(seconds=1.0):
    """Fraction of the machine busy over a short sample."""
    def sample():
        with open('/proc/stat') as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return sum(v), v[3] + v[4]         # total, idle + iowait
    t0, i0 = sample()
    time.sleep(seconds)
    t1, i1 = sample()
    return 1.0 - (i1 - i0) / max(1, t1 - t0)


def run_once(build, tmp, size, extra, devargs, seconds, tag):
    sock = os.path.join(tmp, 'b.sock')
    exe = os.path.join(build, 'examples', 'vhost_dma', 'netdma-vhost-dma')
    pmd = os.path.join(build, 'drivers', 'dma', 'netdma',
                       'librte_dma_netdma.so')
    be_cmd = [exe, '-l', '1', '--no-huge', '-m', '512', '--no-pci',
              '--no-shconf', '--no-telemetry', '--file-prefix',
              'vhbench-be-%s' % tag]
    if devargs is not None:
        be_cmd += ['-d', pmd, '--vdev', 'dma_netdma0,' + devargs]
    be_cmd += ['--', '--socket', sock, '--sizes', str(size), '--bench',
               '--duration', str(seconds)] + extra
    gp_cmd = ['dpdk-testpmd', '--lcores', '0@0,1@0', '--main-lcore', '1',
              '--no-huge', '-m', '256', '--no-pci', '--no-shconf',
              '--no-telemetry', '--file-prefix', 'vhbench-g-%s' % tag,
              '--vdev', 'net_virtio_user0,path=%s,queues=1,queue_size=256'
              % sock, '--', '--forward-mode=io', '--port-topology=loop',
              '--rxd=256', '--txd=256', '--nb-cores=1',
              '--total-num-mbufs=4096', '--no-flush-rx']
    be_log = open(os.path.join(tmp, 'be-%s.log' % tag), 'w+')
    gp_log = open(os.path.join(tmp, 'guest-%s.log' % tag), 'w')
    be = subprocess.Popen(be_cmd, stdout=be_log, stderr=subprocess.STDOUT)
    gp = None
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and not os.path.exists(sock):
            time.sleep(0.05)
        # stdin a pipe left open: testpmd quits at end of input as on
        # Enter, so with /dev/null it would stop at once.
        gp = subprocess.Popen(gp_cmd, stdin=subprocess.PIPE, stdout=gp_log,
                              stderr=subprocess.STDOUT)
        be.wait(seconds + 30)
        be_log.seek(0)
        out = be_log.read()
    finally:
        for p in (be, gp):
            if p is not None and p.poll() is None:
                p.kill()
                p.wait()
        if gp is not None:
            gp.wait()
        be_log.close()
        gp_log.close()
        for prefix in ('vhbench-be-%s' % tag, 'vhbench-g-%s' % tag):
            try:
                os.rmdir(os.path.join('/var/run/dpdk', prefix))
            except OSError:
                pass
    m = re.search(r'^VHOST_DMA BENCH .*pps=(\d+) gbps=([\d.]+) '
                  r'cyc_per_pkt_work=([\d.]+) cyc_per_pkt_all=([\d.]+)',
                  out, re.M)
    ok = re.search(r'^VHOST_DMA RESULT .*status=PASS', out, re.M)
    if not m or not ok:
        sys.stderr.write('run %s failed, see %s\n' % (tag, tmp))
        return None
    return tuple(float(x) for x in m.groups())


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith('-'):
        print(__doc__)
        return 2
    build = os.path.abspath(args[0])
    seconds, reps, sizes = 3.0, 5, [64, 512, 1518]
    i = 1
    while i < len(args):
        if args[i] == '--seconds':
            seconds = float(args[i + 1])
        elif args[i] == '--reps':
            reps = int(args[i + 1])
        elif args[i] == '--sizes':
            sizes = [int(x) for x in args[i + 1].split(',')]
        else:
            print(__doc__)
            return 2
        i += 2
    busy = cpu_busy()
    if busy > 0.2:
        print('warning: CPUs %.0f%% busy before start: other work on '
              'this machine skews the numbers' % (busy * 100))
    tmp = tempfile.mkdtemp(prefix='vhost_bench.')
    rows = []
    failed = False
    for size in sizes:
        for name, extra, devargs in CONFIGS:
            res = []
            for r in range(reps):
                tag = '%d-%d-%d' % (size, CONFIGS.index(
                    (name, extra, devargs)), r)
                x = run_once(build, tmp, size, extra, devargs, seconds, tag)
                if x is None:
                    failed = True
                else:
                    res.append(x)
            if res:
                med = [statistics.median(v) for v in zip(*res)]
                lo = min(x[0] for x in res)
                hi = max(x[0] for x in res)
                rows.append((size, name, len(res), med, lo, hi))
                print('%5d B  %-40s %9.0f pps (%.0f..%.0f) %6.2f Gbit/s  '
                      'work %7.1f all %7.1f cyc/pkt' %
                      (size, name, med[0], lo, hi, med[1], med[2], med[3]),
                      flush=True)
    print()
    print('| size | configuration | runs | Mpps median (min..max) | Gbit/s | '
          'cyc/pkt (work) | cyc/pkt (incl. idle polls) |')
    print('|---:|---|---:|---:|---:|---:|---:|')
    for size, name, n, med, lo, hi in rows:
        print('| %d | %s | %d | %.2f (%.2f..%.2f) | %.2f | %.0f | %.0f |' %
              (size, name, n, med[0] / 1e6, lo / 1e6, hi / 1e6, med[1],
               med[2], med[3]))
    if not failed:
        for f in os.listdir(tmp):
            os.unlink(os.path.join(tmp, f))
        os.rmdir(tmp)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
