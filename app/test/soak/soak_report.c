/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * What the soak says: a ring of its last actions and of the last log
 * lines (DPDK's log goes there rather than to the terminal: the soak
 * provokes many expected complaints), a violation report with everything
 * needed to replay and debug it, and the closing summary.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "soak.h"

#define TRACE_LINES	96
#define LOG_LINES	48
#define LINE_LEN	200

static char trace_ring[TRACE_LINES][LINE_LEN];
static unsigned int trace_next;
static char log_ring[LOG_LINES][LINE_LEN];
static unsigned int log_next;
static char log_line[LINE_LEN];
static size_t log_fill;

static const char * const kind_names[K_MAX] = {
	[K_COPY] = "copy", [K_FILL] = "fill", [K_SG] = "copy_sg",
	[K_LEN0_COPY] = "len0_copy", [K_LEN0_FILL] = "len0_fill",
	[K_HUGE_COPY] = "huge_copy", [K_HUGE_FILL] = "huge_fill",
	[K_OVERLAP] = "overlap", [K_SG_LEN] = "sg_len_mismatch",
	[K_SG_ZERO] = "sg_zero_piece", [K_SG_NB] = "sg_bad_count",
	[K_SRC_NULL] = "src_null", [K_DST_NULL] = "dst_null",
	[K_FILL_NULL] = "fill_null", [K_SRC_UNMAPPED] = "src_unmapped",
	[K_DST_UNMAPPED] = "dst_unmapped",
	[K_FILL_UNMAPPED] = "fill_unmapped",
	[K_SRC_STRADDLE] = "src_straddle", [K_SG_SRC_BAD] = "sg_src_bad",
	[K_SG_DST_BAD] = "sg_dst_bad", [K_SRC_NONCANON] = "src_noncanonical",
	[K_DST_STRADDLE] = "dst_straddle", [K_DST_RDONLY] = "dst_readonly",
	[K_SRC_SIGBUS] = "src_sigbus", [K_DST_SIGBUS] = "dst_sigbus",
};

const char *
soak_kind_name(unsigned int kind)
{
	return kind < K_MAX ? kind_names[kind] : "?";
}

const char *
soak_status_name(enum rte_dma_status_code st)
{
	switch (st) {
	case RTE_DMA_STATUS_SUCCESSFUL: return "SUCCESSFUL";
	case RTE_DMA_STATUS_USER_ABORT: return "USER_ABORT";
	case RTE_DMA_STATUS_NOT_ATTEMPTED: return "NOT_ATTEMPTED";
	case RTE_DMA_STATUS_INVALID_SRC_ADDR: return "INVALID_SRC_ADDR";
	case RTE_DMA_STATUS_INVALID_DST_ADDR: return "INVALID_DST_ADDR";
	case RTE_DMA_STATUS_INVALID_ADDR: return "INVALID_ADDR";
	case RTE_DMA_STATUS_INVALID_LENGTH: return "INVALID_LENGTH";
	case RTE_DMA_STATUS_INVALID_OPCODE: return "INVALID_OPCODE";
	case RTE_DMA_STATUS_BUS_READ_ERROR: return "BUS_READ_ERROR";
	case RTE_DMA_STATUS_BUS_WRITE_ERROR: return "BUS_WRITE_ERROR";
	case RTE_DMA_STATUS_BUS_ERROR: return "BUS_ERROR";
	case RTE_DMA_STATUS_DATA_POISION: return "DATA_POISON";
	case RTE_DMA_STATUS_DESCRIPTOR_READ_ERROR:
		return "DESCRIPTOR_READ_ERROR";
	case RTE_DMA_STATUS_DEV_LINK_ERROR: return "DEV_LINK_ERROR";
	case RTE_DMA_STATUS_PAGE_FAULT: return "PAGE_FAULT";
	case RTE_DMA_STATUS_ERROR_UNKNOWN: return "ERROR_UNKNOWN";
	default: return "?";
	}
}

void
soak_trace(const struct soak_chan *c, const char *fmt, ...)
{
	char *line = trace_ring[trace_next++ % TRACE_LINES];
	int n;
	va_list ap;

	n = snprintf(line, LINE_LEN, "step %" PRIu64 " %s: ", soak.step,
		c != NULL ? c->name : "-");
	if (n < 0 || n >= LINE_LEN)
		return;
	va_start(ap, fmt);
	vsnprintf(line + n, LINE_LEN - n, fmt, ap);
	va_end(ap);
	if (soak.verbose)
		printf("%s\n", line);
}

