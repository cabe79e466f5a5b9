#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
"""End-to-end test of netdma-vhost-dma with dpdk-testpmd as the guest.

The backend generates numbered frames, enqueues them to the guest through
the vhost async path (copies on dma_netdma), testpmd (virtio-user, io
forwarding) loops them back, and the backend dequeues them (DMA again) and
checks every byte and the order. This script drives guests in and out and
checks the backend's accounting against what testpmd itself reports.

Flows: the backend mapping guest memory for a strict-IOMMU engine; the
same as a stock vhost application (--stock-vhost) on an sva=1 engine; a
flood; CPU copies; and the failures that must be loud: stock vhost on an
engine that cannot reach guest memory, and no traffic at all.

testpmd, started without -i, waits for Enter by reading its standard
input, and end of file ends that read too: with stdin at EOF (run from a
script, in the background, < /dev/null) it quits as soon as it has
started. Guests here get a pipe that stays open until quit_guest().

Usage: vhost_e2e.py BUILD_DIR

No hugepages: both sides run with --no-huge, where EAL backs memory with a
memfd that virtio-user can share with the backend.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

DEADLINE_S = 150            # whole run, under meson's 180 s timeout
RING = 256                  # virtio-user queue_size, testpmd --rxd/--txd
BURST = 32                  # testpmd io burst: frames a killed guest holds
TRAFFIC_S = 3.0             # per guest session
# testpmd on the first CPU this process may run on, the backend on the
# second; on the first too where it is the only one: both then share it,
# slower, and every check holds as it does on two.
CPUS = sorted(os.sched_getaffinity(0))
GUEST_CPU = CPUS[0]
BACKEND_CPU = CPUS[1] if len(CPUS) > 1 else CPUS[0]
# Where the DMA engine thread runs. On the backend's core it parks as soon
# as it is idle (spin_us=0) and the backend yields to it (--yield): fast.
# On the guest's core it competes with testpmd: slow, so copies stay in
# flight longer, and a guest leaving finds some to clear.
ENGINE_BACKEND_CORE = 'cpu=%d,spin_us=0' % BACKEND_CPU
ENGINE_GUEST_CORE = 'cpu=%d' % GUEST_CPU

KV = re.compile(r'(\w+)=(\S+)')
START = time.monotonic()


def log(msg):
    print('[%6.2f] %s' % (time.monotonic() - START, msg), flush=True)


def remaining():
    return max(0.1, DEADLINE_S - (time.monotonic() - START))


def kv(line):
    out = {}
    for k, v in KV.findall(line):
        try:
            out[k] = int(v)
        except ValueError:
            out[k] = v
    return out


class Proc:
    """A child whose output is collected line by line in the background."""

    def __init__(self, name, cmd, logdir, stdin=subprocess.PIPE):
        self.name = name
        self.lines = []
        self.cond = threading.Condition()
        self.logf = open(os.path.join(logdir, name + '.log'), 'w')
        self.p = subprocess.Popen(cmd, stdin=stdin,
                                  stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT,
                                  start_new_session=True)
        self.t = threading.Thread(target=self._read, daemon=True)
        self.t.start()

    def _read(self):
        for raw in self.p.stdout:
            line = raw.decode(errors='replace').rstrip('\n')
            self.logf.write(line + '\n')
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()
        with self.cond:
            self.cond.notify_all()

    def wait_line(self, pattern, timeout, start=0, also=None):
        """First line matching pattern (from index start), or None; gives
        up early if this process, or the one named by also, is gone."""
        rx = re.compile(pattern)
        end = time.monotonic() + min(timeout, remaining())
        i = start
        with self.cond:
            while True:
                while i < len(self.lines):
                    if rx.search(self.lines[i]):
                        return self.lines[i]
                    i += 1
                left = end - time.monotonic()
                if left <= 0 or (self.p.poll() is not None and
                                 not self.t.is_alive()):
                    return None
                if also is not None and not also.alive():
                    return None
                self.cond.wait(min(left, 0.2))

    def find_all(self, pattern):
        rx = re.compile(pattern)
        with self.cond:
            return [ln for ln in self.lines if rx.search(ln)]

    def alive(self):
        return self.p.poll() is None

    def signal(self, sig):
        if self.alive():
            self.p.send_signal(sig)

    def wait(self, timeout):
        try:
            return self.p.wait(min(timeout, remaining()))
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.alive():
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            self.p.wait()
        self.t.join(2)
        self.logf.close()


class FlowAbort(Exception):
    """A step failed in a way that makes the rest of a flow pointless."""


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0

    def check(self, name, ok, detail=''):
        if ok:
            self.passed += 1
            log('PASS %s %s' % (name, detail))
        else:
            self.failed += 1
            log('FAIL %s %s' % (name, detail))
        return ok

    def skip(self, name, why):
        self.skipped += 1
        log('SKIP %s: %s' % (name, why))

    def summary(self):
        print('%d passed, %d failed%s' % (
            self.passed, self.failed,
            ', %d skipped' % self.skipped if self.skipped else ''))


class Flow:
    """One backend run with a sequence of guest sessions."""

    def __init__(self, name, build, tmp, checks, backend_args, engine):
        self.name = name
        self.engine = engine
        self.build = build
        self.tmp = tmp
        self.c = checks
        self.sock = os.path.join(tmp, name + '.sock')
        self.backend_args = backend_args
        self.procs = []
        self.guest_seq = 0
        self.be = None

    def start_backend(self):
        exe = os.path.join(self.build, 'examples', 'vhost_dma',
                           'netdma-vhost-dma')
        pmd = os.path.join(self.build, 'drivers', 'dma', 'netdma',
                           'librte_dma_netdma.so')
        # The backend on its CPU, testpmd on the guest's; the engine
        # thread shares one of them (see ENGINE_*).
        cmd = [exe, '-l', str(BACKEND_CPU), '--no-huge', '-m', '512',
               '--no-pci', '--no-shconf', '--no-telemetry',
               '--file-prefix', 'vhe2e-be-%s' % self.name,
               '-d', pmd, '--vdev', 'dma_netdma0,' + self.engine,
               '--', '--socket', self.sock, '--stats', '0.5',
               # At stop, half a second of silence before the backend
               # lets go: the guest has returned all it is going to,
               # even on a loaded machine.
               '--drain-idle', '500'] + self.backend_args
        self.be = Proc(self.name + '-backend', cmd, self.tmp)
        self.procs.append(self.be)
        return self.c.check('%s: backend listening' % self.name,
                            self.be.wait_line(r'^VHOST_DMA READY', 15)
                            is not None)

    def start_guest(self, stdin=subprocess.PIPE):
        """A testpmd guest. Its stdin stays open (a pipe) unless given:
        testpmd quits at end of input as it does on Enter."""
        self.guest_seq += 1
        name = '%s-guest%d' % (self.name, self.guest_seq)
        cmd = ['dpdk-testpmd', '--lcores',
               '0@%d,1@%d' % (GUEST_CPU, GUEST_CPU), '--main-lcore', '1',
               '--no-huge', '-m', '256', '--no-pci', '--no-shconf',
               '--no-telemetry',
               '--file-prefix', 'vhe2e-%s' % name,
               '--vdev', 'net_virtio_user0,path=%s,queues=1,queue_size=%d'
               % (self.sock, RING),
               '--', '--forward-mode=io', '--port-topology=loop',
               '--rxd=%d' % RING, '--txd=%d' % RING, '--burst=%d' % BURST,
               '--nb-cores=1', '--total-num-mbufs=4096',
               # Without this, testpmd empties its Rx queue when it starts
               # forwarding: frames the backend sent first would vanish
               # uncounted.
               '--no-flush-rx']
        g = Proc(name, cmd, self.tmp, stdin)
        self.procs.append(g)
        return g

    def attach(self, session):
        """Start a guest and wait until the backend sees it and traffic
        flows."""
        g = self.start_guest()
        ok = self.be.wait_line(r'^VHOST_DMA ATTACH session=%d ' % session,
                               20, also=g) is not None
        if not self.c.check('%s: guest %d attached' % (self.name, session),
                            ok):
            raise FlowAbort('guest %d did not attach (see %s.log)' %
                            (session, g.name))
        mark = len(self.be.lines)
        time.sleep(TRAFFIC_S)
        # Traffic is flowing if the returned count moved during the wait.
        stats = [kv(ln) for ln in self.be.lines[mark:]
                 if ln.startswith('VHOST_DMA STATS')]
        moved = len(stats) >= 2 and stats[-1]['returned'] > \
            stats[0]['returned']
        self.c.check('%s: traffic flowing in session %d' %
                     (self.name, session), moved,
                     'returned %s' % (stats[-1]['returned'] if stats else '?'))
        return g

    def quit_guest(self, g):
        """Graceful testpmd exit: Enter, as its prompt asks (closing its
        stdin would do the same); its forward statistics follow."""
        try:
            g.p.stdin.write(b'\n')
            g.p.stdin.flush()
        except (BrokenPipeError, OSError):
            pass
        if g.wait(15) is None:
            g.signal(signal.SIGINT)
            g.wait(5)
        return self.guest_stats(g)

    def guest_stats(self, g):
        st = {}
        acc = g.wait_line(r'Accumulated forward statistics', 1)
        if acc is None:
            return None
        i = g.lines.index(acc)
        for ln in g.lines[i + 1:i + 3]:
            for k, v in re.findall(r'([RT]X-\w+):\s+(\d+)', ln):
                st[k] = int(v)
        return st

    def session_line(self, session, timeout=15):
        ln = self.be.wait_line(r'^VHOST_DMA SESSION id=%d ' % session,
                               timeout)
        return kv(ln) if ln else None

    def check_guest_quit(self, session, s, gst):
        """Guest quit mid-traffic: what it did not return was dropped by
        it (TX-dropped) or was still in one of its two rings."""
        n = self.name
        if not self.c.check('%s: session %d closed, guest stats' %
                            (n, session), s is not None and gst is not None):
            raise FlowAbort('no session %d accounting' % session)
        io = gst['RX-packets'] == gst['TX-packets'] + gst['TX-dropped']
        in_rx = s['accepted'] - gst['RX-packets']
        in_tx = gst['TX-packets'] - s['returned']
        self.c.check('%s: session %d accounted' % (n, session),
                     io and 0 <= in_rx <= RING and 0 <= in_tx <= RING and
                     s['lost'] == in_rx + in_tx + gst['TX-dropped'],
                     'accepted=%d returned=%d lost=%d = guest dropped %d + '
                     'left in guest rx ring %d + in tx ring %d' %
                     (s['accepted'], s['returned'], s['lost'],
                      gst['TX-dropped'], in_rx, in_tx))

    def check_guest_killed(self, session, s):
        """SIGKILL: nobody can count what was in the rings, only bound
        it."""
        n = self.name
        if not self.c.check('%s: session %d closed after guest kill' %
                            (n, session), s is not None):
            raise FlowAbort('backend did not survive the guest kill')
        bound = 2 * RING + BURST
        self.c.check('%s: session %d loss bounded by guest rings' %
                     (n, session), 0 <= s['lost'] <= bound,
                     'lost=%d <= %d (rx ring + tx ring + one burst)' %
                     (s['lost'], bound))

    def check_backend_stop(self, session, s, gst, full_ring=False):
        """Backend stopped with traffic flowing: it drains, so what is
        missing is exactly what the guest reports dropping. full_ring:
        the backend kept the guest's Rx ring full (no window)."""
        n = self.name
        if not self.c.check('%s: session %d closed, guest stats' %
                            (n, session), s is not None and gst is not None):
            return
        figures = ('accepted=%d guest RX=%d returned=%d guest TX=%d '
                   'lost=%d guest dropped=%d' %
                   (s['accepted'], gst['RX-packets'], s['returned'],
                    gst['TX-packets'], s['lost'],
                    gst['TX-dropped'] + gst['RX-dropped']))
        if full_ring and len(CPUS) == 1:
            # Backend and testpmd on one CPU, the guest's Rx ring kept
            # full: testpmd at times never receives a whole ring of
            # frames the backend put in it (256, with CPU copies as
            # with DMA), however long the backend waits. Every frame is
            # still accounted below, by sequence number.
            self.c.skip('%s: session %d exact' % (n, session),
                        'needs two CPUs: on one, testpmd may never receive '
                        'a full Rx ring of frames (%s)' % figures)
            return
        self.c.check('%s: session %d exact' % (n, session),
                     s['accepted'] == gst['RX-packets'] and
                     s['returned'] == gst['TX-packets'] and
                     s['lost'] == gst['TX-dropped'] + gst['RX-dropped'],
                     figures)

    def engine_idle(self, idle):
        """Starve the DMA engine thread (SCHED_IDLE on the guest's busy
        core) or give it back its normal policy. Starved, it leaves copies
        in flight long enough for a departing guest to find some."""
        task = '/proc/%d/task' % self.be.p.pid
        policy = os.SCHED_IDLE if idle else os.SCHED_OTHER
        found = False
        for tid in os.listdir(task):
            try:
                with open(os.path.join(task, tid, 'comm')) as f:
                    comm = f.read().strip()
            except OSError:
                continue
            # The engine's workers: "<device name>-w<worker>", cut to
            # fit the 15 characters of a thread name.
            if 'netdma' in comm and re.search(r"-w\d+$", comm):
                os.sched_setscheduler(int(tid), policy, os.sched_param(0))
                found = True
        return found

    def stop_backend(self):
        """SIGINT with a guest attached and frames in flight."""
        self.stop_backend_expect(0)

    def stop_backend_expect(self, want_rc):
        """SIGINT; checks the exit status if want_rc is not None."""
        self.be.signal(signal.SIGINT)
        rc = self.be.wait(20)
        if want_rc is not None:
            self.c.check('%s: backend exits %d on SIGINT' %
                         (self.name, want_rc), rc == want_rc, 'rc=%s' % rc)
        return rc

    def result(self, timeout=1):
        """The backend's final line as a dict, or None."""
        ln = self.be.wait_line(r'^VHOST_DMA RESULT', timeout)
        if ln is not None:
            log(ln)
        return kv(ln) if ln is not None else None

    def check_result(self, sessions, dma, chain, flood, starved=False):
        n = self.name
        r = self.result()
        if not self.c.check('%s: final accounting printed' % n,
                            r is not None):
            return
        mode = ('stock' if '--stock-vhost' in self.backend_args else
                'cpu' if '--cpu-copy' in self.backend_args else 'dma')
        mapped = self.be.find_all(r'^VHOST_DMA: guest memory .* mapped for')
        # Stock vhost maps nothing itself; the dma mode maps every region.
        self.c.check('%s: mode %s, guest memory mapped by the backend: %s' %
                     (n, mode, 'yes' if mode == 'dma' else 'no'),
                     r['mode'] == mode and
                     (len(mapped) > 0) == (mode == 'dma'),
                     'mode=%s, %d regions mapped' % (r['mode'], len(mapped)))
        lost = sum(s['lost'] for s in sessions if s)
        self.c.check('%s: every frame accounted' % n,
                     r['generated'] == r['accepted'] + r['refused'] and
                     r['accepted'] == r['returned'] + r['lost'] and
                     r['lost'] == lost and r['lost_by_seq'] == r['lost'],
                     'generated %d = returned %d + refused %d + lost %d' %
                     (r['generated'], r['returned'], r['refused'], r['lost']))
        self.c.check('%s: no corruption, no reordering' % n,
                     r['corrupted'] == 0 and r['reordered'] == 0 and
                     r['ghosts'] == 0 and r['good'] == r['returned'],
                     'good=%d corrupted=%d reordered=%d ghosts=%d' %
                     (r['good'], r['corrupted'], r['reordered'],
                      r['ghosts']))
        self.c.check('%s: sizes 64..1518 returned' % n,
                     r['min_len'] == 64 and r['max_len'] == 1518,
                     'min %d max %d' % (r['min_len'], r['max_len']))
        if chain:
            self.c.check('%s: mbuf chains both ways' % n,
                         r['chains_gen'] > 0 and r['chains_ret'] > 0,
                         'generated %d, dequeued %d' %
                         (r['chains_gen'], r['chains_ret']))
        if flood:
            self.c.check('%s: full guest ring refusals counted' % n,
                         r['refused'] > 0, 'refused=%d' % r['refused'])
        if dma:
            self.c.check('%s: DMA all completed, no errors' % n,
                         r['dma_submitted'] > 0 and
                         r['dma_submitted'] == r['dma_completed'] and
                         r['dma_errors'] == 0,
                         'submitted=%d completed=%d errors=%d' %
                         (r['dma_submitted'], r['dma_completed'],
                          r['dma_errors']))
        if starved:
            # Starving the engine makes in-flight copies at departure
            # likely, not certain, on a shared core: report, do not judge.
            # The session accounting above is what must hold either way.
            print('[note] %s: departing guest found copies in flight'
                  ' finished by clears: enqueue %d, dequeue %d' %
                  (n, r['cleared_enq'], r['cleared_deq']), flush=True)
        # PASS needs traffic: every check above also holds on none.
        self.c.check('%s: backend verdict' % n,
                     r['status'] == 'PASS' and r['failed'] == '-' and
                     r['returned'] > 0,
                     'status=%s failed=%s returned=%d' %
                     (r['status'], r['failed'], r['returned']))

    def cleanup(self):
        for p in self.procs:
            p.kill()
        # --no-shconf still leaves an empty EAL runtime directory.
        for p in self.procs:
            prefix = 'vhe2e-' + ('be-' + self.name if p is self.be else
                                 p.name)
            for top in ('/var/run/dpdk', os.path.join(
                    os.environ.get('XDG_RUNTIME_DIR', '/tmp'), 'dpdk')):
                try:
                    os.rmdir(os.path.join(top, prefix))
                except OSError:
                    pass


