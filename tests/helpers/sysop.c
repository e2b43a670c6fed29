// SPDX-License-Identifier: GPL-2.0
/*
 * sysop: one privileged system call that changes the whole system, made
 * so that it changes nothing when it succeeds (it sets what is already
 * set). Exit status 0, or the errno; "reached" operations also answer 0
 * when the error shows the permission checks were passed (the errno the
 * kernel gives further on, named below).
 *
 *   sysop delete-module NAME      delete_module(NAME, O_NONBLOCK); ENOENT: 0
 *   sysop delete-module-32 NAME   the same through int $0x80
 *   sysop reboot | reboot-32      reboot(LINUX_REBOOT_CMD_CAD_OFF)
 *   sysop swapon FILE | swapoff FILE   not a swap file: EINVAL: 0
 *   sysop sethostname | setdomainname | sethostname-32   set the same name
 *   sysop acct                    acct(NULL): accounting off
 *   sysop vhangup                 in a new session (no terminal)
 *   sysop settimeofday | clock-settime   set the time it is
 *   sysop adjtimex-set | clock-adjtime-set   ADJ_STATUS with the status
 *   sysop adjtimex-read           adjtimex() with no mode: a query
 *   sysop syslog-read | syslog-size
 *   sysop quota-off DIR | quota-info DIR   quotactl_fd on DIR's filesystem
 *                                 (Q_QUOTAOFF, Q_GETINFO); ESRCH, EINVAL: 0
 *   sysop rtnl-get | rtnl-set | rtnl-get-set
 *                                 RTM_GETLINK; RTM_NEWLINK setting lo up
 *                                 (it is); both in one sendmsg()
 *   sysop siocgifflags | siocsifflags | siwfreq
 *                                 lo's flags read, set to what they are;
 *                                 a wireless setter (lo has none:
 *                                 EOPNOTSUPP: 0)
 *   sysop chattr FILE             FS_IOC_SETFLAGS to the flags it has
 *   sysop inotify PATH            inotify_add_watch
 *   sysop fanotify-mount PATH | fanotify-perm PATH
 *                                 a mount mark; an open permission event
 *   sysop handle-save PATH FILE   name_to_handle_at(PATH) into FILE
 *   sysop handle-open FILE DIR    open_by_handle_at(FILE's handle) on a
 *                                 descriptor of DIR (same filesystem), and
 *                                 read it
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/if.h>
#include <linux/netlink.h>
#include <linux/quota.h>
#include <linux/reboot.h>
#include <linux/rtnetlink.h>
#include <linux/wireless.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/socket.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "int80.h"

static int err(const char *what)
{
	int e = errno;

	fprintf(stderr, "sysop: %s: %s\n", what, strerror(e));
	return e ? e : 255;
}

/* 0 when @ret succeeded or failed with @past (the checks were passed). */
static int reached(long ret, int past, const char *what)
{
	return ret < 0 && errno != past ? err(what) : 0;
}


#define IA32_REBOOT 88
#define IA32_SETHOSTNAME 74
#define IA32_DELETE_MODULE 129

static char low_buf[256];	/* in .bss: a 32-bit address */

static int names_op(const char *op)
{
	char name[65] = "";

	if (!strcmp(op, "setdomainname")) {
		if (getdomainname(name, sizeof(name) - 1))
			return err("getdomainname");
		return setdomainname(name, strlen(name)) ? err("setdomainname") : 0;
	}
	if (gethostname(name, sizeof(name) - 1))
		return err("gethostname");
	if (!strcmp(op, "sethostname"))
		return sethostname(name, strlen(name)) ? err("sethostname") : 0;
	strcpy(low_buf, name);
	return int80(IA32_SETHOSTNAME, (long)low_buf, (long)strlen(low_buf), 0) < 0 ?
	       err("sethostname (ia32)") : 0;
}

static int time_op(const char *op)
{
	struct timex tx = { .modes = 0 };

	if (!strcmp(op, "settimeofday")) {
		struct timeval tv;

		gettimeofday(&tv, NULL);
		return settimeofday(&tv, NULL) ? err("settimeofday") : 0;
	}
	if (!strcmp(op, "clock-settime")) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		return clock_settime(CLOCK_REALTIME, &ts) ? err("clock_settime") : 0;
	}
	if (adjtimex(&tx) < 0)
		return err("adjtimex (query)");
	if (!strcmp(op, "adjtimex-read"))
		return 0;
	tx.modes = ADJ_STATUS;
	if (!strcmp(op, "adjtimex-set"))
		return adjtimex(&tx) < 0 ? err("adjtimex") : 0;
	return syscall(SYS_clock_adjtime, CLOCK_REALTIME, &tx) < 0 ?
	       err("clock_adjtime") : 0;
}