static void
log_push(void)
{
	log_line[log_fill] = '\0';
	snprintf(log_ring[log_next++ % LOG_LINES], LINE_LEN, "%s", log_line);
	log_fill = 0;
}

static ssize_t
log_write(void *cookie __rte_unused, const char *buf, size_t size)
{
	size_t i;

	if (soak.verbose)
		fwrite(buf, 1, size, stderr);
	for (i = 0; i < size; i++) {
		if (buf[i] == '\n')
			log_push();
		else if (log_fill < LINE_LEN - 1)
			log_line[log_fill++] = buf[i];
	}
	return (ssize_t)size;
}

/* DPDK's log into the ring (and to stderr with --verbose). */
void
soak_log_capture(void)
{
	static const cookie_io_functions_t io = { .write = log_write };
	FILE *f = fopencookie(NULL, "w", io);

	if (f != NULL) {
		setvbuf(f, NULL, _IOLBF, 0);
		rte_openlog_stream(f);
	}
}

static void
print_ring(FILE *f, const char *title, char (*ring)[LINE_LEN],
		unsigned int lines, unsigned int next)
{
	unsigned int i;

	fprintf(f, "  %s:\n", title);
	for (i = next > lines ? next - lines : 0; i < next; i++)
		fprintf(f, "    %s\n", ring[i % lines]);
}

static void
print_op(FILE *f, const struct soak_op *op)
{
	unsigned int i;

	fprintf(f, "  op id %u: %s, len %u, %ssubmitted, expect %s%s, area %p+%u (prefill seed 0x%016" PRIx64 ")\n",
		op->id, soak_kind_name(op->kind), op->len,
		op->submitted ? "" : "not ", soak_status_name(op->expect),
		op->is_fill ? ", fill" : "", (void *)op->area, op->area_len,
		op->area_seed);
	if (op->is_fill)
		fprintf(f, "    pattern 0x%016" PRIx64 "\n", op->pattern);
	for (i = 0; i < op->nb_src; i++)
		fprintf(f, "    src %u: %p+%u%s\n", i, (void *)op->src[i].ptr,
			op->src[i].len, op->src[i].bad ? " (bad)" : "");
	for (i = 0; i < op->nb_dst; i++)
		fprintf(f, "    dst %u: %p+%u%s\n", i, (void *)op->dst[i].ptr,
			op->dst[i].len, op->dst[i].bad ? " (bad)" : "");
}

static void
print_context(FILE *f)
{
	fprintf(f, "  seed %" PRIu64 "; replay the same decisions with --seed %" PRIu64
		" (engine timing still varies)\n", soak.seed, soak.seed);
	print_ring(f, "last actions", trace_ring, TRACE_LINES, trace_next);
	fflush(rte_log_get_stream());
	print_ring(f, "last log lines", log_ring, LOG_LINES, log_next);
}

void
soak_violation(const struct soak_chan *c, const struct soak_op *op,
		const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "\nnetdma-soak: VIOLATION at step %" PRIu64 ": ",
		soak.step);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (c != NULL)
		fprintf(stderr, "  channel %s (dev id %d, card %s \"%s\", ring %u; ids: next %u, submitted to %u, reported to %u)\n",
			c->name, c->dev_id, c->card->name, c->card->devargs,
			c->nb_desc, c->next_id, c->next_submit,
			c->next_report);
	if (op != NULL)
		print_op(stderr, op);
	print_context(stderr);
	if (c != NULL && c->dev_id >= 0 &&
			(c->state == CH_STARTED || c->state == CH_STOPPED)) {
		fprintf(stderr, "  device dump:\n");
		rte_dma_dump(c->dev_id, stderr);
	}
	fflush(NULL);
	/* Not exit(): the engines' threads are still running. */
	_exit(1);
}

void
soak_hang(void)
{
	fflush(stdout);
	fprintf(stderr, "\nnetdma-soak: HANG: step %" PRIu64 " made no progress for %u s\n",
		soak.step, soak.hang_s);
	print_context(stderr);
	fflush(NULL);
	_exit(3);
}

