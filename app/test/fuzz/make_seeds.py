#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The netdma authors
"""Write the engine fuzzer's seed corpus (app/test/fuzz/corpus/).

Each seed is a small hand-made program in the format of README.md, built
here with one helper per operation so that a reader sees what it does. The
seeds reach the engine's main paths (copy, fill, scatter-gather, errors,
commands, interrupts, IOMMU edits, SVA faults); the fuzzer mutates from
there. Run it after changing the input format: python3 make_seeds.py
"""

import os
import struct
import sys

# Operations (fuzz_program.c) and their variants.
DESC, SGL, MAP, UNMAP, DOORBELL, CMD, ERR_CLEAR, CTRL, CHANCMP, CHAINADDR, \
    REG, WAIT, WRITE, IRQ = range(14)

OP_COPY, OP_FILL, OP_COPY_SG = 0, 1, 2
INT_ON_COMPL, STATUS_UPDATE, FENCE, NULL = 0x01, 0x08, 0x10, 0x20
CTRL_INT_REARM, CTRL_ERR_INT_EN, CTRL_ERR_COMPL_EN = 0x01, 0x02, 0x04
CTRL_INT_ON_IDLE, CTRL_STATUS_ON_IDLE = 0x10, 0x20
CMD_RESUME, CMD_SUSPEND, CMD_ABORT, CMD_RESET = 0x01, 0x02, 0x04, 0x20
ERR_SRC, ERR_DST, ERR_LEN, ERR_READ, ERR_OPCODE, ERR_CMP, ERR_OVERLAP = \
    1, 2, 4, 8, 16, 32, 64

# IOMMU-mode regions: window sizes in fuzz_arena.c.
R_DESC0, R_AUX, R_MID, R_DATA, R_BIG = range(5)


def op(code, chan=0, v=0):
    return bytes([code | chan << 4 | v << 5])


def u16(x):
    return struct.pack('<H', x & 0xFFFF)


def u32(x):
    return struct.pack('<I', x & 0xFFFFFFFF)


def u64(x):
    return struct.pack('<Q', x & 0xFFFFFFFFFFFFFFFF)


