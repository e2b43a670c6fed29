// SPDX-License-Identifier: GPL-2.0
/*
 * identop: attacks on "a manifested program's identity is the SHA-256 of
 * its content" and "a manifested program runs only through exec". Exit
 * status: 0, or the errno of what failed (250-255: the sequence itself
 * went wrong).
 *
 *   identop patch IMAGE FILE REF OFF
 *	Find FILE's first 4096 bytes (as read now) in IMAGE, the backing
 *	file of the block device FILE's filesystem lives on, exactly once,
 *	and write REF's byte OFF there, under the filesystem: no open of
 *	FILE, no change of its size, times or i_version.
 *   identop evict FILE
 *	posix_fadvise(POSIX_FADV_DONTNEED) on a read-only descriptor: clean
 *	page cache pages of FILE are dropped, to be read again from the
 *	device. Any user who can read FILE can do it.
 *   identop setexe-map EXE FILE
 *	Make EXE this process's executable (prctl PR_SET_MM_EXE_FILE, which
 *	needs the old executable unmapped: a stub copied into anonymous
 *	memory unmaps it first), then mmap FILE PROT_READ|PROT_EXEC. Exit
 *	status: 0 if mapped, the mmap errno, or 100 + the prctl errno.
 *	EXE "-": no prctl, map FILE as the process is.
 *   identop map-direct FILE [mprotect]
 *	Open FILE O_RDONLY|O_DIRECT and mmap it PROT_READ|PROT_EXEC (or
 *	PROT_READ, then mprotect PROT_READ|PROT_EXEC), as a hand-made
 *	loader would. 0 if mapped executable, or the errno.
 *   identop fan-deny FILE CMD ARGS...
 *	With a fanotify FAN_ACCESS_PERM mark on FILE (root, outside every
 *	domain), run CMD and deny every read of FILE CMD's process makes
 *	(its exit status is returned). A hash of FILE made in CMD's process
 *	then fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(const char *what, const char *path)
{
	int err = errno;

	fprintf(stderr, "identop: %s %s: %s\n", what, path, strerror(err));
	return err ? err : 255;
}

static unsigned char *slurp(const char *path, size_t *size)
{
	struct stat st;
	unsigned char *buf;
	size_t got = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0 || fstat(fd, &st))
		return NULL;
	buf = malloc(st.st_size + 1);
	while (buf && got < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + got, st.st_size - got);

		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	*size = got;
	return buf;
}

static int patch(const char *image, const char *file, const char *refpath, long off)
{
	size_t isize, fsize, rsize, i, found = (size_t)-1;
	unsigned char *img = slurp(image, &isize);
	unsigned char *f = slurp(file, &fsize);
	unsigned char *ref = slurp(refpath, &rsize);
	int n = 0, fd;

	if (!img || !f || !ref || fsize < 4096 || (size_t)off >= rsize)
		return fail("read", "inputs");
	for (i = 0; i + 4096 <= isize; i += 512)
		if (!memcmp(img + i, f, 4096)) {
			found = i;
			n++;
		}
	if (n != 1) {
		fprintf(stderr, "identop: FILE's first block found %d times in IMAGE\n", n);
		return 254;
	}
	fd = open(image, O_WRONLY);
	if (fd < 0)
		return fail("open", image);
	if (pwrite(fd, ref + off, 1, found + off) != 1 || fsync(fd))
		return fail("pwrite", image);
	close(fd);
	fprintf(stderr, "identop: patched byte %ld of the file at image offset %zu\n",
		off, found);
	return 0;
}

static int evict(const char *file)
{
	int fd = open(file, O_RDONLY), err;

	if (fd < 0)
		return fail("open", file);
	err = posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
	close(fd);
	return err;
}

/* ---- PR_SET_MM_EXE_FILE ------------------------------------------------ */

struct stub_args {
	long n;
	long ranges[16][2];
	long exe_fd;
	long file_fd;
};

/*
 * Position-independent: runs from an anonymous copy once the program's
 * own mappings are gone. rdi: struct stub_args (on the stack).
 */
extern const char stub_start[], stub_end[];
__asm__(
	".text\n"
	"stub_start:\n"
	"	mov %rdi, %r12\n"
	"	mov 0(%r12), %r13\n"
	"	lea 8(%r12), %r14\n"
	"1:	test %r13, %r13\n"
	"	jz 2f\n"
	"	mov $11, %eax\n"		/* munmap */
	"	mov 0(%r14), %rdi\n"
	"	mov 8(%r14), %rsi\n"
	"	syscall\n"
	"	add $16, %r14\n"
	"	dec %r13\n"
	"	jmp 1b\n"
	"2:	mov $157, %eax\n"		/* prctl */
	"	mov $35, %edi\n"		/* PR_SET_MM */
	"	mov $13, %esi\n"		/* PR_SET_MM_EXE_FILE */
	"	mov 264(%r12), %rdx\n"		/* exe_fd */
	"	xor %r10d, %r10d\n"
	"	xor %r8d, %r8d\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jz 3f\n"
	"	neg %rax\n"
	"	lea 100(%rax), %rdi\n"
	"	jmp 4f\n"
	"3:	mov $9, %eax\n"			/* mmap */
	"	xor %edi, %edi\n"
	"	mov $4096, %esi\n"
	"	mov $5, %edx\n"			/* PROT_READ|PROT_EXEC */
	"	mov $2, %r10d\n"		/* MAP_PRIVATE */
	"	mov 272(%r12), %r8\n"		/* file_fd */
	"	xor %r9d, %r9d\n"
	"	syscall\n"
	"	xor %edi, %edi\n"
	"	cmp $-4096, %rax\n"
	"	jb 4f\n"
	"	neg %rax\n"
	"	mov %rax, %rdi\n"
	"4:	mov $231, %eax\n"		/* exit_group */
	"	syscall\n"
	"	hlt\n"
	"stub_end:\n");