static int quota_op(const char *op, const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	struct if_dqinfo info;
	long r;

	if (fd < 0)
		return err("open");
	if (!strcmp(op, "quota-info"))
		r = syscall(SYS_quotactl_fd, fd, QCMD(Q_GETINFO, USRQUOTA), 0, &info);
	else
		r = syscall(SYS_quotactl_fd, fd, QCMD(Q_QUOTAOFF, USRQUOTA), 0, NULL);
	/* Quota not on: the command itself says so, past the checks. */
	if (r < 0 && (errno == ESRCH || errno == EINVAL))
		return 0;
	return r < 0 ? err("quotactl_fd") : 0;
}

/* Send @n messages of @types in one sendmsg(); the first error answered. */
static int rtnl_send(const unsigned short *types, int n)
{
	struct {
		struct nlmsghdr h;
		struct ifinfomsg i;
	} msgs[2];
	char buf[8192];
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), k;
	ssize_t len;

	if (fd < 0)
		return err("socket");
	memset(msgs, 0, sizeof(msgs));
	for (k = 0; k < n; k++) {
		msgs[k].h.nlmsg_len = sizeof(msgs[k]);
		msgs[k].h.nlmsg_type = types[k];
		msgs[k].h.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
		msgs[k].h.nlmsg_seq = k + 1;
		msgs[k].i.ifi_index = 1;	/* lo */
		if (types[k] == RTM_NEWLINK)
			msgs[k].i.ifi_flags = msgs[k].i.ifi_change = IFF_UP;
	}
	if (send(fd, msgs, sizeof(msgs[0]) * n, 0) < 0)
		return err("send");
	/* Read until the last message's answer; report an error ack. */
	for (;;) {
		struct nlmsghdr *h;

		len = recv(fd, buf, sizeof(buf), 0);
		if (len < 0)
			return err("recv");
		for (h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			struct nlmsgerr *e = NLMSG_DATA(h);

			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			if (e->error) {
				errno = -e->error;
				return err("rtnetlink");
			}
			if (h->nlmsg_seq == (unsigned int)n)
				return 0;
		}
	}
}

static int rtnl_op(const char *op)
{
	static const unsigned short get[] = { RTM_GETLINK };
	static const unsigned short set[] = { RTM_NEWLINK };
	static const unsigned short get_set[] = { RTM_GETLINK, RTM_NEWLINK };

	if (!strcmp(op, "rtnl-get"))
		return rtnl_send(get, 1);
	if (!strcmp(op, "rtnl-set"))
		return rtnl_send(set, 1);
	return rtnl_send(get_set, 2);
}

static int ioctl_op(const char *op)
{
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	struct ifreq ifr = { .ifr_name = "lo" };
	struct iwreq iwr = { .ifr_name = "lo" };

	if (fd < 0)
		return err("socket");
	if (ioctl(fd, SIOCGIFFLAGS, &ifr))
		return err("SIOCGIFFLAGS");
	if (!strcmp(op, "siocsifflags"))
		return ioctl(fd, SIOCSIFFLAGS, &ifr) ? err("SIOCSIFFLAGS") : 0;
	if (!strcmp(op, "siwfreq"))
		return reached(ioctl(fd, SIOCSIWFREQ, &iwr), EOPNOTSUPP, "SIOCSIWFREQ");
	return 0;
}

static int notify_op(const char *op, const char *path)
{
	int fd;

	if (!strcmp(op, "inotify")) {
		fd = inotify_init1(IN_CLOEXEC);
		if (fd < 0)
			return err("inotify_init1");
		return inotify_add_watch(fd, path, IN_MODIFY) < 0 ? err("inotify_add_watch") : 0;
	}
	if (!strcmp(op, "fanotify-mount")) {
		fd = fanotify_init(FAN_CLASS_NOTIF, O_RDONLY);
		if (fd < 0)
			return err("fanotify_init");
		return fanotify_mark(fd, FAN_MARK_ADD | FAN_MARK_MOUNT, FAN_OPEN,
				     AT_FDCWD, path) ? err("fanotify_mark") : 0;
	}
	fd = fanotify_init(FAN_CLASS_CONTENT, O_RDONLY);
	if (fd < 0)
		return err("fanotify_init");
	return fanotify_mark(fd, FAN_MARK_ADD, FAN_OPEN_PERM, AT_FDCWD, path) ?
	       err("fanotify_mark") : 0;
}

