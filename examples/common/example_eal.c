/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_config.h>
#include <rte_errno.h>

#include "example_eal.h"

#define PMD_FILE	"librte_dma_netdma.so"
/* Where the PMD lies in a build tree, relative to its top. */
#define PMD_IN_BUILD	"drivers/dma/netdma/" PMD_FILE

/* Why rte_eal_init() stopped, in a newcomer's words. */
static const char *
eal_failure_cause(int err)
{
	switch (err) {
	case EACCES:
		return "no hugepages to use (none reserved, or hugetlbfs not mounted)";
	case ENOMEM:
		return "not enough memory for it (too few free hugepages, or -m too small)";
	case EINVAL:
		return "it refused an argument or a -d plugin (its message is above)";
	default:
		return "see its message above";
	}
}

/*
 * The PMD of the build tree this program runs from: the first directory
 * above the executable that holds drivers/dma/netdma/librte_dma_netdma.so.
 * 0 if found.
 */
static int
pmd_in_build_tree(char *path, size_t len)
{
	char dir[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	char *slash;
	int w;

	if (n <= 0)
		return -1;
	dir[n] = '\0';
	while ((slash = strrchr(dir, '/')) != NULL) {
		*slash = '\0';		/* "/a/b" -> "/a" -> "" (the root) */
		w = snprintf(path, len, "%s/%s", dir, PMD_IN_BUILD);
		if (w > 0 && (size_t)w < len && access(path, R_OK) == 0)
			return 0;
	}
	return -1;
}

/*
 * The -d argument the program needs: none when the PMD is installed as
 * a plugin of this DPDK (EAL loads it, and a second copy would clash),
 * else the build tree's, else a placeholder.
 */
static void
pmd_arg(char *buf, size_t len)
{
	char path[PATH_MAX];

	if (access(RTE_EAL_PMD_PATH "/" PMD_FILE, R_OK) == 0)
		buf[0] = '\0';
	else if (pmd_in_build_tree(path, sizeof(path)) == 0)
		snprintf(buf, len, " -d %s", path);
	else
		snprintf(buf, len, " -d <path to %s>", PMD_FILE);
}

void
example_eal_hint(const char *argv0, const struct example_eal_hint *h)
{
	const char *slash = strrchr(argv0, '/');
	const char *prog = slash != NULL ? slash + 1 : argv0;
	char pmd[PATH_MAX + 8] = "";
	int err = rte_errno;

	if (h->needs_pmd)
		pmd_arg(pmd, sizeof(pmd));
	fprintf(stderr, "%s: EAL could not start: %s.\n", prog,
		eal_failure_cause(err));
	fprintf(stderr, "%s: to run without hugepages: %s --no-huge -m 512 --no-pci%s%s%s%s%s\n",
		prog, argv0, pmd, h->eal_args != NULL ? " " : "",
		h->eal_args != NULL ? h->eal_args : "",
		h->app_args != NULL ? " -- " : "",
		h->app_args != NULL ? h->app_args : "");
	if (h->no_huge_only || (err != EACCES && err != ENOMEM))
		return;
	fprintf(stderr, "%s: or reserve hugepages, as root: dpdk-hugepages.py --setup 1G\n"
		"%s: (by hand: echo 512 > /proc/sys/vm/nr_hugepages; mount -t hugetlbfs nodev /dev/hugepages)\n",
		prog, prog);
}