static int setexe_map(const char *exe, const char *file)
{
	struct stub_args a = { 0 };
	char self[4096], line[4096 + 128];
	void (*stub)(struct stub_args *);
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	FILE *maps = fopen("/proc/self/maps", "r");
	void *page;

	if (!strcmp(exe, "-")) {	/* no prctl: map FILE as it is */
		int fd = open(file, O_RDONLY);

		if (fd < 0)
			return fail("open", file);
		if (mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0) == MAP_FAILED)
			return fail("mmap", file);
		return 0;
	}
	if (len < 0 || !maps)
		return fail("read", "/proc/self");
	self[len] = 0;
	while (fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char *name = strchr(line, '/');

		if (!name)
			continue;
		name[strcspn(name, "\n")] = 0;
		if (strcmp(name, self) || sscanf(line, "%lx-%lx", &lo, &hi) != 2)
			continue;
		if (a.n == 16)
			return 253;
		a.ranges[a.n][0] = lo;
		a.ranges[a.n][1] = hi - lo;
		a.n++;
	}
	fclose(maps);
	a.exe_fd = open(exe, O_RDONLY);
	if (a.exe_fd < 0)
		return fail("open", exe);
	a.file_fd = open(file, O_RDONLY);
	if (a.file_fd < 0)
		return fail("open", file);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return fail("mmap", "anonymous");
	memcpy(page, stub_start, stub_end - stub_start);
	fflush(NULL);
	stub = (void (*)(struct stub_args *))page;
	stub(&a);
	return 252;	/* not reached */
}

static int map_direct(const char *file, int use_mprotect)
{
	int fd = open(file, O_RDONLY | O_DIRECT);
	void *p;

	if (fd < 0)
		return fail("open O_DIRECT", file);
	p = mmap(NULL, 4096, use_mprotect ? PROT_READ : PROT_READ | PROT_EXEC,
		 MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return fail("mmap", file);
	if (use_mprotect && mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return fail("mprotect", file);
	return 0;
}

static int fan_deny(const char *file, char **cmd)
{
	int fan = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC | FAN_NONBLOCK, O_RDONLY);
	int status, denied = 0;
	pid_t child;

	if (fan < 0)
		return fail("fanotify_init", "");
	if (fanotify_mark(fan, FAN_MARK_ADD, FAN_ACCESS_PERM, AT_FDCWD, file))
		return fail("fanotify_mark", file);
	child = fork();
	if (child == 0) {
		execvp(cmd[0], cmd);
		_exit(fail("exec", cmd[0]));
	}
	for (;;) {
		struct pollfd p = { .fd = fan, .events = POLLIN };
		char buf[4096];
		ssize_t n;

		if (waitpid(child, &status, WNOHANG) == child)
			break;
		if (poll(&p, 1, 100) <= 0)
			continue;
		n = read(fan, buf, sizeof(buf));
		for (struct fanotify_event_metadata *m = (void *)buf;
		     n > 0 && FAN_EVENT_OK(m, n); m = FAN_EVENT_NEXT(m, n)) {
			struct fanotify_response r = { .fd = m->fd };

			r.response = m->pid == child ? FAN_DENY : FAN_ALLOW;
			denied += m->pid == child;
			if (write(fan, &r, sizeof(r)) < 0)
				perror("identop: fanotify response");
			close(m->fd);
		}
	}
	fprintf(stderr, "identop: denied %d reads of %s\n", denied, file);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 250;
}

int main(int argc, char **argv)
{
	_Static_assert(__builtin_offsetof(struct stub_args, exe_fd) == 264, "layout");
	_Static_assert(__builtin_offsetof(struct stub_args, file_fd) == 272, "layout");
	if (argc == 6 && !strcmp(argv[1], "patch"))
		return patch(argv[2], argv[3], argv[4], atol(argv[5]));
	if (argc == 3 && !strcmp(argv[1], "evict"))
		return evict(argv[2]);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "map-direct"))
		return map_direct(argv[2], argc == 4);
	if (argc >= 4 && !strcmp(argv[1], "fan-deny"))
		return fan_deny(argv[2], argv + 3);
	if (argc == 4 && !strcmp(argv[1], "setexe-map"))
		return setexe_map(argv[2], argv[3]);
	fprintf(stderr, "usage: identop patch IMAGE FILE REF OFF | evict FILE | setexe-map EXE FILE\n");
	return 255;
}
