#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
"""Mutation check of the completion-path guarantees.

Applies each mutation of devtools/mutations.ini, one at a time, to a
scratch copy of the tree, builds it and runs the mutation's test suites.
A mutant is killed when a suite fails (a failed check, which stops the
suite at once, a non-zero exit or a timeout), survives when every suite
passes. A mutant that compiles to the same program as the original
(machine code, data and relocations; debugging information aside) cannot
be killed by any test: it is reported as equivalent and not run. A mutant the data file marks x86 differs from the original only
in ways x86-64 cannot show (an acquire or release that is a plain MOV
there): it is run, and if it survives on x86-64 it is reported as
x86-invisible, with the reason, rather than as a failure. The exit status
is 1 if any other mutant survived, did not apply or did not build.

The scratch copy lives in build-mutate/ of the tree (git ignores it);
the tree itself is only read. Standard library only.
"""

import argparse
import configparser
import hashlib
import os
import platform
import re
import selectors
import shutil
import signal
import subprocess
import sys
import time

TREE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print(msg, flush=True)


def load(path):
    """The suites and the mutations of the data file, in file order."""
    cp = configparser.ConfigParser(interpolation=None, delimiters=("=",),
                                   comment_prefixes=("#",),
                                   inline_comment_prefixes=None)
    cp.optionxform = str
    with open(path, encoding="utf-8") as f:
        cp.read_file(f)
    suites, muts = {}, []
    for name in cp.sections():
        sec = cp[name]
        if name.startswith("suite:"):
            suites[name[len("suite:"):]] = sec["cmd"]
            continue
        missing = {"file", "find", "replace", "breaks", "run"} - set(sec)
        if missing:
            sys.exit(f"{path}: [{name}] lacks {', '.join(sorted(missing))}")
        muts.append({"id": name, **{k: sec[k] for k in sec}})
    for m in muts:
        for s in m["run"].split():
            if s not in suites:
                sys.exit(f"{path}: [{m['id']}] runs unknown suite {s}")
    return suites, muts


def tree_files(tree):
    """Files git knows in the tree, tracked or not yet added."""
    out = subprocess.run(["git", "-C", tree, "ls-files", "-z", "--cached",
                          "--others", "--exclude-standard"],
                         check=True, capture_output=True).stdout
    return [p for p in out.decode().split("\0") if p]


def sync_copy(tree, dst):
    """Make dst a copy of the tree's files; unchanged files keep their
    times, so the scratch build stays incremental between runs."""
    want = set(tree_files(tree))
    for p in want:
        s, d = os.path.join(tree, p), os.path.join(dst, p)
        if not os.path.isfile(s):
            continue
        if os.path.isfile(d):
            with open(s, "rb") as a, open(d, "rb") as b:
                if a.read() == b.read():
                    continue
        os.makedirs(os.path.dirname(d), exist_ok=True)
        shutil.copy2(s, d)
    for root, dirs, files in os.walk(dst):
        for fn in files:
            rel = os.path.relpath(os.path.join(root, fn), dst)
            if rel not in want:
                os.unlink(os.path.join(root, fn))


def mutate_text(text, m):
    """The text with mutation m applied; raises ValueError if its find
    (below its after) is not on exactly one line."""
    lines = text.split("\n")
    start = 0
    if "after" in m:
        hits = [i for i, ln in enumerate(lines) if m["after"] in ln]
        if len(hits) != 1:
            raise ValueError(f"'after' text found on {len(hits)} lines")
        start = hits[0] + 1
        hits = [i for i in range(start, len(lines)) if m["find"] in lines[i]]
        hits = hits[:1]
    else:
        hits = [i for i, ln in enumerate(lines) if m["find"] in ln]
        if len(hits) != 1:
            raise ValueError(f"'find' text found on {len(hits)} lines")
    if not hits:
        raise ValueError("'find' text not found below 'after'")
    i = hits[0]
    lines[i] = lines[i].replace(m["find"], m["replace"], 1)
    return "\n".join(lines)