def full_flow(name, build, tmp, checks, args, engine, dma, chain):
    """Guest quits, guest is killed, backend is stopped: three sessions."""
    f = Flow(name, build, tmp, checks, args, engine)
    try:
        if not f.start_backend():
            return
        sessions = []
        g = f.attach(1)
        if dma:
            # The guest leaves with copies in flight both ways: the
            # clears in vring_state_changed/destroy_device must finish
            # them before the guest memory goes.
            checks.check('%s: DMA engine starved' % name, f.engine_idle(True))
            time.sleep(0.5)
        gst = f.quit_guest(g)
        if dma:
            f.engine_idle(False)
        s = f.session_line(1)
        f.check_guest_quit(1, s, gst)
        sessions.append(s)

        g = f.attach(2)
        g.signal(signal.SIGKILL)
        g.wait(5)
        s = f.session_line(2)
        f.check_guest_killed(2, s)
        sessions.append(s)

        g = f.attach(3)
        f.stop_backend()
        s = f.session_line(3, 1)
        gst = f.quit_guest(g)
        f.check_backend_stop(3, s, gst)
        sessions.append(s)
        f.check_result(sessions, dma, chain, False, starved=dma)
    except FlowAbort as e:
        checks.check('%s: flow completed' % name, False, str(e))
    finally:
        f.cleanup()


