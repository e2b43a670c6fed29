// SPDX-License-Identifier: GPL-2.0
/*
 * privop: privileged operations a confined root might try to change the
 * whole system with (red-team regression tests, tests/attack/). Exit
 * status 0 or the errno of the operation that failed (as sysop does).
 *
 * Clock
 *   privop adjtimex-setoffset SECS     adjtimex(ADJ_OFFSET_SS_READ|ADJ_SETOFFSET):
 *                                      "read-only" adjtime mode, plus a time step
 *   privop clock-adjtime-setoffset SECS   the same through clock_adjtime(REALTIME)
 *   privop adjtimex-setoffset-32 SECS  the same through int $0x80 (adjtimex_time32)
 *   privop adjtimex-set-32             ADJ_STATUS (what it is) through int $0x80
 *   privop settimeofday-tz             settimeofday(NULL, tz): the time zone only
 *   privop stime-32 | clock-settime-32 set the time it is through int $0x80
 *   privop clock-adjtime-tai           clock_adjtime(CLOCK_TAI, ADJ_STATUS)
 *
 * Filesystems (PATH opened O_RDONLY: read is all a domain needs)
 *   privop fsfreeze PATH | fsthaw PATH   FIFREEZE / FITHAW
 *   privop ext4-shutdown PATH          EXT4_IOC_SHUTDOWN (NOLOGFLUSH)
 *   privop setfslabel PATH LABEL       FS_IOC_SETFSLABEL
 *   privop getfslabel PATH             FS_IOC_GETFSLABEL, printed
 *   privop verity PATH                 FS_IOC_ENABLE_VERITY (sha256, 4096)
 *   privop setflags-32 PATH [+i]       FS_IOC32_SETFLAGS (the flags it has, or
 *                                      with FS_IMMUTABLE_FL) through the
 *                                      32-bit ioctl (int $0x80)
 *   privop ext4-feature IMAGE INCOMPAT RO_COMPAT   OR feature bits into an
 *                                      unmounted ext2/3/4 image (hex)
 *
 * Memory
 *   privop hwpoison FILE               map FILE shared read-only, MADV_HWPOISON
 *                                      its first page
 *   privop hwpoison-anon | soft-offline-anon   on a page of its own
 *
 * Netfilter (legacy iptables through an ordinary UDP socket)
 *   privop ipt-policy input|output ACCEPT|DROP   set the filter table's
 *                                      chain policy (IPT_SO_SET_REPLACE)
 *   privop ipt-info                    IPT_SO_GET_INFO on "filter"
 *   privop udp-send ADDR PORT          one datagram (unconnected sendto)
 *
 * Netlink
 *   privop nl-hold PROTO PROG ARGS...  open a netlink socket of PROTO as fd 5
 *                                      (outside a domain), exec PROG ARGS
 *   privop nl-audit-fd                 AUDIT_GET on fd 5 (a NETLINK_AUDIT socket)
 *   privop nl-audit                    the same on a socket of its own
 *   privop rtnl-sendmmsg               RTM_GETLINK, RTM_NEWLINK (lo up) in two
 *                                      messages of one sendmmsg()
 *   privop rtnl-split                  RTM_NEWLINK's header in one send, its
 *                                      body in the next (the kernel drops both)
 *   privop siocsifflags-32             SIOCSIFFLAGS (lo, as it is) through the
 *                                      32-bit ioctl
 *   privop siocsifmtu[-32] MTU         SIOCSIFMTU on lo (native / 32-bit ioctl)
 *   privop uring-hold PROG ARGS...     make an io_uring (fd 6) and register this
 *                                      process's credentials as a personality
 *                                      (outside a domain), exec PROG ARGS;
 *                                      RING_PARAMS/RING_PERSONALITY in the env
 *   privop uring-txqlen LEN [personality]   RTM_NEWLINK setting lo's
 *                                      txqueuelen, sent by IORING_OP_SEND on
 *                                      the ring of fd 6 (with the personality)
 *
 * Terminals (PTS: a pty slave; the pty-hold process plays an admin's session)
 *   privop pty-hold FILE [PROG ARGS]   open a pty; a child leads a session with
 *                                      the slave as its terminal (and runs
 *                                      PROG on it: an admin's shell); else
 *                                      "typed" input waits in it; FILE gets
 *                                      "SLAVE CHILDPID"; then wait
 *   privop tiocsti[-32] PTS TEXT       push TEXT into PTS's input, a byte at a
 *                                      time, '|' for a newline (native /
 *                                      32-bit ioctl)
 *   privop tty-read PTS                read what waits on PTS (2 s), print it
 *   privop tty-steal PTS               new session, TIOCSCTTY(1): steal PTS
 *   privop tty-vhangup PTS             TIOCVHANGUP on PTS
 *   privop tty-cons                    a pty of its own, TIOCCONS on its slave
 *   privop tty-cons-off                TIOCCONS on /dev/console: undo it
 *
 * Cgroups and line disciplines
 *   privop cgroup-clone DIR            clone3(CLONE_INTO_CGROUP) with an O_PATH
 *                                      descriptor of cgroup DIR; the child
 *                                      prints its /proc/self/cgroup
 *   privop cgroup-write DIR            write its pid to DIR/cgroup.procs
 *   privop ldisc-slip                  a pty of its own, N_SLIP on its slave
 *                                      (a new network interface), held 3 s
 *
 * IPC and keys
 *   privop shm-create KEY UID          a 0600 SysV segment of UID holding
 *                                      "shm-secret"
 *   privop shm-read KEY | shm-rm KEY
 *   privop key-add DESC DATA           a "user" key in the user keyring
 *   privop key-read DESC               search the user keyring, read it
 *
 * Priorities
 *   privop prio-user UID NICE | prio-pgrp PGID NICE   setpriority(PRIO_USER
 *                                      / PRIO_PGRP)
 *   privop ioprio-user UID | ioprio-pgrp PGID   ioprio_set(.., best effort 7)
 *   privop nice PID | ioprio PID       print PID's nice value / I/O priority
 *   privop join-pgrp PGID              join process group PGID, then wait
 *   privop group-hold FILE             a process group: this (leader) and a
 *                                      child; FILE gets "PGID CHILD"; wait
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/fsverity.h>
#include <linux/io_uring.h>
#include <linux/sched.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "int80.h"

#ifndef ADJ_SETOFFSET
#define ADJ_SETOFFSET 0x0100
#endif
#ifndef ADJ_OFFSET_SS_READ
#define ADJ_OFFSET_SS_READ 0xa001
#endif
#ifndef FS_IOC_SETFSLABEL
#define FSLABEL_MAX 256
#define FS_IOC_GETFSLABEL _IOR(0x94, 49, char[FSLABEL_MAX])
#define FS_IOC_SETFSLABEL _IOW(0x94, 50, char[FSLABEL_MAX])
#endif
#define EXT4_IOC_SHUTDOWN _IOR('X', 125, uint32_t)
#define EXT4_GOING_FLAGS_NOLOGFLUSH 0x2
#ifndef MADV_HWPOISON
#define MADV_HWPOISON 100
#endif
#ifndef MADV_SOFT_OFFLINE
#define MADV_SOFT_OFFLINE 101
#endif
#define IOPRIO_WHO_PGRP 2
#define IOPRIO_WHO_USER 3
#define IOPRIO_CLASS_BE 2
#define KEY_SPEC_USER_KEYRING -4
#define KEYCTL_SEARCH 10
#define KEYCTL_READ 11

static int err(const char *what)
{
	int e = errno;

	fprintf(stderr, "privop: %s: %s\n", what, strerror(e));
	return e ? e : 255;
}


#define IA32_IOCTL 54
#define IA32_STIME 25
#define IA32_ADJTIMEX 124
#define IA32_CLOCK_SETTIME 264

/* In .bss: 32-bit addresses for int $0x80. */
static int32_t low_words[64];
static char low_buf[4096];

