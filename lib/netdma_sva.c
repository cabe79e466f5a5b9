/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Shared virtual addressing: a card bound to the process's address space
 * uses any virtual address as it is, so an access can fault. Silicon
 * reports such a page fault as the descriptor's error; the software engine
 * does the same by catching SIGSEGV and SIGBUS on its worker threads.
 *
 * A worker arms a guard (a sigsetjmp point) around the work that can
 * fault. The handler, seeing a guard armed on the faulting thread, records
 * the address and unwinds to it; any other fault is the application's and
 * goes to the handler that was installed before ours, or to the default
 * action. The handlers are installed while at least one SVA card exists.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>

#include "netdma_engine_priv.h"

/* Initial-exec: the handler must not allocate on its first TLS access,
 * even in a plugin loaded with dlopen. */
static __thread struct netdma_fault_guard *current_guard
	__attribute__((tls_model("initial-exec")));

static pthread_mutex_t sva_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned int sva_users;
static struct sigaction prev_segv, prev_bus;

void
netdma_sva_guard_enter(struct netdma_fault_guard *g)
{
	g->outer = current_guard;
	current_guard = g;
	__asm__ volatile("" : : : "memory");
}

void
netdma_sva_guard_leave(struct netdma_fault_guard *g)
{
	__asm__ volatile("" : : : "memory");
	current_guard = g->outer;
}

/* Hand a fault that is not ours to whoever had the signal before. */
static void
chain(int sig, siginfo_t *info, void *uctx)
{
	const struct sigaction *prev = sig == SIGSEGV ? &prev_segv : &prev_bus;

	if (prev->sa_flags & SA_SIGINFO) {
		prev->sa_sigaction(sig, info, uctx);
		return;
	}
	if (prev->sa_handler == SIG_DFL || prev->sa_handler == SIG_IGN) {
		/* A fault cannot be ignored: with the default action back in
		 * place, the faulting instruction runs again and the kernel
		 * terminates the process as it would have without us. */
		signal(sig, SIG_DFL);
		return;
	}
	prev->sa_handler(sig);
}

static void
fault_handler(int sig, siginfo_t *info, void *uctx)
{
	struct netdma_fault_guard *g = current_guard;
	sigset_t set;

	if (g == NULL) {
		chain(sig, info, uctx);
		return;
	}
	current_guard = g->outer;
	g->addr = (uintptr_t)info->si_addr;
	/* siglongjmp from a guard set without saving the mask: unblock
	 * the signal the kernel blocked for this handler ourselves. */
	sigemptyset(&set);
	sigaddset(&set, sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	siglongjmp(g->env, 1);
}

int
netdma_sva_attach(void)
{
	struct sigaction sa;
	int ret = 0;

	pthread_mutex_lock(&sva_lock);
	if (sva_users++ == 0) {
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = fault_handler;
		sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGSEGV, &sa, &prev_segv) != 0 ||
				sigaction(SIGBUS, &sa, &prev_bus) != 0) {
			ret = -errno;
			sva_users--;
		}
	}
	pthread_mutex_unlock(&sva_lock);
	return ret;
}

/* Give the signals back, unless someone took them from us since. */
static void
restore(int sig, const struct sigaction *prev)
{
	struct sigaction cur;

	if (sigaction(sig, NULL, &cur) == 0 &&
			(cur.sa_flags & SA_SIGINFO) &&
			cur.sa_sigaction == fault_handler)
		sigaction(sig, prev, NULL);
}

void
netdma_sva_detach(void)
{
	pthread_mutex_lock(&sva_lock);
	if (sva_users > 0 && --sva_users == 0) {
		restore(SIGSEGV, &prev_segv);
		restore(SIGBUS, &prev_bus);
	}
	pthread_mutex_unlock(&sva_lock);
}
