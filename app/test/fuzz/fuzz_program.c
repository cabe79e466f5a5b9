/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * The input read as a program. Each operation starts with one byte: bits
 * 3:0 the operation, bit 4 the channel, bits 7:5 a variant v; operands
 * follow. Every field is taken as it comes, within the arena: the harness
 * never repairs a descriptor, a list or a register value. README.md lists
 * the operations and their operands.
 */

#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "netdma_mmio.h"

#define PROGRAM_NS	(1000ull * 1000 * 1000)

enum fz_op {
	FZ_OP_DESC,		/* write a descriptor */
	FZ_OP_SGL,		/* write a COPY_SG segment list */
	FZ_OP_MAP,		/* map part of a window area */
	FZ_OP_UNMAP,		/* unmap an IOVA range */
	FZ_OP_DOORBELL,		/* write DOORBELL */
	FZ_OP_CMD,		/* post a command */
	FZ_OP_ERR_CLEAR,	/* clear CHANERR bits */
	FZ_OP_CTRL,		/* change CHANCTRL */
	FZ_OP_CHANCMP,		/* write CHANCMP */
	FZ_OP_CHAINADDR,	/* write CHAINADDR */
	FZ_OP_REG,		/* INTRDELAY, CHANERR_MASK, ARB_* */
	FZ_OP_WAIT,		/* let the engine run */
	FZ_OP_WRITE,		/* store raw bytes into the arena */
	FZ_OP_IRQ,		/* consume the interrupt */
};

uint8_t
fz_u8(struct fz_in *in)
{
	return in->pos < in->n ? in->p[in->pos++] : 0;
}

uint16_t
fz_u16(struct fz_in *in)
{
	uint16_t lo = fz_u8(in);

	return (uint16_t)(lo | fz_u8(in) << 8);
}

uint32_t
fz_u32(struct fz_in *in)
{
	uint32_t lo = fz_u16(in);

	return lo | (uint32_t)fz_u16(in) << 16;
}

uint64_t
fz_u64(struct fz_in *in)
{
	uint64_t lo = fz_u32(in);

	return lo | (uint64_t)fz_u32(in) << 32;
}

/*
 * A size or length: one byte m. Below 0x80: m itself. 0x80-0xBF: 14 bits
 * with the next byte. 0xC0-0xCF: 16 bits shifted left by m & 15. 0xD0-0xFE:
 * an edge from the table. 0xFF: 32 raw bits.
 */
static uint32_t
fz_num(struct fz_in *in)
{
	static const uint32_t edge[] = {
		1, 63, 64, 4095, 4096, 8192, 16384, 65535, 65536, 65537,
		131072, 163840, NETDMA_MAX_XFER, NETDMA_MAX_XFER + 1,
		UINT32_MAX,
	};
	uint8_t m = fz_u8(in);

	if (m < 0x80)
		return m;
	if (m < 0xC0)
		return (uint32_t)(m & 0x3F) << 8 | fz_u8(in);
	if (m < 0xD0)
		return (uint32_t)((uint64_t)fz_u16(in) << (m & 15));
	if (m < 0xFF)
		return edge[(m - 0xD0) % (sizeof(edge) / sizeof(edge[0]))];
	return fz_u32(in);
}

static struct fz_region *
region(struct fz_ctx *c, uint8_t r)
{
	return &c->arena.reg[r % c->arena.nb_reg];
}

/* Where descriptor slot s of region r lies: IOMMU any region, SVA the
 * descriptor zone. */
static struct fz_region *
desc_region(struct fz_ctx *c, uint8_t r)
{
	return c->sva ? &c->arena.reg[FZ_ROLE_DESC] : region(c, r);
}

static void
op_desc(struct fz_ctx *c, struct fz_in *in)
{
	struct fz_region *r = desc_region(c, fz_u8(in));
	uint64_t off = (uint64_t)fz_u8(in) * 64 % r->len;
	uint8_t kind = fz_u8(in), flags = fz_u8(in);
	uint32_t op = kind & 3;
	struct netdma_desc d;
	enum fz_role role;
	bool sg;

	memset(&d, 0, sizeof(d));
	if (op == 3)
		op = fz_u8(in);
	sg = op == NETDMA_OP_COPY_SG;
	d.ctrl = flags | op << NETDMA_DESC_OP_SHIFT;
	if (kind & 0x04)
		d.ctrl |= (uint32_t)fz_u8(in) << 8;	/* reserved bits */
	d.size = fz_num(in);
	role = sg ? FZ_ROLE_LIST : FZ_ROLE_DATA;
	if (op == NETDMA_OP_FILL)
		d.src = fz_u64(in);	/* the pattern */
	else
		d.src = fz_aref(&c->arena, in, role);
	d.dst = fz_aref(&c->arena, in, role);
	if (sg) {
		d.src_sges = fz_u8(in);
		d.dst_sges = fz_u8(in);
	}
	/* A ring in one step: next is the following slot of the region. */
	if (kind & 0x08)
		d.next = fz_iova(&c->arena, 0, r, (off + 64) % r->len);
	else
		d.next = fz_aref(&c->arena, in, FZ_ROLE_DESC);
	fz_arena_write(&c->arena, r->va + off, &d, sizeof(d));
}