static int chattr_op(const char *path)
{
	int fd = open(path, O_RDONLY), flags;

	if (fd < 0)
		return err("open");
	if (ioctl(fd, FS_IOC_GETFLAGS, &flags))
		return err("FS_IOC_GETFLAGS");
	return ioctl(fd, FS_IOC_SETFLAGS, &flags) ? err("FS_IOC_SETFLAGS") : 0;
}

/* The "shocker" escape: a file reached by its handle, not by a path. */
static int handle_op(const char *op, const char *path, const char *file)
{
	struct {
		struct file_handle fh;
		unsigned char bytes[MAX_HANDLE_SZ];
	} h = { .fh.handle_bytes = MAX_HANDLE_SZ };
	int mount_id, fd, root;
	char c;

	if (!strcmp(op, "handle-save")) {
		if (name_to_handle_at(AT_FDCWD, path, &h.fh, &mount_id, 0))
			return err("name_to_handle_at");
		fd = open(file, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || write(fd, &h, sizeof(h)) != sizeof(h))
			return err("save");
		return 0;
	}
	fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, &h, sizeof(h)) != sizeof(h))
		return err("load");
	root = open(file, O_RDONLY | O_DIRECTORY);
	if (root < 0)
		return err("open the mount's directory");
	fd = open_by_handle_at(root, &h.fh, O_RDONLY);
	if (fd < 0)
		return err("open_by_handle_at");
	return read(fd, &c, 1) < 0 ? err("read") : 0;
}

static int vhangup_op(void)
{
	pid_t pid = fork();
	int status;

	if (!pid) {
		if (setsid() < 0)
			_exit(err("setsid"));
		_exit(vhangup() ? err("vhangup") : 0);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 255;
}

static int arg_op(const char *op, const char *arg)
{
	if (!strcmp(op, "delete-module"))
		return reached(syscall(SYS_delete_module, arg, O_NONBLOCK), ENOENT,
			       "delete_module");
	if (!strcmp(op, "delete-module-32")) {
		snprintf(low_buf, sizeof(low_buf), "%s", arg);
		return reached(int80(IA32_DELETE_MODULE, (long)low_buf, O_NONBLOCK, 0),
			       ENOENT, "delete_module (ia32)");
	}
	if (!strcmp(op, "swapon"))
		return reached(swapon(arg, 0), EINVAL, "swapon");
	if (!strcmp(op, "swapoff"))
		return reached(swapoff(arg), EINVAL, "swapoff");
	if (!strncmp(op, "quota-", 6))
		return quota_op(op, arg);
	if (!strcmp(op, "chattr"))
		return chattr_op(arg);
	if (strstr(op, "notify"))
		return notify_op(op, arg);
	return -1;
}

static int plain_op(const char *op)
{
	char buf[64];

	if (!strcmp(op, "reboot"))
		return syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			       LINUX_REBOOT_CMD_CAD_OFF, NULL) ? err("reboot") : 0;
	if (!strcmp(op, "reboot-32"))
		return int80(IA32_REBOOT, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
			     LINUX_REBOOT_CMD_CAD_OFF) < 0 ? err("reboot (ia32)") : 0;
	if (!strncmp(op, "set", 3) && strstr(op, "name"))
		return names_op(op);
	if (!strcmp(op, "acct"))
		return acct(NULL) ? err("acct") : 0;
	if (!strcmp(op, "vhangup"))
		return vhangup_op();
	if (strstr(op, "time"))
		return time_op(op);
	if (!strcmp(op, "syslog-read"))
		return klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof(buf)) < 0 ?
		       err("syslog") : 0;
	if (!strcmp(op, "syslog-size"))
		return klogctl(10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0) < 0 ?
		       err("syslog") : 0;
	if (!strncmp(op, "rtnl-", 5))
		return rtnl_op(op);
	if (!strncmp(op, "sioc", 4) || !strcmp(op, "siwfreq"))
		return ioctl_op(op);
	return -1;
}

int main(int argc, char **argv)
{
	int r = -1;

	if (argc == 2)
		r = plain_op(argv[1]);
	else if (argc == 3)
		r = arg_op(argv[1], argv[2]);
	else if (argc == 4 && !strncmp(argv[1], "handle-", 7))
		r = handle_op(argv[1], argv[2], argv[3]);
	if (r >= 0)
		return r;
	fprintf(stderr, "usage: see the comment at the top of sysop.c\n");
	return 254;
}