/* ---- clock ----------------------------------------------------------- */

static int clock_op(const char *op, const char *arg)
{
	struct timex tx;
	long secs = arg ? atol(arg) : 0;

	memset(&tx, 0, sizeof(tx));
	if (!strcmp(op, "adjtimex-setoffset") || !strcmp(op, "clock-adjtime-setoffset")) {
		tx.modes = ADJ_OFFSET_SS_READ | ADJ_SETOFFSET;
		tx.time.tv_sec = secs;
		tx.time.tv_usec = 0;
		if (op[0] == 'a')
			return adjtimex(&tx) < 0 ? err("adjtimex") : 0;
		return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx) < 0 ?
		       err("clock_adjtime") : 0;
	}
	if (!strcmp(op, "adjtimex-setoffset-32")) {
		/* struct old_timex32: modes, offset, freq, maxerror, esterror,
		 * status, constant, precision, tolerance, time {sec, usec}... */
		memset(low_words, 0, sizeof(low_words));
		low_words[0] = ADJ_OFFSET_SS_READ | ADJ_SETOFFSET;
		low_words[9] = (int32_t)secs;
		low_words[10] = 0;
		return int80(IA32_ADJTIMEX, (long)low_words, 0, 0) < 0 ?
		       err("adjtimex (ia32)") : 0;
	}
	if (!strcmp(op, "adjtimex-set-32")) {
		if (adjtimex(&tx) < 0)
			return err("adjtimex (query)");
		memset(low_words, 0, sizeof(low_words));
		low_words[0] = ADJ_STATUS;
		low_words[5] = tx.status;
		return int80(IA32_ADJTIMEX, (long)low_words, 0, 0) < 0 ?
		       err("adjtimex (ia32)") : 0;
	}
	if (!strcmp(op, "settimeofday-tz")) {
		struct timeval tv;
		struct timezone tz;

		gettimeofday(&tv, &tz);
		return settimeofday(NULL, &tz) ? err("settimeofday(NULL, tz)") : 0;
	}
	if (!strcmp(op, "stime-32")) {
		low_words[0] = (int32_t)time(NULL);
		return int80(IA32_STIME, (long)low_words, 0, 0) < 0 ? err("stime (ia32)") : 0;
	}
	if (!strcmp(op, "clock-settime-32")) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		low_words[0] = (int32_t)ts.tv_sec;
		low_words[1] = (int32_t)ts.tv_nsec;
		return int80(IA32_CLOCK_SETTIME, CLOCK_REALTIME, (long)low_words, 0) < 0 ?
		       err("clock_settime (ia32)") : 0;
	}
	if (!strcmp(op, "clock-adjtime-tai")) {
		tx.modes = ADJ_STATUS;
		return syscall(SYS_clock_adjtime, CLOCK_TAI, &tx) < 0 ?
		       err("clock_adjtime(CLOCK_TAI)") : 0;
	}
	return -1;
}