static void
print_counts(const char *title, const uint64_t *v, unsigned int n,
		const char *(*name)(unsigned int), unsigned int from)
{
	unsigned int i, shown = 0;

	printf("  %s:", title);
	for (i = from; i < n; i++) {
		if (v[i] == 0)
			continue;
		if (shown > 0)
			printf(shown % 5 == 0 ? ",\n   " : ",");
		printf(" %s %" PRIu64, name(i), v[i]);
		shown++;
	}
	printf("%s\n", shown == 0 ? " none" : "");
}

static const char *
status_name_u(unsigned int st)
{
	return soak_status_name((enum rte_dma_status_code)st);
}

void
soak_summary(double secs)
{
	const struct soak_counts *n = &soak.n;
	uint64_t bad = 0;
	unsigned int k;

	for (k = K_FIRST_BAD; k < K_MAX; k++)
		bad += n->ops[k];
	printf("netdma-soak: seed %" PRIu64 ", ran %.1f s, %" PRIu64 " steps\n",
		soak.seed, secs, n->steps);
	printf("  ops enqueued: copy %" PRIu64 ", fill %" PRIu64 ", copy_sg %" PRIu64
		", bad %" PRIu64 "\n", n->ops[K_COPY], n->ops[K_FILL],
		n->ops[K_SG], bad);
	print_counts("bad ops by kind", n->ops, K_MAX, soak_kind_name,
		K_FIRST_BAD);
	print_counts("statuses reported", n->status, RTE_DIM(n->status),
		status_name_u, 0);
	printf("  completion calls: completed %" PRIu64 " (%" PRIu64 " ops, has_error %" PRIu64
		"), completed_status %" PRIu64 " (%" PRIu64 " ops), drains %" PRIu64 "\n",
		n->completed_calls, n->completed_ops, n->has_error,
		n->status_calls, n->status_ops, n->drains);
	printf("  submits %" PRIu64 ", ring full (-ENOSPC) %" PRIu64
		", refused SG lists (-EINVAL) %" PRIu64 ", calls on stopped channels %" PRIu64 "\n",
		n->submits, n->enospc, n->einval, n->eio);
	printf("  stops: drained %" PRIu64 ", with work in flight %" PRIu64
		" (dropped %" PRIu64 " ops, %" PRIu64 " never submitted, %" PRIu64
		" checked again before reuse), already stopped %" PRIu64
		"; longest %.1f ms (step %" PRIu64 ")\n",
		n->stops_drained, n->stops_inflight, n->dropped,
		n->dropped_unsubmitted, n->dropped_rechecked, n->stops_noop,
		n->stop_max_ms, n->stop_max_step);
	printf("  starts %" PRIu64 " (already started %" PRIu64 "), reconfigures %" PRIu64
		", closes %" PRIu64 ", busy refusals %" PRIu64
		", stop/start/unplug retried after -ETIMEDOUT %" PRIu64 "\n",
		n->starts, n->starts_noop, n->reconfigs, n->closes,
		n->busy_refusals, n->cmd_retries);
	printf("  unplugs %" PRIu64 " (a channel started %" PRIu64 ", work in flight %" PRIu64
		"; longest %.1f ms, step %" PRIu64 "), probes %" PRIu64 "\n",
		n->unplugs, n->unplugs_started, n->unplugs_inflight,
		n->unplug_max_ms, n->unplug_max_step, n->probes);
	printf("  interrupts: waits %" PRIu64 " (ready %" PRIu64 ", idle %" PRIu64
		"), arm+poll %" PRIu64 ", arm+epoll %" PRIu64 " (fd out of the set after stop %" PRIu64
		"), arm only %" PRIu64 ", wake-ups slower than 5 s %" PRIu64 "\n",
		n->waits, n->waits_ready, n->waits_idle, n->arm_polls,
		n->epolls, n->epoll_stop_checks, n->arms, n->slow_wakes);
	printf("  checks: stats %" PRIu64 " (resets %" PRIu64 "), inflight %" PRIu64
		", vchan_status %" PRIu64 ", dumps %" PRIu64 "; %.1f MiB of memory verified\n",
		n->stats_checks, n->stats_resets, n->inflight_checks,
		n->vchan_status_checks, n->dumps,
		(double)n->bytes_verified / (1 << 20));
	printf("  violations: 0\n");
}