def run(cmd, cwd, timeout, logf):
    """Exit status of cmd (None on timeout), its output appended to logf."""
    with open(logf, "a", encoding="utf-8") as out:
        out.write(f"$ {cmd if isinstance(cmd, str) else ' '.join(cmd)}\n")
        out.flush()
        try:
            return subprocess.run(cmd, cwd=cwd, shell=isinstance(cmd, str),
                                  stdout=out, stderr=subprocess.STDOUT,
                                  timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            out.write(f"*** timed out after {timeout} s\n")
            return None


# A failed check, as app/test/test_check.h reports it.
FAILED_CHECK = re.compile(r"^\s*FAIL \S+:\d+: ")


def run_suite(cmd, cwd, timeout, logf):
    """None if the suite passes; else what failed. The suite is stopped at
    its first failed check: the test programs go on to their next test,
    and one whose interrupts are broken can sleep for minutes."""
    with open(logf, "a", encoding="utf-8", errors="replace") as out:
        out.write(f"$ {cmd}\n")
        out.flush()
        p = subprocess.Popen(cmd, cwd=cwd, shell=True, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, start_new_session=True)
        sel = selectors.DefaultSelector()
        sel.register(p.stdout, selectors.EVENT_READ)
        deadline, pending, failure = time.monotonic() + timeout, b"", None
        while failure is None:
            left = deadline - time.monotonic()
            if left <= 0:
                failure = f"timed out after {timeout} s"
                break
            if not sel.select(left):
                continue
            chunk = os.read(p.stdout.fileno(), 65536)
            if not chunk:
                break
            out.write(chunk.decode(errors="replace"))
            lines = (pending + chunk).split(b"\n")
            pending = lines.pop()
            for ln in lines:
                text = ln.decode(errors="replace")
                if FAILED_CHECK.match(text):
                    failure = text.strip()
                    break
        sel.close()
        if failure is not None and p.poll() is None:
            os.killpg(p.pid, signal.SIGKILL)
            out.write("\n*** stopped at the first failed check\n")
        rc = p.wait()
        p.stdout.close()
        if failure is None and rc != 0:
            failure = f"exit status {rc}"
        return failure


# Sections that say where the code came from, not what it does: a
# mutation changes their contents (line numbers, expression strings)
# without changing the program.
NOT_PROGRAM = ["--remove-section=.debug*", "--remove-section=.rela.debug*",
               "--remove-section=.comment", "--remove-section=.note*"]


def program_digest(build):
    """A hash of the program in every object file of the build: its
    machine code, and the contents and relocations of every other section
    that is not debugging information. A mutation of a data table (a
    devarg's limits, say) changes .rodata or .data, not the code."""
    digests = {}
    stripped = os.path.join(build, "mutate-stripped.o")
    for root, _, files in os.walk(build):
        for fn in files:
            if not fn.endswith(".o") or fn == "mutate-stripped.o":
                continue
            p = os.path.join(root, fn)
            subprocess.run(["objcopy", *NOT_PROGRAM, p, stripped],
                           capture_output=True, check=True)
            dump = b""
            for opts in (["-d", "-r", "-z"], ["-s", "-r"]):
                out = subprocess.run(["objdump", *opts, stripped],
                                     capture_output=True, check=True).stdout
                # the first lines name the file, not its program
                dump += out.split(b"\n", 2)[-1]
            digests[os.path.relpath(p, build)] = hashlib.sha256(dump).digest()
    os.unlink(stripped)
    return digests


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(TREE, "devtools",
                                                   "mutations.ini"))
    ap.add_argument("--work", default=os.path.join(TREE, "build-mutate"),
                    help="scratch directory (default: %(default)s); not "
                    "under a world-writable directory such as /tmp, where "
                    "EAL refuses to load the PMD")
    ap.add_argument("--only", nargs="+", metavar="ID",
                    help="run only these mutations")
    ap.add_argument("--list", action="store_true",
                    help="list the mutations and exit")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=600,
                    help="seconds per suite run (default: %(default)s)")
    ap.add_argument("--skip-baseline", action="store_true",
                    help="do not run the suites on the unmutated copy")
    args = ap.parse_args()
    # A kill still puts the mutated file back (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    suites, muts = load(args.data)
    if args.list:
        for m in muts:
            log(f"{m['id']:28} {m['file']}: {m['breaks']}")
        return 0
    if args.only:
        unknown = set(args.only) - {m["id"] for m in muts}
        if unknown:
            sys.exit(f"unknown mutation(s): {' '.join(sorted(unknown))}")
        muts = [m for m in muts if m["id"] in args.only]

    work = os.path.abspath(args.work)
    if os.path.commonpath([work, TREE]) == TREE and \
            not os.path.relpath(work, TREE).startswith("build"):
        sys.exit(f"{work}: the scratch copy must not overlay the tree")
    src, build = os.path.join(work, "src"), os.path.join(work, "build")
    logf = os.path.join(work, "mutate.log")
    os.makedirs(src, exist_ok=True)
    open(logf, "w", encoding="utf-8").close()
    log(f"scratch copy {src}, log {logf}")
    sync_copy(TREE, src)
    if not os.path.isdir(os.path.join(build, "meson-private")):
        if run(["meson", "setup", build, src], work, None, logf) != 0:
            sys.exit("meson setup failed: see the log")
    ninja = ["ninja", "-C", build, f"-j{args.jobs}"]
    pmd = os.path.join(build, "drivers", "dma", "netdma",
                       "librte_dma_netdma.so")

    def suite_cmd(name):
        return suites[name].format(build=build, pmd=pmd)

    if run(ninja, work, None, logf) != 0:
        sys.exit("the unmutated copy does not build: see the log")
    baseline = program_digest(build)
    if not args.skip_baseline:
        for s in sorted({s for m in muts for s in m["run"].split()}):
            log(f"baseline: {s}")
            failure = run_suite(suite_cmd(s), build, args.timeout, logf)
            if failure is not None:
                sys.exit(f"baseline suite {s} fails unmutated: {failure}")

    x86 = platform.machine() in ("x86_64", "AMD64")
    results = []
    for m in muts:
        path = os.path.join(src, m["file"])
        with open(path, encoding="utf-8") as f:
            orig = f.read()
        t0 = time.monotonic()
        try:
            mutated = mutate_text(orig, m)
        except ValueError as e:
            results.append((m, "NOT APPLIED", str(e), 0))
            log(f"{m['id']}: not applied: {e}")
            continue
        try:
            with open(path, "w", encoding="utf-8") as f:
                f.write(mutated)
            with open(logf, "a", encoding="utf-8") as f:
                f.write(f"\n===== {m['id']}: {m['breaks']}\n")
            if run(ninja, work, None, logf) != 0:
                verdict, why = "BUILD FAILED", "see the log"
            elif program_digest(build) == baseline:
                verdict, why = "equivalent", "identical program"
            else:
                verdict, why = "SURVIVED", ""
                if "x86" in m and x86:
                    verdict, why = "x86-invisible", m["x86"]
                for s in m["run"].split():
                    failure = run_suite(suite_cmd(s), build, args.timeout,
                                        logf)
                    if failure is not None:
                        verdict, why = "killed", f"{s}: {failure[:100]}"
                        break
        finally:
            with open(path, "w", encoding="utf-8") as f:
                f.write(orig)
        dt = time.monotonic() - t0
        results.append((m, verdict, why, dt))
        log(f"{m['id']}: {verdict} ({dt:.0f} s) {why}")

    run(ninja, work, None, logf)   # leave the copy built unmutated
    log("")
    log(f"{'mutation':28} {'result':12} guarantee it breaks / what caught it")
    for m, verdict, why, _ in results:
        log(f"{m['id']:28} {verdict:12} {m['breaks']}")
        if why:
            log(f"{'':28} {'':12} -> {why}")
    count = {v: sum(1 for r in results if r[1] == v)
             for v in ("killed", "equivalent", "x86-invisible")}
    bad = len(results) - sum(count.values())
    log(f"\n{count['killed']} killed, {count['x86-invisible']} survived as "
        f"expected on x86-64, {count['equivalent']} equivalent (identical "
        f"program), {bad} survived or broken, of {len(results)}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