static void
op_sgl(struct fz_ctx *c, struct fz_in *in)
{
	struct fz_region *r = region(c, fz_u8(in));
	uint64_t off = (uint64_t)fz_u8(in) * 16;
	unsigned int n = (fz_u8(in) & 15) + 1, i;

	if (c->sva)
		r = &c->arena.reg[FZ_ROLE_LIST];
	off %= r->len;
	if (n > (r->len - off) / 16)
		n = (r->len - off) / 16;
	for (i = 0; i < n; i++) {
		struct netdma_sge e = { 0 };

		e.addr = fz_aref(&c->arena, in, FZ_ROLE_DATA);
		e.len = fz_num(in);
		fz_arena_write(&c->arena, r->va + off + i * 16, &e, sizeof(e));
	}
}

/* A range inside region r: bytes, or pages when v & 2. */
static void
window_range(const struct fz_region *r, uint8_t v, uint16_t off,
		uint16_t len, uint64_t *o, uint64_t *l)
{
	uint64_t unit = v & 2 ? 4096 : 1, units = r->len / unit;

	*o = off % units;
	*l = 1 + len % (units - *o);
	*o *= unit;
	*l *= unit;
}

static void
op_map(struct fz_ctx *c, struct fz_in *in, uint8_t v)
{
	uint8_t ri = fz_u8(in) % c->arena.nb_reg;
	uint16_t off = fz_u16(in), len = fz_u16(in);
	uint64_t o, l;

	window_range(&c->arena.reg[ri], v, off, len, &o, &l);
	fz_iommu_map(c, v & 1, ri, o, l);
}

/* v & 4: the length is not clipped to the region, so the range may run
 * into the next region or past the end of the space. */
static void
op_unmap(struct fz_ctx *c, struct fz_in *in, uint8_t v)
{
	const struct fz_region *r = region(c, fz_u8(in));
	uint16_t off = fz_u16(in), len = fz_u16(in);
	uint64_t o, l;

	if (v & 4) {
		uint64_t unit = v & 2 ? 4096 : 1;

		o = off % r->len;
		l = (len ? len : 1) * unit;
	} else {
		window_range(r, v, off, len, &o, &l);
	}
	fz_iommu_unmap(c, v & 1, r->iova_off + o, l);
}

static void
op_doorbell(struct fz_chan *ch, struct fz_in *in, uint8_t v)
{
	switch (v) {
	case 0:
		fz_doorbell(ch, (uint16_t)(ch->dmacount + fz_u8(in)));
		break;
	case 1:
		fz_doorbell(ch, fz_u16(in));
		break;
	case 2:
		fz_doorbell(ch, fz_u32(in));	/* reserved bits 31:16 */
		break;
	default:
		fz_doorbell(ch, (uint16_t)(ch->dmacount + 1));
		break;
	}
}

/* v & 1: one of the named commands and combinations; else raw. v & 2:
 * wait until the engine takes it. */
static void
op_cmd(struct fz_chan *ch, struct fz_in *in, uint8_t v)
{
	static const uint8_t named[] = {
		NETDMA_CMD_RESUME, NETDMA_CMD_SUSPEND, NETDMA_CMD_ABORT,
		NETDMA_CMD_RESET, FZ_CMD_NOOP,
		NETDMA_CMD_SUSPEND | NETDMA_CMD_RESUME,
		NETDMA_CMD_ABORT | NETDMA_CMD_RESUME, 0xFF,
	};
	uint8_t cmd = fz_u8(in);

	if (v & 1)
		cmd = named[cmd & 7];
	fz_cmd(ch, cmd, v & 2);
}

