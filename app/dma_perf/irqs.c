/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * /proc/interrupts, one CPU's column. Its first line names the columns,
 * "CPU0 CPU1 ...", one per online CPU (so the column of CPU n is not
 * always n); then each line is "<label>: <count per column> <text>".
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irqs.h"

#define PROC_INTERRUPTS	"/proc/interrupts"

const char * const dp_irq_names[DP_IRQ_KINDS] = {
	[DP_IRQ_CAL] = "CAL",
	[DP_IRQ_RES] = "RES",
	[DP_IRQ_TLB] = "TLB",
	[DP_IRQ_LOC] = "LOC",
};

/* The column of "CPU<cpu>" in the header line, or -1. */
static int
cpu_column(char *header, unsigned int cpu)
{
	char want[16], *tok, *save = NULL;
	int col = 0;

	snprintf(want, sizeof(want), "CPU%u", cpu);
	for (tok = strtok_r(header, " \t\n", &save); tok != NULL;
			tok = strtok_r(NULL, " \t\n", &save), col++)
		if (strcmp(tok, want) == 0)
			return col;
	return -1;
}

/* The kind a line's label names, or DP_IRQ_KINDS. */
static enum dp_irq_kind
line_kind(const char *label)
{
	unsigned int k;

	for (k = 0; k < DP_IRQ_KINDS; k++)
		if (strcmp(label, dp_irq_names[k]) == 0)
			return k;
	return DP_IRQ_KINDS;
}

/* The count in column col of a line's counts (after its label). */
static int
column_count(char *counts, int col, uint64_t *out)
{
	char *p = counts, *end;
	int i;

	for (i = 0; ; i++) {
		unsigned long long v = strtoull(p, &end, 10);

		if (end == p)
			return -1;
		if (i == col) {
			*out = v;
			return 0;
		}
		p = end;
	}
}

int
dp_irqs_read(unsigned int cpu, struct dp_irqs *out)
{
	FILE *f = fopen(PROC_INTERRUPTS, "r");
	char *line = NULL, *colon, *label;
	size_t len = 0;
	int col = -1;
	enum dp_irq_kind k;

	memset(out, 0, sizeof(*out));
	if (f == NULL)
		return -1;
	if (getline(&line, &len, f) > 0)
		col = cpu_column(line, cpu);
	while (col >= 0 && getline(&line, &len, f) > 0) {
		colon = strchr(line, ':');
		if (colon == NULL)
			continue;
		*colon = '\0';
		label = line + strspn(line, " ");
		k = line_kind(label);
		if (k < DP_IRQ_KINDS && column_count(colon + 1, col, &out->n[k]) < 0)
			col = -1;
	}
	free(line);
	fclose(f);
	return col >= 0 ? 0 : -1;
}