/* ---- filesystems ----------------------------------------------------- */

static int fs_op(const char *op, const char *path, const char *arg)
{
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return err("open");
	if (!strcmp(op, "fsfreeze"))
		return ioctl(fd, FIFREEZE, 0) ? err("FIFREEZE") : 0;
	if (!strcmp(op, "fsthaw"))
		return ioctl(fd, FITHAW, 0) ? err("FITHAW") : 0;
	if (!strcmp(op, "ext4-shutdown")) {
		uint32_t flags = EXT4_GOING_FLAGS_NOLOGFLUSH;

		return ioctl(fd, EXT4_IOC_SHUTDOWN, &flags) ? err("EXT4_IOC_SHUTDOWN") : 0;
	}
	if (!strcmp(op, "setfslabel")) {
		char label[256] = "";

		snprintf(label, sizeof(label), "%s", arg);
		return ioctl(fd, FS_IOC_SETFSLABEL, label) ? err("FS_IOC_SETFSLABEL") : 0;
	}
	if (!strcmp(op, "getfslabel")) {
		char label[256] = "";

		if (ioctl(fd, FS_IOC_GETFSLABEL, label))
			return err("FS_IOC_GETFSLABEL");
		printf("%s\n", label);
		return 0;
	}
	if (!strcmp(op, "verity")) {
		struct fsverity_enable_arg a;

		memset(&a, 0, sizeof(a));
		a.version = 1;
		a.hash_algorithm = FS_VERITY_HASH_ALG_SHA256;
		a.block_size = 4096;
		return ioctl(fd, FS_IOC_ENABLE_VERITY, &a) ? err("FS_IOC_ENABLE_VERITY") : 0;
	}
	if (!strcmp(op, "setflags-32")) {
		int flags;

		if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
			return err("FS_IOC_GETFLAGS");
		if (arg && !strcmp(arg, "+i"))
			flags |= FS_IMMUTABLE_FL;
		if (arg && !strcmp(arg, "-i"))
			flags &= ~FS_IMMUTABLE_FL;
		low_words[0] = flags;
		return int80(IA32_IOCTL, fd, FS_IOC32_SETFLAGS, (long)low_words) < 0 ?
		       err("FS_IOC32_SETFLAGS (ia32)") : 0;
	}
	return -1;
}

/* ext4-feature needs a third argument: incompat and ro_compat. */
static int ext4_feature(const char *image, const char *incompat, const char *ro)
{
	uint32_t f[3];
	int fd = open(image, O_RDWR);

	if (fd < 0 || pread(fd, f, sizeof(f), 1024 + 0x5c) != sizeof(f))
		return err("read the superblock");
	f[1] |= (uint32_t)strtoul(incompat, NULL, 16);
	f[2] |= (uint32_t)strtoul(ro, NULL, 16);
	if (pwrite(fd, f, sizeof(f), 1024 + 0x5c) != sizeof(f))
		return err("write the superblock");
	return close(fd) ? err("close") : 0;
}

/* ---- memory ---------------------------------------------------------- */

/*
 * 6.12 poisons a dirty page of the caller's and sends it SIGBUS at once
 * (6.1 only on the next touch): the madvise went through.
 */
static void poisoned(int sig __attribute__((unused)))
{
	_exit(0);
}

