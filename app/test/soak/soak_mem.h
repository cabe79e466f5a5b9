/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/* A card's memory: where good ops read and write, and the bad places. */

#ifndef SOAK_MEM_H
#define SOAK_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "soak.h"

struct soak_mem {
	enum soak_dom dom;
	size_t pg;
	/* Read by every copy, written by nothing. */
	uint8_t *src;
	uint64_t src_seed;
	uint8_t *arenas[SOAK_MAX_CHANS];
	/* DPDK and EXTMEM: a malloc buffer no IOMMU window covers. */
	uint8_t *heap;
	uint32_t heap_len;
	uint64_t heap_seed;
	/* DPDK: the first byte past the mapped run that holds src. */
	uint8_t *run_end;
	/*
	 * EXTMEM and SVA: cliff[k] is a page the card may use and
	 * cliff[k] + pg a page it may not (outside every IOMMU window, or
	 * PROT_NONE). EXTMEM cliffs hold a stream and are shared; an SVA
	 * cliff belongs to one op at a time, which may half-write it.
	 */
	uint8_t *cliff[SOAK_NB_CLIFFS];
	bool cliff_busy[SOAK_NB_CLIFFS];
	uint64_t cliff_seed;	/* + k for cliff k, + NB + k for its hole */
	/* EXTMEM: the region registered with rte_extmem_register. */
	uint8_t *ext;
	size_t ext_len;
	/* SVA: a read-only page followed by a PROT_NONE one, and a page
	 * past the end of its file (SIGBUS). */
	uint8_t *special;
	size_t special_len;
	uint8_t *ro;
	uint64_t ro_seed;
	uint8_t *sigbus_map;
	uint8_t *sigbus;
	int memfd;
};

static inline uint8_t *
mem_hole(const struct soak_mem *m, unsigned int k)
{
	return m->cliff[k] + m->pg;
}

#endif /* SOAK_MEM_H */