def at(region, off, alias=False):
    """An IOVA: byte off of a region (offsets of 64 multiples use slots)."""
    if off % 64 == 0 and off // 64 < 0x10000:
        return bytes([(1 if alias else 0) | region << 2 | 0x20]) + \
            u16(off // 64)
    return bytes([(1 if alias else 0) | region << 2]) + u16(off)


def special(k):
    return bytes([2]) + u16(k)


def raw(addr):
    """IOMMU: a raw IOVA. SVA: an address in the role zone's guard."""
    return bytes([3]) + u16(0) + u64(addr)


def guard(above, aligned=True, k=0):
    return bytes([3 | (0x20 if aligned else 0)]) + u16(0) + \
        u64((k << 1) | (1 if above else 0))


def num(n):
    if n < 0x80:
        return bytes([n])
    if n < 0x4000:
        return bytes([0x80 | n >> 8, n & 0xFF])
    for s in range(16):
        if n % (1 << s) == 0 and n >> s < 0x10000:
            return bytes([0xC0 | s]) + u16(n >> s)
    return bytes([0xFF]) + u32(n)


def desc(region, slot, opc, flags, size, src=None, dst=None, nxt=None,
         sges=None, pattern=0, reserved=None):
    """Descriptor at slot of region; nxt None: the following slot."""
    kind = opc if opc < 3 else 3
    if nxt is None:
        kind |= 0x08
    if reserved is not None:
        kind |= 0x04
    b = op(DESC) + bytes([region, slot, kind, flags])
    if opc >= 3:
        b += bytes([opc])
    if reserved is not None:
        b += bytes([reserved])
    b += num(size)
    b += u64(pattern) if opc == OP_FILL else src
    b += dst
    if opc == OP_COPY_SG:
        b += bytes(sges)
    if nxt is not None:
        b += nxt
    return b


def sgl(region, index, entries):
    b = op(SGL) + bytes([region, index, len(entries) - 1])
    for addr, length in entries:
        b += addr + num(length)
    return b


def map_(region, off, length, alias=False, pages=False):
    """Map [off, off + length) of a region (pages when pages=True)."""
    v = (1 if alias else 0) | (2 if pages else 0)
    return op(MAP, v=v) + bytes([region]) + u16(off) + u16(length - 1)


def map_all(region, pages, alias=False):
    return map_(region, 0, pages, alias=alias, pages=True)


def unmap(region, off, length, alias=False, pages=False, unclipped=False):
    v = (1 if alias else 0) | (2 if pages else 0) | (4 if unclipped else 0)
    return op(UNMAP, v=v) + bytes([region]) + u16(off) + \
        u16(length if unclipped else length - 1)


def doorbell(k, chan=0):
    return op(DOORBELL, chan, 0) + bytes([k])


def doorbell_set(value, chan=0):
    return op(DOORBELL, chan, 1) + u16(value)


def cmd(value, chan=0, wait=True):
    return op(CMD, chan, 2 if wait else 0) + bytes([value])


def err_clear_all(chan=0):
    return op(ERR_CLEAR, chan, 1) + bytes([0])


def ctrl_set(bits, chan=0):
    return op(CTRL, chan, 0) + u16(bits)


def chancmp(addr, chan=0):
    return op(CHANCMP, chan) + addr


def chainaddr(addr, chan=0):
    return op(CHAINADDR, chan) + addr


def reg(which, value, chan=0):
    """which: 0 INTRDELAY us, 2 CHANERR_MASK, 3 ARB_WEIGHT, 4 ARB_PRIO."""
    return op(REG, chan, which) + bytes([value])


def wait():
    return op(WAIT, v=0) + bytes([0])


def write(region, off, data):
    return op(WRITE) + bytes([region]) + u16(off) + \
        bytes([len(data) - 1]) + data


def irq(chan=0):
    return op(IRQ, chan)


IOMMU, SVA = b'\x00', b'\x01'
# The usual IOMMU setup: descriptor page, status/list page, data pages.
BASE = map_all(R_DESC0, 1) + map_all(R_AUX, 1) + map_all(R_DATA, 4) + \
    ctrl_set(CTRL_ERR_COMPL_EN | CTRL_ERR_INT_EN)

SEEDS = {
    'copy': IOMMU + BASE +
    desc(R_DESC0, 0, OP_COPY, STATUS_UPDATE | INT_ON_COMPL, 1000,
         at(R_DATA, 0), at(R_DATA, 8192)) +
    ctrl_set(CTRL_INT_REARM) + doorbell(1) + wait(),

    'fill_ring': IOMMU + BASE +
    b''.join(desc(R_DESC0, i, OP_FILL, STATUS_UPDATE if i == 7 else 0,
                  64 * (i + 1) + i, dst=at(R_DATA, 1024 * i),
                  pattern=0x1122334455667788,
                  nxt=at(R_DESC0, 0) if i == 7 else None)
             for i in range(8)) +
    ctrl_set(CTRL_STATUS_ON_IDLE) + doorbell(8) + doorbell(8) + wait(),

    'copy_sg': IOMMU + BASE +
    sgl(R_AUX, 8, [(at(R_DATA, 0), 100), (at(R_DATA, 4000), 28),
                   (at(R_DATA, 200, alias=True), 1)]) +
    sgl(R_AUX, 16, [(at(R_DATA, 9000), 64), (at(R_DATA, 12000), 65)]) +
    map_all(R_DATA, 4, alias=True) +
    desc(R_DESC0, 0, OP_COPY_SG, STATUS_UPDATE, 129, at(R_AUX, 128),
         at(R_AUX, 256), sges=(3, 2)) +
    doorbell(1) + wait(),

    'errors_masked': IOMMU + BASE + reg(2, ERR_OPCODE | ERR_LEN | ERR_SRC) +
    desc(R_DESC0, 0, 7, 0, 64, at(R_DATA, 0), at(R_DATA, 64)) +
    desc(R_DESC0, 1, OP_COPY, 0, 0, at(R_DATA, 0), at(R_DATA, 64)) +
    desc(R_DESC0, 2, OP_COPY, 0, 64, at(R_MID, 0), at(R_DATA, 64)) +
    desc(R_DESC0, 3, OP_COPY, 0, 128, at(R_DATA, 0), at(R_DATA, 64)) +
    desc(R_DESC0, 4, OP_COPY, 0x02, 64, at(R_DATA, 0), at(R_DATA, 64),
         reserved=0x10) +
    doorbell(5) + wait() + err_clear_all() + cmd(CMD_RESUME) + wait(),

    # Overlaps seen only on host addresses: a COPY and a COPY_SG whose
    # destination is the source through the alias IOVA space (masked).
    'overlap_alias': IOMMU + BASE + map_all(R_DATA, 4, alias=True) +
    reg(2, ERR_OVERLAP) +
    desc(R_DESC0, 0, OP_COPY, 0, 512, at(R_DATA, 0),
         at(R_DATA, 256, alias=True)) +
    sgl(R_AUX, 8, [(at(R_DATA, 4096), 100), (at(R_DATA, 8192), 100)]) +
    sgl(R_AUX, 16, [(at(R_DATA, 12288), 100),
                    (at(R_DATA, 8292 - 50, alias=True), 100)]) +
    desc(R_DESC0, 1, OP_COPY_SG, STATUS_UPDATE, 200, at(R_AUX, 128),
         at(R_AUX, 256), sges=(2, 2)) +
    doorbell(2) + wait(),

    'halt_resume': IOMMU + BASE +
    desc(R_DESC0, 0, OP_COPY, 0, 256, at(R_DATA, 0), at(R_MID, 0)) +
    desc(R_DESC0, 1, OP_FILL, STATUS_UPDATE, 256, dst=at(R_DATA, 512),
         pattern=0xA5) +
    doorbell(2) + wait() + err_clear_all() + cmd(CMD_RESUME) + wait(),

    'desc_read': IOMMU + BASE +
    desc(R_DESC0, 0, OP_COPY, 0, 64, at(R_DATA, 0), at(R_DATA, 64),
         nxt=at(R_MID, 0)) +
    desc(R_DESC0, 1, OP_COPY, STATUS_UPDATE, 64, at(R_DATA, 0),
         at(R_DATA, 128)) +
    doorbell(3) + wait() + chainaddr(at(R_DESC0, 64)) + err_clear_all() +
    cmd(CMD_RESUME) + wait(),

    'cmp_addr': IOMMU + BASE + chancmp(at(R_MID, 8)) +
    desc(R_DESC0, 0, OP_COPY, NULL | STATUS_UPDATE, 0,
         at(R_DATA, 0), at(R_DATA, 0)) +
    doorbell(1) + wait() + chancmp(at(R_AUX, 8)) + err_clear_all() +
    cmd(CMD_RESUME) + wait(),

    'suspend_big': IOMMU + map_all(R_DESC0, 1) + map_all(R_BIG, 40) +
    desc(R_DESC0, 0, OP_COPY, STATUS_UPDATE, 81920, at(R_BIG, 0),
         at(R_BIG, 81920)) +
    doorbell(1) + cmd(CMD_SUSPEND, wait=False) + wait() +
    cmd(CMD_RESUME) + wait(),

    'abort_big': IOMMU + map_all(R_DESC0, 1) + map_all(R_BIG, 40) +
    desc(R_DESC0, 0, OP_FILL, 0, 163840, dst=at(R_BIG, 0),
         pattern=0x0102030405060708) +
    doorbell(1) + cmd(CMD_ABORT, wait=False) + doorbell(1) + wait(),

    'reset_running': IOMMU + BASE +
    desc(R_DESC0, 0, OP_COPY, 0, 4096, at(R_DATA, 0), at(R_DATA, 8192),
         nxt=at(R_DESC0, 0)) +
    doorbell(200) + cmd(CMD_RESET, wait=False) + doorbell(3) + wait(),

    'unmap_running': IOMMU + map_all(R_DESC0, 1) + map_all(R_BIG, 40) +
    desc(R_DESC0, 0, OP_COPY, 0, 65536, at(R_BIG, 0), at(R_BIG, 65536),
         nxt=at(R_DESC0, 0)) +
    doorbell(4) + unmap(R_BIG, 20, 4, pages=True) + wait(),

    'two_channels': IOMMU + BASE + reg(4, 1) + reg(3, 3, chan=1) +
    b''.join(desc(R_DESC0, i, OP_FILL, 0, 512, dst=at(R_DATA, 512 * i),
                  pattern=i, nxt=at(R_DESC0, 0) if i == 3 else None)
             for i in range(4)) +
    b''.join(desc(R_DESC0, 32 + i, OP_COPY, STATUS_UPDATE, 256,
                  at(R_DATA, 8192 + 256 * i), at(R_DATA, 12288 + 256 * i),
                  nxt=at(R_DESC0, 2048) if i == 3 else None)
             for i in range(4)) +
    doorbell(100) + doorbell(100, chan=1) + wait(),

    'iommu_edits': IOMMU +
    map_(R_DATA, 0, 2, pages=True) + map_(R_DATA, 2, 2, pages=True) +
    map_(R_DATA, 100, 50) + unmap(R_DATA, 4096, 100) +
    unmap(R_DATA, 0, 16384, unclipped=True) + map_(R_MID, 0, 2, pages=True) +
    unmap(R_DATA, 16380, 8, unclipped=True) + map_all(R_AUX, 1, alias=True) +
    unmap(R_AUX, 1000, 24, alias=True) + map_(R_AUX, 1000, 24, alias=True) +
    map_all(R_DESC0, 1) +
    desc(R_DESC0, 0, OP_COPY, STATUS_UPDATE, 8000, at(R_DATA, 0),
         at(R_MID, 0)) +
    doorbell(1) + wait(),

    'interrupts': IOMMU + BASE +
    ctrl_set(CTRL_INT_REARM | CTRL_INT_ON_IDLE | CTRL_STATUS_ON_IDLE) +
    reg(0, 50) +
    desc(R_DESC0, 0, OP_FILL, INT_ON_COMPL, 64, dst=at(R_DATA, 0),
         pattern=7) +
    desc(R_DESC0, 1, OP_COPY, NULL | INT_ON_COMPL | FENCE, 0,
         at(R_DATA, 0), at(R_DATA, 0)) +
    doorbell(2) + wait() + irq() + ctrl_set(CTRL_INT_REARM) + doorbell(1) +
    wait() + irq(),

    'doorbell_wrap': IOMMU + map_all(R_DESC0, 1) + map_all(R_AUX, 1) +
    b''.join(desc(R_DESC0, i, OP_COPY, NULL, 0, at(R_DATA, 0),
                  at(R_DATA, 0), nxt=at(R_DESC0, 0) if i == 63 else None)
             for i in range(64)) +
    doorbell_set(0xFFFF) + wait(),

    'sva_copy': SVA + ctrl_set(CTRL_ERR_COMPL_EN) +
    desc(0, 0, OP_COPY, STATUS_UPDATE, 3000, at(0, 0), at(0, 8192)) +
    desc(0, 1, OP_FILL, 0, 100000, dst=at(0, 65536), pattern=0xEE) +
    sgl(0, 0, [(at(0, 0), 10), (at(0, 100), 20)]) +
    sgl(0, 4, [(at(0, 50000), 30)]) +
    desc(0, 2, OP_COPY_SG, STATUS_UPDATE, 30, at(0, 0), at(0, 64),
         sges=(2, 1)) +
    doorbell(3) + wait(),

    # Address 0 with SVA: as source, destination, segment and status
    # address, each a page fault that the channel recovers from.
    'sva_null': SVA + ctrl_set(CTRL_ERR_COMPL_EN) +
    desc(0, 0, OP_COPY, 0, 64, special(0), at(0, 0)) +
    desc(0, 1, OP_FILL, 0, 64, dst=special(0), pattern=5) +
    sgl(0, 0, [(special(0), 64)]) + sgl(0, 1, [(at(0, 0), 64)]) +
    desc(0, 2, OP_COPY_SG, 0, 64, at(0, 0), at(0, 16), sges=(1, 1)) +
    desc(0, 3, OP_COPY, STATUS_UPDATE, 64, at(0, 0), at(0, 64)) +
    doorbell(4) + wait() +
    err_clear_all() + cmd(CMD_RESUME) + wait() +
    err_clear_all() + cmd(CMD_RESUME) + wait() +
    chancmp(special(0)) + err_clear_all() + cmd(CMD_RESUME) + wait(),

    'sva_faults': SVA + ctrl_set(CTRL_ERR_COMPL_EN | CTRL_ERR_INT_EN) +
    desc(0, 0, OP_COPY, 0, 4096, guard(False), at(0, 0)) +
    desc(0, 1, OP_COPY, 0, 200000, at(0, 0), at(0, 100000)) +
    desc(0, 2, OP_COPY, 0, 64, special(1), at(0, 0)) +
    sgl(0, 0, [(at(0, 0), 64)]) +
    desc(0, 3, OP_COPY_SG, 0, 64, guard(True), at(0, 0), sges=(1, 1)) +
    desc(0, 4, OP_FILL, STATUS_UPDATE, 64, dst=at(0, 0), pattern=1,
         nxt=guard(True)) +
    reg(2, ERR_LEN) +
    doorbell(1) + wait() + err_clear_all() + cmd(CMD_RESUME) + wait() +
    err_clear_all() + cmd(CMD_RESUME) + wait() +
    err_clear_all() + cmd(CMD_RESUME) + wait() +
    err_clear_all() + cmd(CMD_RESUME) + doorbell(5) + wait() +
    chancmp(guard(True)) + err_clear_all() + cmd(CMD_RESUME) + wait(),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'corpus')
    os.makedirs(out, exist_ok=True)
    for name, data in sorted(SEEDS.items()):
        with open(os.path.join(out, name), 'wb') as f:
            f.write(data)
    print(f'{len(SEEDS)} seeds in {out}', file=sys.stderr)


if __name__ == '__main__':
    main()
