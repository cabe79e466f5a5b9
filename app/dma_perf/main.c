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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
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
		"Usage: %s --config <file.ini> [--result <file.csv>|<dir>]\n"
		"       [--skip-missing] [--plugin-if-exists <librte_dma_x.so>]\n"
		"       [-- <EAL args>]\n"
		"\n"
		"Runs the cases of a dpdk-test-dma-perf config file, each in its own\n"
		"process, and writes the results as a CSV, an extra CSV and a plot.\n"
		"\n"
		"  --config FILE       the config file (format: see README.md)\n"
		"  --result FILE|DIR   the result CSV; FILE_extra.csv, FILE_plot.dat and\n"
		"                      FILE.png go next to it. A directory takes the\n"
		"                      default name, <config name>_result.csv.\n"
		"                      Without --result, the results go to the current\n"
		"                      directory, or, if it is inside a netdma source\n"
		"                      tree, to the directory of this binary (the build\n"
		"                      directory): never into the sources.\n"
		"  --skip-missing      drop compare contenders whose device cannot be\n"
		"                      found or created instead of failing the case\n"
		"  --plugin-if-exists SO\n"
		"                      pass '-d SO' to the EAL when the file SO exists\n"
		"  -h, --help          print this help and exit\n"
		"  -- EAL args         appended to the eal_args of every case\n"
		"\n"
		"Exit status: 0 if every case ran and verified, 1 if the config is\n"
		"wrong or a case failed, 2 if the command line is wrong.\n",
		DP_PROG_NAME);
}

/* One line naming what is wrong, then the usage; exit status 2. */
static int __attribute__((format(printf, 1, 2)))
cli_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: error: ", DP_PROG_NAME);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n\n");
	usage(stderr);
	return -1;
}

/*
 * "--name VALUE" or "--name=VALUE": 1 with *val set if argv[*i] is that
 * option, 0 if it is another argument, -1 if its value is missing.
 */
static int
opt_value(const char *name, int argc, char **argv, int *i, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strncmp(a, name, n) != 0 || (a[n] != '\0' && a[n] != '='))
		return 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return 1;
	}
	if (*i + 1 >= argc)
		return -1;
	*val = argv[++*i];
	return 1;
}

static int
parse_cli(int argc, char **argv, struct cli *cli)
{
	const struct {
		const char *name;
		const char **val;
	} valued[] = {
		{ "--config", &cli->config },
		{ "--result", &cli->result },
		{ "--plugin-if-exists", &cli->plugin },
	};
	unsigned int k;
	int i, ret;

	memset(cli, 0, sizeof(*cli));
	cli->eal = calloc(argc + 1, sizeof(char *));
	if (cli->eal == NULL)
		return -1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (i++; i < argc; i++)
				cli->eal[cli->nb_eal++] = argv[i];
			break;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(a, "--skip-missing") == 0) {
			cli->skip_missing = true;
			continue;
		}
		for (k = 0, ret = 0; k < RTE_DIM(valued) && ret == 0; k++)
			ret = opt_value(valued[k].name, argc, argv, &i,
				valued[k].val);
		/* "--config=" gives nothing either */
		if (ret < 0 || (ret > 0 && (*valued[k - 1].val)[0] == '\0'))
			return cli_error("%s needs a value", valued[k - 1].name);
		if (ret > 0)
			continue;
		if (a[0] == '-')
			return cli_error("unknown option '%s'", a);
		return cli_error("unexpected argument '%s' (EAL arguments go after --)",
			a);
	}
	if (cli->config == NULL)
		return cli_error("--config <file> is required");
	if (cli->result != NULL && dp_output_check_result(cli->result) < 0)
		return -1;
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
		return 2;
	if (dp_config_load(cli.config, &cfg, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: error: %s\n", DP_PROG_NAME, err);
		return 1;
	}
	if (dp_output_result_path(cli.config, cli.result, csv,
			sizeof(csv)) < 0 ||
			dp_output_truncate(csv, cli.result != NULL) < 0)
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

	dp_output_plot(csv, &cfg);
	printf("\n%u case(s) run, %u failed. Results: %s (+ _extra.csv, _plot.dat)\n",
		nb_run, nb_failed, csv);
	free(cli.eal);
	return nb_failed == 0 ? 0 : 1;
}