static int mem_op(const char *op, const char *path)
{
	long page = sysconf(_SC_PAGESIZE);
	volatile char *p;
	int advice = strstr(op, "soft") ? MADV_SOFT_OFFLINE : MADV_HWPOISON;

	if (path) {
		int fd = open(path, O_RDONLY);

		if (fd < 0)
			return err("open");
		p = mmap(NULL, page, PROT_READ, MAP_SHARED, fd, 0);
	} else {
		p = mmap(NULL, page, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	}
	if (p == MAP_FAILED)
		return err("mmap");
	if (path)
		(void)p[0];
	else
		p[0] = 1;
	signal(SIGBUS, poisoned);
	if (madvise((void *)p, page, advice))
		return err(advice == MADV_HWPOISON ? "madvise(MADV_HWPOISON)" :
			   "madvise(MADV_SOFT_OFFLINE)");
	/* Poisoned: leave the page alone, unmap at exit. */
	_exit(0);
}

/* ---- netfilter ------------------------------------------------------- */

static int ipt_get(int s, struct ipt_getinfo *info, struct ipt_get_entries **ent)
{
	socklen_t len = sizeof(*info);

	memset(info, 0, sizeof(*info));
	strcpy(info->name, "filter");
	if (getsockopt(s, SOL_IP, IPT_SO_GET_INFO, info, &len))
		return err("IPT_SO_GET_INFO");
	len = sizeof(**ent) + info->size;
	*ent = calloc(1, len);
	strcpy((*ent)->name, "filter");
	(*ent)->size = info->size;
	if (getsockopt(s, SOL_IP, IPT_SO_GET_ENTRIES, *ent, &len))
		return err("IPT_SO_GET_ENTRIES");
	return 0;
}

static int ipt_op(const char *op, const char *chain, const char *verdict)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0), hook, r;
	struct ipt_getinfo info;
	struct ipt_get_entries *ent = NULL;
	struct ipt_replace *rep;
	struct ipt_entry *e;
	struct xt_standard_target *t;
	size_t len;

	if (s < 0)
		return err("socket");
	r = ipt_get(s, &info, &ent);
	if (r)
		return r;
	if (!strcmp(op, "ipt-info")) {
		printf("filter: %u entries, %u bytes\n", info.num_entries, info.size);
		return 0;
	}
	hook = !strcmp(chain, "input") ? NF_INET_LOCAL_IN : NF_INET_LOCAL_OUT;
	/* The chain's policy: the standard target at its underflow. */
	e = (struct ipt_entry *)((char *)ent->entrytable + info.underflow[hook]);
	t = (struct xt_standard_target *)((char *)e + e->target_offset);
	t->verdict = !strcmp(verdict, "DROP") ? -NF_DROP - 1 : -NF_ACCEPT - 1;

	len = sizeof(*rep) + info.size;
	rep = calloc(1, len);
	strcpy(rep->name, "filter");
	rep->valid_hooks = info.valid_hooks;
	rep->num_entries = info.num_entries;
	rep->size = info.size;
	memcpy(rep->hook_entry, info.hook_entry, sizeof(rep->hook_entry));
	memcpy(rep->underflow, info.underflow, sizeof(rep->underflow));
	rep->num_counters = info.num_entries;
	rep->counters = calloc(info.num_entries, sizeof(struct xt_counters));
	memcpy(rep->entries, ent->entrytable, info.size);
	return setsockopt(s, SOL_IP, IPT_SO_SET_REPLACE, rep, len) ?
	       err("IPT_SO_SET_REPLACE") : 0;
}

static int udp_send(const char *addr, const char *port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(atoi(port)) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (s < 0)
		return err("socket");
	return sendto(s, "x", 1, 0, (struct sockaddr *)&sin, sizeof(sin)) < 0 ?
	       err("sendto") : 0;
}

/* ---- netlink --------------------------------------------------------- */

/* Wait for the answers of @seq_last; the first error ack's errno. */
static int nl_acks(int fd, unsigned int seq_last)
{
	char buf[16384];

	for (;;) {
		struct nlmsghdr *h;
		ssize_t len = recv(fd, buf, sizeof(buf), 0);

		if (len < 0)
			return err("recv");
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type == NLMSG_ERROR) {
				struct nlmsgerr *e = NLMSG_DATA(h);

				if (e->error) {
					errno = -e->error;
					return err("netlink ack");
				}
				if (h->nlmsg_seq == seq_last)
					return 0;
			}
			if (h->nlmsg_type == NLMSG_DONE && h->nlmsg_seq == seq_last)
				return 0;
		}
	}
}

static int nl_audit(int fd)
{
	struct nlmsghdr h;

	memset(&h, 0, sizeof(h));
	h.nlmsg_len = sizeof(h);
	h.nlmsg_type = 1000;	/* AUDIT_GET */
	h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	h.nlmsg_seq = 1;
	if (send(fd, &h, sizeof(h), 0) < 0)
		return err("send");
	return nl_acks(fd, 1);
}

struct linkmsg {
	struct nlmsghdr h;
	struct ifinfomsg i;
};

static void linkmsg(struct linkmsg *m, unsigned short type, unsigned int seq)
{
	memset(m, 0, sizeof(*m));
	m->h.nlmsg_len = sizeof(*m);
	m->h.nlmsg_type = type;
	m->h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	m->h.nlmsg_seq = seq;
	m->i.ifi_index = 1;
	if (type == RTM_NEWLINK)
		m->i.ifi_flags = m->i.ifi_change = IFF_UP;
}

