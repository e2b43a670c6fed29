// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl3atk: the third red team's ioctl and open attacks (device nodes a
 * domain opens with no class, or with a class, and what their ioctls and
 * writes then reach). Exit status: 0, or the errno of the call that failed.
 *
 *   ioctl3atk rnd NODE getcnt|addcnt|addent|reseed|clear
 *       /dev/random's ioctls on NODE (/dev/random or /dev/urandom, always
 *       allowed): RNDGETENTCNT (prints the count), RNDADDTOENTCNT 256,
 *       RNDADDENTROPY of 64 known bytes crediting 256 bits,
 *       RNDRESEEDCRNG, RNDCLEARPOOL. Prints "entcnt BEFORE AFTER".
 *   ioctl3atk evwrite NODE CODE
 *       open the evdev NODE O_WRONLY and write a press and a release of
 *       key CODE, each with a SYN_REPORT (injected input).
 *   ioctl3atk evread NODE SECS
 *       read NODE's events for SECS seconds, print "key CODE VALUE" lines.
 *   ioctl3atk evgrab NODE SECS
 *       EVIOCGRAB NODE (opened O_RDONLY) and hold the grab SECS seconds.
 *   ioctl3atk evsetkey NODE SCANCODE KEYCODE
 *       EVIOCSKEYCODE (NODE opened O_RDONLY): the device's map, everyone's.
 *   ioctl3atk evgetkey NODE SCANCODE
 *       EVIOCGKEYCODE: prints the keycode.
 *   ioctl3atk evrep NODE DELAY PERIOD
 *       EVIOCSREP (NODE opened O_RDONLY): the device's autorepeat.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/input.h>
#include <linux/random.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

static int die(const char *what)
{
	int e = errno ? errno : 1;

	fprintf(stderr, "%s: %s\n", what, strerror(e));
	return e;
}

static int entcnt(int fd)
{
	int n = -1;

	ioctl(fd, RNDGETENTCNT, &n);
	return n;
}

static int rnd(const char *node, const char *op)
{
	struct {
		int count, size;
		unsigned char buf[64];
	} ent = { 256, 64, "charter red team: these bytes are known to everyone" };
	int fd = open(node, O_RDONLY), n = 256, before, r;

	if (fd < 0)
		return die(node);
	before = entcnt(fd);
	if (!strcmp(op, "getcnt")) {
		printf("entcnt %d\n", before);
		return 0;
	}
	if (!strcmp(op, "addcnt"))
		r = ioctl(fd, RNDADDTOENTCNT, &n);
	else if (!strcmp(op, "addent"))
		r = ioctl(fd, RNDADDENTROPY, &ent);
	else if (!strcmp(op, "reseed"))
		r = ioctl(fd, RNDRESEEDCRNG);
	else if (!strcmp(op, "clear"))
		r = ioctl(fd, RNDCLEARPOOL);
	else
		return fprintf(stderr, "bad op %s\n", op), 2;
	if (r < 0)
		return die(op);
	printf("%s: ok, entcnt %d %d\n", op, before, entcnt(fd));
	return 0;
}

static int evwrite(const char *node, int code)
{
	struct input_event ev[4];
	int fd = open(node, O_WRONLY);

	if (fd < 0)
		return die(node);
	memset(ev, 0, sizeof(ev));
	ev[0].type = EV_KEY; ev[0].code = code; ev[0].value = 1;
	ev[1].type = EV_SYN; ev[1].code = SYN_REPORT;
	ev[2].type = EV_KEY; ev[2].code = code; ev[2].value = 0;
	ev[3].type = EV_SYN; ev[3].code = SYN_REPORT;
	if (write(fd, ev, sizeof(ev)) != (ssize_t)sizeof(ev))
		return die("write");
	printf("injected key %d\n", code);
	return 0;
}

static int evread(const char *node, int secs)
{
	int fd = open(node, O_RDONLY | O_NONBLOCK);
	time_t end = time(NULL) + secs;
	struct input_event ev;
	struct pollfd p;

	if (fd < 0)
		return die(node);
	p.fd = fd;
	p.events = POLLIN;
	while (time(NULL) < end) {
		if (poll(&p, 1, 200) <= 0)
			continue;
		while (read(fd, &ev, sizeof(ev)) == (ssize_t)sizeof(ev))
			if (ev.type == EV_KEY)
				printf("key %d %d\n", ev.code, ev.value);
		fflush(stdout);
	}
	return 0;
}

static int evgrab(const char *node, int secs)
{
	int fd = open(node, O_RDONLY);

	if (fd < 0)
		return die(node);
	if (ioctl(fd, EVIOCGRAB, 1) < 0)
		return die("EVIOCGRAB");
	printf("grabbed %s\n", node);
	fflush(stdout);
	sleep(secs);
	return 0;
}

static int evkey(const char *node, int set, unsigned int sc, unsigned int kc)
{
	unsigned int map[2] = { sc, kc };
	int fd = open(node, O_RDONLY);

	if (fd < 0)
		return die(node);
	if (ioctl(fd, set ? EVIOCSKEYCODE : EVIOCGKEYCODE, map) < 0)
		return die(set ? "EVIOCSKEYCODE" : "EVIOCGKEYCODE");
	printf("%u\n", map[1]);
	return 0;
}

static int evrep(const char *node, unsigned int delay, unsigned int period)
{
	unsigned int rep[2] = { delay, period };
	int fd = open(node, O_RDONLY);

	if (fd < 0)
		return die(node);
	if (ioctl(fd, EVIOCSREP, rep) < 0)
		return die("EVIOCSREP");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "rnd"))
		return rnd(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "evwrite"))
		return evwrite(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "evread"))
		return evread(argv[2], atoi(argv[3]));
	if (argc == 4 && !strcmp(argv[1], "evgrab"))
		return evgrab(argv[2], atoi(argv[3]));
	if (argc == 5 && !strcmp(argv[1], "evsetkey"))
		return evkey(argv[2], 1, strtoul(argv[3], NULL, 0),
			     strtoul(argv[4], NULL, 0));
	if (argc == 4 && !strcmp(argv[1], "evgetkey"))
		return evkey(argv[2], 0, strtoul(argv[3], NULL, 0), 0);
	if (argc == 5 && !strcmp(argv[1], "evrep"))
		return evrep(argv[2], atoi(argv[3]), atoi(argv[4]));
	fprintf(stderr, "usage: see the header of ioctl3atk.c\n");
	return 2;
}
