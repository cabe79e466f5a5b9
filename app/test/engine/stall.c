/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The netdma authors
 */

/*
 * Holding the worker at a page, with userfaultfd. A test that must post a
 * command while a descriptor is part-way cannot rely on being quicker
 * than the copy: on one CPU, or a fast one, the copy may be over before
 * the test runs again. So it takes a page the descriptor writes out of
 * the process (MADV_DONTNEED under a userfaultfd registration): the
 * worker's first store to it blocks in the kernel, the test learns so
 * from the fault message, posts its command and gives the page back.
 * Whatever the machine's speed, the descriptor is then part-way.
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/userfaultfd.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "harness.h"

#define STALL_PAGE	4096u

/* Stalls not closed yet: a test that fails a check leaves its own. */
#define MAX_OPEN_STALLS	4
static struct stall *open_stalls[MAX_OPEN_STALLS];

static bool
track(struct stall *s, bool add)
{
	unsigned int i;

	for (i = 0; i < MAX_OPEN_STALLS; i++)
		if (open_stalls[i] == (add ? NULL : s)) {
			open_stalls[i] = add ? s : NULL;
			return true;
		}
	return false;
}

unsigned int
stall_leftovers(void)
{
	unsigned int i, n = 0;

	for (i = 0; i < MAX_OPEN_STALLS; i++)
		if (open_stalls[i] != NULL) {
			stall_close(open_stalls[i]);
			n++;
		}
	return n;
}

static int
uffd_open(void)
{
	int fd;

	/* User-mode faults are all the worker takes, and asking for only
	 * those needs no privilege where the kernel knows the flag. */
	fd = (int)syscall(SYS_userfaultfd,
			O_CLOEXEC | O_NONBLOCK | UFFD_USER_MODE_ONLY);
	if (fd < 0 && errno == EINVAL)
		fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | O_NONBLOCK);
	return fd;
}

bool
stall_open(struct stall *s)
{
	struct uffdio_api api = { .api = UFFD_API };

	memset(s, 0, sizeof(*s));
	s->fd = uffd_open();
	if (s->fd < 0) {
		snprintf(s->why, sizeof(s->why), "userfaultfd: %s",
			strerror(errno));
		return false;
	}
	if (ioctl(s->fd, UFFDIO_API, &api) != 0) {
		snprintf(s->why, sizeof(s->why), "UFFDIO_API: %s",
			strerror(errno));
		close(s->fd);
		s->fd = -1;
		return false;
	}
	if (!track(s, true)) {
		snprintf(s->why, sizeof(s->why), "more than %u stalls open",
			MAX_OPEN_STALLS);
		close(s->fd);
		s->fd = -1;
		return false;
	}
	return true;
}

void
stall_close(struct stall *s)
{
	if (s->page != NULL)
		stall_release(s);
	/* Closing wakes a worker still held: its fault is then served as
	 * any other, and it runs on. */
	if (s->fd >= 0) {
		close(s->fd);
		track(s, false);
	}
	s->fd = -1;
}

bool
stall_arm(struct stall *s, void *at)
{
	uint8_t *page = (uint8_t *)((uintptr_t)at & ~(uintptr_t)(STALL_PAGE - 1));
	struct uffdio_register reg = {
		.range = { .start = (uintptr_t)page, .len = STALL_PAGE },
		.mode = UFFDIO_REGISTER_MODE_MISSING,
	};

	if (s->page != NULL)
		return false;
	memcpy(s->saved, page, STALL_PAGE);
	if (ioctl(s->fd, UFFDIO_REGISTER, &reg) != 0) {
		fprintf(stderr, "UFFDIO_REGISTER: %s\n", strerror(errno));
		return false;
	}
	if (madvise(page, STALL_PAGE, MADV_DONTNEED) != 0) {
		fprintf(stderr, "madvise: %s\n", strerror(errno));
		return false;
	}
	s->page = page;
	return true;
}

bool
stall_wait(struct stall *s)
{
	uint64_t dl = now_ns() + TIMEOUT_NS;
	struct uffd_msg msg;

	while (now_ns() < dl) {
		struct pollfd p = { .fd = s->fd, .events = POLLIN };
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(s->fd, &msg, sizeof(msg));
		if (n != (ssize_t)sizeof(msg))
			continue;
		if (msg.event != UFFD_EVENT_PAGEFAULT)
			continue;
		if ((msg.arg.pagefault.address & ~(uint64_t)(STALL_PAGE - 1)) !=
				(uintptr_t)s->page) {
			fprintf(stderr, "fault at %#llx, not the armed page\n",
				(unsigned long long)msg.arg.pagefault.address);
			return false;
		}
		return true;
	}
	fprintf(stderr, "the worker never reached the armed page\n");
	return false;
}

bool
stall_release(struct stall *s)
{
	struct uffdio_copy cp = {
		.dst = (uintptr_t)s->page,
		.src = (uintptr_t)s->saved,
		.len = STALL_PAGE,
	};
	struct uffdio_range r = {
		.start = (uintptr_t)s->page,
		.len = STALL_PAGE,
	};
	bool ok = true;

	if (s->page == NULL)
		return false;
	/* EEXIST: the test itself touched the page, which is a bug, but
	 * the page is then present and the worker runs on. */
	if (ioctl(s->fd, UFFDIO_COPY, &cp) != 0 && errno != EEXIST) {
		fprintf(stderr, "UFFDIO_COPY: %s\n", strerror(errno));
		ok = false;
	}
	if (ioctl(s->fd, UFFDIO_UNREGISTER, &r) != 0) {
		fprintf(stderr, "UFFDIO_UNREGISTER: %s\n", strerror(errno));
		ok = false;
	}
	s->page = NULL;
	return ok;
}

bool
stall_cmd(struct stall *s, struct fx *f, uint8_t cmd)
{
	bool released;

	cmd_post(f, cmd);
	released = stall_release(s);
	return cmd_acked(f) && released;
}