static int nl_op(const char *op)
{
	int fd;

	if (!strcmp(op, "nl-audit-fd"))
		return nl_audit(5);
	if (!strcmp(op, "nl-audit")) {
		fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_AUDIT);
		return fd < 0 ? err("socket") : nl_audit(fd);
	}
	fd = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (fd < 0)
		return err("socket");
	if (!strcmp(op, "rtnl-sendmmsg")) {
		struct linkmsg a, b;
		struct iovec va = { &a, sizeof(a) }, vb = { &b, sizeof(b) };
		struct mmsghdr mm[2];

		linkmsg(&a, RTM_GETLINK, 1);
		linkmsg(&b, RTM_NEWLINK, 2);
		memset(mm, 0, sizeof(mm));
		mm[0].msg_hdr.msg_iov = &va;
		mm[0].msg_hdr.msg_iovlen = 1;
		mm[1].msg_hdr.msg_iov = &vb;
		mm[1].msg_hdr.msg_iovlen = 1;
		{
			int n = sendmmsg(fd, mm, 2, 0);

			if (n < 0)
				return err("sendmmsg");
			/* The second one's error comes on the next call. */
			if (n < 2 && sendmmsg(fd, mm + n, 2 - n, 0) < 0)
				return err("sendmmsg (second)");
		}
		return nl_acks(fd, 2);
	}
	if (!strcmp(op, "rtnl-split")) {
		struct linkmsg m;

		linkmsg(&m, RTM_NEWLINK, 1);
		if (send(fd, &m, sizeof(m.h), 0) < 0)
			return err("send (header)");
		if (send(fd, &m.i, sizeof(m.i), 0) < 0)
			return err("send (body)");
		/* Nothing was a whole message: no answer should come. */
		{
			struct timeval tv = { .tv_sec = 1 };
			char buf[1024];

			setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
			if (recv(fd, buf, sizeof(buf), 0) >= 0) {
				struct nlmsghdr *h = (struct nlmsghdr *)buf;

				if (h->nlmsg_type == NLMSG_ERROR &&
				    ((struct nlmsgerr *)NLMSG_DATA(h))->error == 0) {
					fprintf(stderr, "privop: a split message was acknowledged\n");
					return 254;
				}
			}
		}
		return 0;
	}
	return -1;
}

static int ifflags_32(void)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq *ifr = (struct ifreq *)low_buf;

	if (fd < 0)
		return err("socket");
	memset(low_buf, 0, sizeof(*ifr));
	strcpy(ifr->ifr_name, "lo");
	if (ioctl(fd, SIOCGIFFLAGS, ifr))
		return err("SIOCGIFFLAGS");
	return int80(IA32_IOCTL, fd, SIOCSIFFLAGS, (long)low_buf) < 0 ?
	       err("SIOCSIFFLAGS (ia32)") : 0;
}

static int ifmtu(const char *mtu, int ia32)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq *ifr = (struct ifreq *)low_buf;

	if (fd < 0)
		return err("socket");
	memset(low_buf, 0, sizeof(*ifr));
	strcpy(ifr->ifr_name, "lo");
	ifr->ifr_mtu = atoi(mtu);
	if (ia32)
		return int80(IA32_IOCTL, fd, SIOCSIFMTU, (long)low_buf) < 0 ?
		       err("SIOCSIFMTU (ia32)") : 0;
	return ioctl(fd, SIOCSIFMTU, ifr) ? err("SIOCSIFMTU") : 0;
}

/* ---- io_uring ------------------------------------------------------- */

static int uring_hold(char **argv)
{
	struct io_uring_params p;
	char hex[2 * sizeof(p) + 1], id[16];
	int fd, pers;
	size_t i;

	memset(&p, 0, sizeof(p));
	fd = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (fd < 0)
		return err("io_uring_setup");
	pers = (int)syscall(__NR_io_uring_register, fd, IORING_REGISTER_PERSONALITY, NULL, 0);
	if (pers < 0)
		return err("IORING_REGISTER_PERSONALITY");
	if (fd != 6 && (dup2(fd, 6) < 0 || close(fd)))
		return err("dup2");
	for (i = 0; i < sizeof(p); i++)
		sprintf(hex + 2 * i, "%02x", ((unsigned char *)&p)[i]);
	snprintf(id, sizeof(id), "%d", pers);
	setenv("RING_PARAMS", hex, 1);
	setenv("RING_PERSONALITY", id, 1);
	execv(argv[0], argv);
	return err("execv");
}

