/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * netdma-dma-perf: a dpdk-test-dma-perf compatible DMA benchmark.
 *
 * Like dpdk-test-dma-perf, every [caseN] runs in its own child process:
 * the EAL can be initialised only once per process, and a fresh process
 * per case is the only way to honour per-case eal_args (and to keep a
 * crashing driver from taking the remaining cases down with it). The
 * parent never initialises the EAL; it parses the config, forks, collects
 * exit codes and draws the plot.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_string_fns.h>

#include "dma_perf.h"
#include "output.h"

#define MAX_EAL_ARGS	128

struct cli {
	const char *config;
	const char *result;
	const char *plugin;		/* --plugin-if-exists */
	bool skip_missing;
	int nb_eal;
	char **eal;			/* EAL args from the command line */
};

static struct dp_config cfg;

static void
usage(FILE *f)
{
	fprintf(f,
		"Usage: %s --config <file.ini> [--result <file.csv>] [--skip-missing]\n"
		"       [--plugin-if-exists <librte_dma_x.so>] [--] [EAL args]\n"
		"\n"
		"  --config FILE     dpdk-test-dma-perf style config (see README.md)\n"
		"  --result FILE|DIR result CSV; FILE_extra.csv, FILE_plot.dat and FILE.png\n"
		"                    go next to it. A directory, or no --result, takes the\n"
		"                    name <config name>_result.csv. Without --result it goes\n"
		"                    to the current directory or, inside a netdma source\n"
		"                    tree, to the directory of this binary\n"
		"  --skip-missing    drop compare contenders whose device cannot be\n"
		"                    found or created instead of failing the case\n"
		"  --plugin-if-exists SO\n"
		"                    pass '-d SO' to the EAL when SO exists\n"
		"  EAL args          appended to the eal_args of every case\n",
		DP_PROG_NAME);
}

static int
parse_cli(int argc, char **argv, struct cli *cli)
{
	int i;

	memset(cli, 0, sizeof(*cli));
	cli->eal = calloc(argc + 1, sizeof(char *));
	if (cli->eal == NULL)
		return -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				cli->eal[cli->nb_eal++] = argv[i];
			break;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		} else if (strcmp(a, "--config") == 0 && has_val) {
			cli->config = argv[++i];
		} else if (strncmp(a, "--config=", 9) == 0) {
			cli->config = a + 9;
		} else if (strcmp(a, "--result") == 0 && has_val) {
			cli->result = argv[++i];
		} else if (strncmp(a, "--result=", 9) == 0) {
			cli->result = a + 9;
		} else if (strcmp(a, "--plugin-if-exists") == 0 && has_val) {
			cli->plugin = argv[++i];
		} else if (strcmp(a, "--skip-missing") == 0) {
			cli->skip_missing = true;
		} else if (strcmp(a, "--config") == 0 || strcmp(a, "--result") == 0 ||
				strcmp(a, "--plugin-if-exists") == 0) {
			fprintf(stderr, "%s: error: %s needs a value\n",
				DP_PROG_NAME, a);
			return -1;
		} else {
			/* dpdk-test-dma-perf hands unknown args to the EAL */
			cli->eal[cli->nb_eal++] = argv[i];
		}
	}
	if (cli->config == NULL) {
		fprintf(stderr, "%s: error: --config <file> is required (see --help)\n",
			DP_PROG_NAME);
		return -1;
	}
	return 0;
}

static int
build_eal_argv(const struct dp_case *c, const struct cli *cli, char **argv)
{
	char *args = strdup(c->eal_args);
	char *save = NULL, *tok;
	struct stat st;
	int argc = 0, i;

	argv[argc++] = strdup(DP_PROG_NAME);
	for (tok = strtok_r(args, " \t", &save);
			tok != NULL && argc < MAX_EAL_ARGS - 4;
			tok = strtok_r(NULL, " \t", &save))
		argv[argc++] = tok;
	for (i = 0; i < cli->nb_eal && argc < MAX_EAL_ARGS - 3; i++)
		argv[argc++] = cli->eal[i];
	if (cli->plugin != NULL && stat(cli->plugin, &st) == 0) {
		argv[argc++] = strdup("-d");
		argv[argc++] = strdup(cli->plugin);
	}
	argv[argc] = NULL;
	return argc;
}

/* Body of the per-case child process; returns its exit code. */
static int
run_child(struct dp_case *c, const struct cli *cli, const char *csv)
{
	char *argv[MAX_EAL_ARGS + 1];
	int argc, i, ret;

	argc = build_eal_argv(c, cli, argv);
	printf("\n==== Case %u%s ====\nEAL:", c->id,
		c->compare ? " (compare)" : "");
	for (i = 1; i < argc; i++)
		printf(" %s", argv[i]);
	printf("\n");

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "%s: error: case %u: EAL initialisation failed: %s\n",
			DP_PROG_NAME, c->id, rte_strerror(rte_errno));
		return 1;
	}
	if (dp_output_open(csv) < 0) {
		rte_eal_cleanup();
		return 1;
	}
	dp_output_env();
	ret = dp_run_case(c, cli->skip_missing);
	dp_output_close();
	rte_eal_cleanup();
	return ret == 0 ? 0 : 2;
}

int
main(int argc, char **argv)
{
	char err[768], csv[PATH_MAX];
	unsigned int i, nb_run = 0, nb_failed = 0;
	struct cli cli;

	/* progress lines must show up live even when piped */
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (parse_cli(argc, argv, &cli) < 0)
		return 1;
	if (dp_config_load(cli.config, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: error: %s\n", DP_PROG_NAME, err);
		return 1;
	}
	if (dp_output_result_path(cli.config, cli.result, csv,
			sizeof(csv)) < 0 || dp_output_truncate(csv) < 0)
		return 1;

	for (i = 0; i < cfg.nb_cases; i++) {
		struct dp_case *c = &cfg.cases[i];
		int wstatus;
		pid_t pid;

		if (c->skip) {
			printf("\nCase %u skipped (skip=1)\n", c->id);
			if (dp_output_open(csv) == 0) {
				dp_output_line(",,,,,,,,\n,,,,,,,,\nSkip the test-case %u\n",
					c->id);
				dp_output_close();
			}
			continue;
		}
		nb_run++;
		fflush(stdout);
		fflush(stderr);
		pid = fork();
		if (pid < 0) {
			fprintf(stderr, "%s: error: fork: %s\n", DP_PROG_NAME,
				strerror(errno));
			return 1;
		}
		if (pid == 0)
			exit(run_child(c, &cli, csv));
		if (waitpid(pid, &wstatus, 0) < 0 || !WIFEXITED(wstatus) ||
				WEXITSTATUS(wstatus) != 0) {
			nb_failed++;
			if (WIFSIGNALED(wstatus))
				fprintf(stderr, "%s: case %u: killed by signal %d\n",
					DP_PROG_NAME, c->id, WTERMSIG(wstatus));
			else
				fprintf(stderr, "%s: case %u FAILED (exit %d)\n",
					DP_PROG_NAME, c->id,
					WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1);
		}
	}

	dp_output_plot(csv);
	printf("\n%u case(s) run, %u failed. Results: %s (+ _extra.csv, _plot.dat)\n",
		nb_run, nb_failed, csv);
	free(cli.eal);
	return nb_failed == 0 ? 0 : 1;
}