def flood_flow(name, build, tmp, checks, args, engine, dma):
    """No window: the guest ring refuses what it cannot take."""
    f = Flow(name, build, tmp, checks, args + ['--window', '0'], engine)
    try:
        if not f.start_backend():
            return
        g = f.attach(1)
        f.stop_backend()
        s = f.session_line(1, 1)
        gst = f.quit_guest(g)
        f.check_backend_stop(1, s, gst, full_ring=True)
        f.check_result([s], dma, False, True)
    except FlowAbort as e:
        checks.check('%s: flow completed' % name, False, str(e))
    finally:
        f.cleanup()


def stock_unmapped_flow(name, build, tmp, checks):
    """--stock-vhost on an engine without sva=1: nothing maps guest memory
    for it, so the first copy fails, and vhost only logs that. The backend
    must notice the halted channel, say what to do, and stop with FAIL
    rather than stall with the queue stuck."""
    f = Flow(name, build, tmp, checks, ['--stock-vhost', '--yield'],
             ENGINE_BACKEND_CORE)
    try:
        if not f.start_backend():
            return
        g = f.start_guest()
        ln = f.be.wait_line(r'guest memory is not mapped for the DMA '
                            r'device: use sva=1 or map it', 20)
        checks.check('%s: backend names the cause and the fix' % name,
                     ln is not None, ln or 'no such line (see %s.log)' %
                     f.be.name)
        rc = f.be.wait(15)
        checks.check('%s: backend stops by itself, exit 1' % name, rc == 1,
                     'rc=%s' % rc)
        r = f.result()
        checks.check('%s: verdict FAIL, channel halted' % name,
                     r is not None and r['status'] == 'FAIL' and
                     'dma_halted' in r['failed'].split(','),
                     'status=%s failed=%s' % (r['status'], r['failed'])
                     if r else 'no result line')
        f.quit_guest(g)
    finally:
        f.cleanup()