static int uring_txqlen(const char *len, int with_personality)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
		struct rtattr a;
		uint32_t txqlen;
	} msg;
	struct io_uring_params p;
	const char *hex = getenv("RING_PARAMS"), *pers = getenv("RING_PERSONALITY");
	unsigned int *tail, *mask, *array, *cq_head;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	size_t sq_size, cq_size, i;
	char *sq, *cq;
	int s, res, ring = 6;

	if (!hex || strlen(hex) != 2 * sizeof(p) || !pers) {
		fprintf(stderr, "privop: no RING_PARAMS (run under uring-hold)\n");
		return 254;
	}
	for (i = 0; i < sizeof(p); i++)
		sscanf(hex + 2 * i, "%2hhx", &((unsigned char *)&p)[i]);
	s = socket(AF_NETLINK, SOCK_RAW, NETLINK_ROUTE);
	if (s < 0)
		return err("socket");
	memset(&msg, 0, sizeof(msg));
	msg.h.nlmsg_len = sizeof(msg);
	msg.h.nlmsg_type = RTM_NEWLINK;
	msg.h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	msg.h.nlmsg_seq = 1;
	msg.i.ifi_index = 1;
	msg.a.rta_type = IFLA_TXQLEN;
	msg.a.rta_len = RTA_LENGTH(sizeof(uint32_t));
	msg.txqlen = (uint32_t)atoi(len);

	sq_size = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
	cq_size = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	if (p.features & IORING_FEAT_SINGLE_MMAP)
		sq_size = cq_size = sq_size > cq_size ? sq_size : cq_size;
	sq = mmap(NULL, sq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  ring, IORING_OFF_SQ_RING);
	cq = (p.features & IORING_FEAT_SINGLE_MMAP) ? sq :
	     mmap(NULL, cq_size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
		  ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return err("mmap the ring");
	tail = (unsigned int *)(sq + p.sq_off.tail);
	mask = (unsigned int *)(sq + p.sq_off.ring_mask);
	array = (unsigned int *)(sq + p.sq_off.array);
	cq_head = (unsigned int *)(cq + p.cq_off.head);
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);

	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_SEND;
	sqes[0].fd = s;
	sqes[0].addr = (unsigned long)&msg;
	sqes[0].len = sizeof(msg);
	if (with_personality)
		sqes[0].personality = (unsigned short)atoi(pers);
	array[*tail & *mask] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		return err("io_uring_enter");
	res = cqes[*cq_head & *(unsigned int *)(cq + p.cq_off.ring_mask)].res;
	__atomic_store_n(cq_head, *cq_head + 1, __ATOMIC_RELEASE);
	if (res < 0) {
		errno = -res;
		return err("IORING_OP_SEND");
	}
	return nl_acks(s, 1);
}

/* ---- terminals ------------------------------------------------------- */

static int pty_hold(const char *file, char **prog)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), p[2];
	char *slave;
	pid_t pid;
	FILE *f;

	if (m < 0 || grantpt(m) || unlockpt(m) || !(slave = ptsname(m)))
		return err("pty");
	if (pipe(p))
		return err("pipe");
	pid = fork();
	if (!pid) {
		int s;

		signal(SIGHUP, SIG_DFL);
		setsid();
		s = open(slave, O_RDWR);	/* becomes the controlling tty */
		if (s < 0)
			_exit(err("open the slave"));
		if (prog && prog[0]) {
			close(p[0]);
			write(p[1], "x", 1);
			dup2(s, 0);
			dup2(s, 1);
			dup2(s, 2);
			execv(prog[0], prog);
			_exit(err("execv"));
		}
		{
			struct termios t;

			tcgetattr(s, &t);
			t.c_lflag &= ~ECHO;
			tcsetattr(s, TCSANOW, &t);
		}
		close(p[0]);
		write(p[1], "x", 1);
		for (;;)
			pause();
	}
	{
		char c;

		close(p[1]);
		read(p[0], &c, 1);
	}
	/* What the admin "types" and no one read yet. */
	if (!prog || !prog[0])
		write(m, "hunter2\n", 8);
	f = fopen(file, "w");
	if (!f)
		return err("fopen");
	fprintf(f, "%s %d\n", slave, pid);
	fclose(f);
	/* Drain what the session writes (a shell's prompts and output). */
	for (;;) {
		char buf[256];

		if (read(m, buf, sizeof(buf)) <= 0)
			pause();
	}
}

static const char *tty_text;	/* tiocsti's TEXT; '|' stands for a newline */

static int tty_op(const char *op, const char *pts)
{
	int fd;

	if (!strcmp(op, "tty-cons") || !strcmp(op, "tty-cons-off")) {
		int m, s;
		char *slave;

		if (!strcmp(op, "tty-cons-off")) {
			fd = open("/dev/console", O_WRONLY | O_NOCTTY);
			if (fd < 0)
				return err("open /dev/console");
			return ioctl(fd, TIOCCONS) ? err("TIOCCONS (console)") : 0;
		}
		m = posix_openpt(O_RDWR | O_NOCTTY);
		if (m < 0 || grantpt(m) || unlockpt(m) || !(slave = ptsname(m)))
			return err("pty");
		s = open(slave, O_RDWR | O_NOCTTY);
		if (s < 0)
			return err("open the slave");
		return ioctl(s, TIOCCONS) ? err("TIOCCONS") : 0;
	}
	if (!strcmp(op, "tty-steal")) {
		pid_t pid = fork();
		int status;

		if (pid) {
			waitpid(pid, &status, 0);
			return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
		}
		if (setsid() < 0)
			_exit(err("setsid"));
		fd = open(pts, O_RDWR | O_NOCTTY);
		if (fd < 0)
			_exit(err("open"));
		_exit(ioctl(fd, TIOCSCTTY, 1) ? err("TIOCSCTTY(1)") : 0);
	}
	fd = open(pts, O_RDWR | O_NOCTTY);
	if (fd < 0)
		return err("open");
	if (!strcmp(op, "tty-vhangup"))
		return ioctl(fd, TIOCVHANGUP) ? err("TIOCVHANGUP") : 0;
	if (!strncmp(op, "tiocsti", 7)) {
		const char *t = tty_text;
		size_t i;

		for (i = 0; t && t[i]; i++) {
			low_buf[0] = t[i] == '|' ? '\n' : t[i];
			if (strcmp(op, "tiocsti-32") ?
			    ioctl(fd, TIOCSTI, low_buf) :
			    int80(IA32_IOCTL, fd, TIOCSTI, (long)low_buf) < 0)
				return err(op);
		}
		return 0;
	}
	if (!strcmp(op, "tty-read")) {
		char buf[256];
		ssize_t n;

		alarm(2);
		n = read(fd, buf, sizeof(buf) - 1);
		if (n < 0)
			return err("read");
		buf[n] = 0;
		printf("%s", buf);
		return 0;
	}
	return -1;
}