static void
op_err_clear(struct fz_chan *ch, struct fz_in *in, uint8_t v)
{
	uint32_t bits = fz_u8(in);

	if (v & 1)
		bits = netdma_mmio_read(ch->regs, chanerr);
	if (bits != 0)
		ch->err_cleared = true;
	netdma_mmio_clear(ch->regs, chanerr, bits);
}

static void
op_ctrl(struct fz_chan *ch, struct fz_in *in, uint8_t v)
{
	uint16_t bits = fz_u16(in);

	if (v == 0)
		netdma_mmio_set(ch->regs, chanctrl, bits);
	else if (v == 1)
		netdma_mmio_clear(ch->regs, chanctrl, bits);
	else
		netdma_mmio_write(ch->regs, chanctrl, bits);
}

static void
op_reg(struct fz_chan *ch, struct fz_in *in, uint8_t v)
{
	uint8_t x = fz_u8(in);

	switch (v) {
	case 0:
		netdma_mmio_write(ch->regs, intrdelay, x);
		break;
	case 1:
		netdma_mmio_write(ch->regs, intrdelay, (uint16_t)(x << 8));
		break;
	case 2:
		netdma_mmio_write(ch->regs, chanerr_mask, x);
		break;
	case 3:
		netdma_mmio_write(ch->regs, arb_weight, x);
		break;
	case 4:
		netdma_mmio_write(ch->regs, arb_prio, x);
		break;
	default:
		netdma_mmio_write(ch->regs, intrdelay, 0);
		break;
	}
}

static void
op_wait(struct fz_ctx *c, struct fz_in *in, uint8_t v)
{
	uint8_t x = fz_u8(in);

	if (v == 0)
		fz_settle(c, 20ull * 1000 * 1000, NULL);
	else if (v == 1)
		usleep(x);
}

/* Raw bytes over whatever is there; SVA: data zone only, which never
 * holds an address the engine reads. */
static void
op_write(struct fz_ctx *c, struct fz_in *in)
{
	struct fz_region *r = region(c, fz_u8(in));
	uint64_t off = fz_u16(in);
	unsigned int n = (fz_u8(in) & 15) + 1, i;
	uint8_t buf[16];

	if (c->sva)
		r = &c->arena.reg[FZ_ROLE_DATA];
	off %= r->len;
	for (i = 0; i < n; i++)
		buf[i] = fz_u8(in);
	if (n > r->len - off)
		n = r->len - off;
	fz_arena_write(&c->arena, r->va + off, buf, n);
}

/*
 * Run the program, for PROGRAM_NS at most: an input of many waits or
 * commands behind long turns is slow, not hung, and what is left of it
 * is skipped rather than reported by libFuzzer as a timeout.
 */
void
fz_program_run(struct fz_ctx *c, struct fz_in *in)
{
	uint64_t deadline = fz_now_ns() + PROGRAM_NS;

	while (in->pos < in->n && fz_now_ns() < deadline) {
		uint8_t b = fz_u8(in), v = b >> 5;
		struct fz_chan *ch = &c->ch[(b >> 4) & 1];

		switch ((enum fz_op)(b & 15)) {
		case FZ_OP_DESC:
			op_desc(c, in);
			break;
		case FZ_OP_SGL:
			op_sgl(c, in);
			break;
		case FZ_OP_MAP:
			op_map(c, in, v);
			break;
		case FZ_OP_UNMAP:
			op_unmap(c, in, v);
			break;
		case FZ_OP_DOORBELL:
			op_doorbell(ch, in, v);
			break;
		case FZ_OP_CMD:
			op_cmd(ch, in, v);
			break;
		case FZ_OP_ERR_CLEAR:
			op_err_clear(ch, in, v);
			break;
		case FZ_OP_CTRL:
			op_ctrl(ch, in, v);
			break;
		case FZ_OP_CHANCMP:
			netdma_mmio_write(ch->regs, chancmp,
				fz_aref(&c->arena, in, FZ_ROLE_CMP));
			break;
		case FZ_OP_CHAINADDR:
			netdma_mmio_write(ch->regs, chainaddr,
				fz_aref(&c->arena, in, FZ_ROLE_DESC));
			break;
		case FZ_OP_REG:
			op_reg(ch, in, v);
			break;
		case FZ_OP_WAIT:
			op_wait(c, in, v);
			break;
		case FZ_OP_WRITE:
			op_write(c, in);
			break;
		case FZ_OP_IRQ:
			fz_irq_drain(ch);
			break;
		default:
			break;
		}
	}
}