def no_traffic_flow(name, build, tmp, checks):
    """No frame returned must be a FAIL, however it comes about: no guest
    at all, or a testpmd guest whose stdin is at end of file, which quits
    as soon as it has started."""
    f = Flow(name + '-noguest', build, tmp, checks, [], ENGINE_BACKEND_CORE)
    try:
        if f.start_backend():
            time.sleep(0.5)
            f.stop_backend_expect(1)
            r = f.result()
            checks.check('%s: no guest: verdict FAIL, no_traffic' % name,
                         r is not None and r['status'] == 'FAIL' and
                         r['returned'] == 0 and
                         'no_traffic' in r['failed'].split(','),
                         'status=%s failed=%s' % (r['status'], r['failed'])
                         if r else 'no result line')
    finally:
        f.cleanup()

    f = Flow(name + '-eof', build, tmp, checks, [], ENGINE_BACKEND_CORE)
    try:
        if not f.start_backend():
            return
        g = f.start_guest(stdin=subprocess.DEVNULL)
        rc = g.wait(15)
        checks.check('%s: testpmd quits by itself at end of input' % name,
                     rc is not None, 'rc=%s' % rc)
        f.session_line(1, 5)
        f.stop_backend_expect(None)
        r = f.result()
        if not checks.check('%s: final accounting printed' % name,
                            r is not None):
            return
        if r['returned'] == 0:
            checks.check('%s: guest quit at once: verdict FAIL, no_traffic,'
                         ' exit 1' % name,
                         r['status'] == 'FAIL' and
                         'no_traffic' in r['failed'].split(',') and
                         f.be.p.returncode == 1,
                         'status=%s failed=%s rc=%s' %
                         (r['status'], r['failed'], f.be.p.returncode))
        else:
            # The guest may return a few frames before it quits: then
            # the verdict is on those, and the checks above hold it.
            log('[note] %s: %d frames came back before testpmd quit' %
                (name, r['returned']))
    finally:
        f.cleanup()


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    build = os.path.abspath(sys.argv[1])
    checks = Checks()
    for path in (os.path.join(build, 'examples', 'vhost_dma',
                              'netdma-vhost-dma'),
                 os.path.join(build, 'drivers', 'dma', 'netdma',
                              'librte_dma_netdma.so')):
        if not checks.check('built: %s' % os.path.basename(path),
                            os.path.exists(path)):
            checks.summary()
            return 1
    if shutil.which('dpdk-testpmd') is None:
        checks.check('dpdk-testpmd installed (Debian package dpdk)', False)
        checks.summary()
        return 1

    tmp = tempfile.mkdtemp(prefix='vhost_e2e.')
    sizes = ['--sizes', '64,1518,64-1518']
    try:
        # The backend maps guest memory for a strict-IOMMU engine.
        full_flow('dma', build, tmp, checks, sizes + ['--chain'],
                  ENGINE_GUEST_CORE, True, True)
        # A stock vhost application: nothing mapped, the engine shares
        # the process's address space.
        full_flow('stock', build, tmp, checks,
                  sizes + ['--chain', '--stock-vhost'],
                  ENGINE_GUEST_CORE + ',sva=1', True, True)
        # Each virtqueue its own channel of one two-channel card: guest
        # memory mapped once, for the card, serves both.
        flood_flow('dma-flood', build, tmp, checks,
                   sizes + ['--yield',
                            '--dma', 'dma_netdma0-ch0,dma_netdma0-ch1'],
                   ENGINE_BACKEND_CORE + ',channels=2', True)
        full_flow('cpu', build, tmp, checks,
                  sizes + ['--chain', '--cpu-copy'], ENGINE_BACKEND_CORE,
                  False, True)
        stock_unmapped_flow('stock-nosva', build, tmp, checks)
        no_traffic_flow('no-traffic', build, tmp, checks)
    finally:
        if checks.failed:
            log('logs kept in %s' % tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    checks.summary()
    return 0 if checks.failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