/* ---- cgroups and line disciplines ---------------------------------- */

static int cgroup_op(const char *op, const char *dir)
{
	char path[512], line[256];
	int fd, status;
	pid_t pid;

	if (!strcmp(op, "cgroup-write")) {
		snprintf(path, sizeof(path), "%s/cgroup.procs", dir);
		fd = open(path, O_WRONLY);
		if (fd < 0)
			return err("open cgroup.procs");
		snprintf(line, sizeof(line), "%d\n", getpid());
		return write(fd, line, strlen(line)) < 0 ? err("write cgroup.procs") : 0;
	}
	fd = open(dir, O_PATH | O_DIRECTORY);
	if (fd < 0)
		return err("open O_PATH");
	{
		struct clone_args ca;

		memset(&ca, 0, sizeof(ca));
		ca.flags = CLONE_INTO_CGROUP;
		ca.exit_signal = SIGCHLD;
		ca.cgroup = (unsigned long)fd;
		pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	}
	if (pid < 0)
		return err("clone3(CLONE_INTO_CGROUP)");
	if (!pid) {
		FILE *f = fopen("/proc/self/cgroup", "r");

		if (f && fgets(line, sizeof(line), f))
			printf("child cgroup: %s", line);
		fflush(stdout);
		_exit(0);
	}
	waitpid(pid, &status, 0);
	return 0;
}

static int ldisc_slip(void)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), s, ld = 1 /* N_SLIP */;
	char *slave;

	if (m < 0 || grantpt(m) || unlockpt(m) || !(slave = ptsname(m)))
		return err("pty");
	s = open(slave, O_RDWR | O_NOCTTY);
	if (s < 0)
		return err("open the slave");
	if (ioctl(s, TIOCSETD, &ld))
		return err("TIOCSETD(N_SLIP)");
	sleep(3);
	return 0;
}

/* ---- IPC and keys ---------------------------------------------------- */

static int ipc_op(const char *op, const char *a, const char *b)
{
	key_t key = (key_t)strtol(a, NULL, 0);
	int id;

	if (!strcmp(op, "shm-create")) {
		pid_t pid = fork();
		int status;
		char *p;

		if (pid) {
			waitpid(pid, &status, 0);
			return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
		}
		if (setresgid(atoi(b), atoi(b), atoi(b)) || setresuid(atoi(b), atoi(b), atoi(b)))
			_exit(err("setresuid"));
		id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
		if (id < 0)
			_exit(err("shmget"));
		p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			_exit(err("shmat"));
		strcpy(p, "shm-secret");
		_exit(0);
	}
	id = shmget(key, 0, 0);
	if (id < 0)
		return err("shmget");
	if (!strcmp(op, "shm-rm"))
		return shmctl(id, IPC_RMID, NULL) ? err("IPC_RMID") : 0;
	if (!strcmp(op, "shm-read")) {
		char *p = shmat(id, NULL, SHM_RDONLY);

		if (p == (void *)-1)
			return err("shmat");
		printf("%.64s\n", p);
		return 0;
	}
	return -1;
}

static int key_op(const char *op, const char *desc, const char *data)
{
	long id;
	char buf[256];

	if (!strcmp(op, "key-add"))
		return syscall(SYS_add_key, "user", desc, data, strlen(data),
			       KEY_SPEC_USER_KEYRING) < 0 ? err("add_key") : 0;
	id = syscall(SYS_keyctl, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING, "user", desc, 0);
	if (id < 0)
		return err("keyctl(KEYCTL_SEARCH)");
	memset(buf, 0, sizeof(buf));
	if (syscall(SYS_keyctl, KEYCTL_READ, id, buf, sizeof(buf) - 1) < 0)
		return err("keyctl(KEYCTL_READ)");
	printf("%s\n", buf);
	return 0;
}

/* ---- priorities ------------------------------------------------------ */

static int prio_op(const char *op, const char *who, const char *nice)
{
	int w = atoi(who);

	if (!strcmp(op, "prio-user"))
		return setpriority(PRIO_USER, w, atoi(nice)) ? err("setpriority(PRIO_USER)") : 0;
	if (!strcmp(op, "prio-pgrp"))
		return setpriority(PRIO_PGRP, w, atoi(nice)) ? err("setpriority(PRIO_PGRP)") : 0;
	if (!strcmp(op, "ioprio-user"))
		return syscall(SYS_ioprio_set, IOPRIO_WHO_USER, w, (IOPRIO_CLASS_BE << 13) | 7) ?
		       err("ioprio_set(USER)") : 0;
	if (!strcmp(op, "ioprio-pgrp"))
		return syscall(SYS_ioprio_set, IOPRIO_WHO_PGRP, w, (IOPRIO_CLASS_BE << 13) | 7) ?
		       err("ioprio_set(PGRP)") : 0;
	if (!strcmp(op, "ioprio")) {
		long r = syscall(SYS_ioprio_get, 1 /* IOPRIO_WHO_PROCESS */, w);

		if (r < 0)
			return err("ioprio_get");
		printf("%ld\n", r);
		return 0;
	}
	if (!strcmp(op, "nice")) {
		errno = 0;
		int n = getpriority(PRIO_PROCESS, w);

		if (errno)
			return err("getpriority");
		printf("%d\n", n);
		return 0;
	}
	return -1;
}

static int join_pgrp(const char *pgid)
{
	if (setpgid(0, atoi(pgid)))
		return err("setpgid");
	for (;;)
		pause();
}

static int group_hold(const char *file)
{
	pid_t child;
	FILE *f;

	if (setpgid(0, 0))
		return err("setpgid");
	child = fork();
	if (!child) {
		for (;;)
			pause();
	}
	f = fopen(file, "w");
	if (!f)
		return err("fopen");
	fprintf(f, "%d %d\n", getpid(), child);
	fclose(f);
	signal(SIGTERM, SIG_DFL);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	const char *a = argc > 2 ? argv[2] : NULL, *b = argc > 3 ? argv[3] : NULL;
	int r = -1;

	if (!strcmp(op, "nl-hold") && argc > 4) {
		int proto = atoi(argv[2]);
		int fd = socket(AF_NETLINK, SOCK_RAW, proto);

		if (fd < 0)
			return err("socket");
		if (fd != 5 && (dup2(fd, 5) < 0 || close(fd)))
			return err("dup2");
		execv(argv[3], argv + 3);
		return err("execv");
	}
	if (!strcmp(op, "uring-hold") && argc > 2)
		return uring_hold(argv + 2);
	if (!strcmp(op, "uring-txqlen") && a)
		return uring_txqlen(a, b && !strcmp(b, "personality"));
	if (!strcmp(op, "join-pgrp") && a)
		return join_pgrp(a);
	if (!strcmp(op, "ext4-feature") && argc == 5)
		return ext4_feature(argv[2], argv[3], argv[4]);
	if (strstr(op, "time") || strstr(op, "adjtimex"))
		r = clock_op(op, a);
	else if (!strncmp(op, "fs", 2) || !strcmp(op, "ext4-shutdown") ||
		 strstr(op, "fslabel") || !strcmp(op, "verity") ||
		 !strcmp(op, "setflags-32"))
		r = a ? fs_op(op, a, b) : -1;
	else if (!strcmp(op, "hwpoison"))
		r = a ? mem_op(op, a) : -1;
	else if (strstr(op, "-anon"))
		r = mem_op(op, NULL);
	else if (!strncmp(op, "ipt-", 4))
		r = ipt_op(op, a, b);
	else if (!strcmp(op, "udp-send") && b)
		r = udp_send(a, b);
	else if (!strncmp(op, "nl-", 3) || !strncmp(op, "rtnl-", 5))
		r = nl_op(op);
	else if (!strcmp(op, "siocsifflags-32"))
		r = ifflags_32();
	else if (!strcmp(op, "pty-hold") && a)
		r = pty_hold(a, argv + 3);
	else if (!strncmp(op, "siocsifmtu", 10) && a)
		r = ifmtu(a, !strcmp(op, "siocsifmtu-32"));
	else if (!strncmp(op, "tty-", 4) || !strncmp(op, "tiocsti", 7)) {
		tty_text = b;
		r = tty_op(op, a);
	}
	else if (!strncmp(op, "cgroup-", 7) && a)
		r = cgroup_op(op, a);
	else if (!strcmp(op, "ldisc-slip"))
		r = ldisc_slip();
	else if (!strncmp(op, "shm-", 4) && a)
		r = ipc_op(op, a, b);
	else if (!strncmp(op, "key-", 4) && a)
		r = key_op(op, a, b);
	else if ((strstr(op, "prio") || !strcmp(op, "nice")) && a)
		r = prio_op(op, a, b);
	else if (!strcmp(op, "group-hold") && a)
		r = group_hold(a);
	if (r >= 0)
		return r;
	fprintf(stderr, "usage: see the comment at the top of privop.c\n");
	return 254;
}
