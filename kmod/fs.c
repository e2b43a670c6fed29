// SPDX-License-Identifier: GPL-2.0
/*
 * Charter: filesystem hooks.
 *
 * A confined task reaches a file only with the rights every layer of its
 * domain grants on the file's absolute path (read, write, execute). Paths
 * come from d_absolute_path(), which resolves symlinks, "..", the task's
 * cwd and root (a chroot changes nothing): what is checked is where the
 * file is, not how it was named.
 * A denial is EACCES. What needs which right:
 *
 *   read     open for reading (and listing a directory)
 *   write    open for writing or appending; truncate; chmod, chown,
 *            setting its times (utimes, utimensat), setxattr and
 *            removexattr, the inode flags (FS_IOC_SETFLAGS,
 *            FS_IOC_FSSETXATTR: immutable, append-only...); create (open
 *            O_CREAT, mknod, mkdir, symlink, link), unlink, rmdir and
 *            rename: on the
 *            path of the entry created, removed or renamed (so a rule for
 *            a directory lets the task create files in it, and a glob
 *            "*.log" rule lets it create .log files only)
 *   execute  execve (and uselib); mmap or mprotect of a file with
 *            PROT_EXEC, except the task's own executable
 *
 * Watching a file or directory (inotify, dnotify, fanotify on an inode)
 * needs read on it; fanotify marks on a whole mount or filesystem, and
 * permission events (which would let the task stall or judge every
 * other process's opens), are refused in a domain (EPERM).
 *
 * Linking or renaming must not give a file more rights than it had where
 * it was, nor, for a directory, any file beneath it
 * (charter_domain_check_move()). A task's own /proc/<pid> is always
 * readable and writable by it (charter_own_proc()).
 */

#include <linux/binfmts.h>
#include <linux/compat.h>
#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/fsnotify_backend.h>
#include <linux/fiemap.h>
#include <linux/fscrypt.h>
#include <linux/fsmap.h>
#include <linux/fsverity.h>
#include <linux/hash.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/mount.h>
#include <linux/msdos_fs.h>
#include <linux/moduleparam.h>
#include <linux/path.h>
#include <linux/percpu.h>
#include <linux/log2.h>
#include <linux/magic.h>
#include <linux/personality.h>
#include <linux/proc_fs.h>
#include <linux/sched/mm.h>
#include <linux/seqlock.h>
#include <linux/uaccess.h>
#include <net/sock.h>

#include "attach.h"
#include "compat.h"
#include "decide.h"
#include "dev.h"
#include "domain.h"
#include "events.h"
#include "ident.h"
#include "learn.h"
#include "policy.h"
#include "servers.h"
#include "uapi/charter.h"

static char *(*charter_d_absolute_path)(const struct path *path, char *buf,
					 int buflen);

/*
 * Path buffers: a pair (two paths: a link, a rename) for one decision, in
 * the manner of AppArmor's aa_get_buffer(). Each CPU keeps one spare pair,
 * taken and given back with one per-CPU exchange; a task that finds none
 * (another decision on this CPU holds it) gets one from a slab cache.
 * Preemption stays on, so a long decision (many layers, a long path)
 * delays no one; the task may move to another CPU and give the pair back
 * there. The cache has a constructor, which spares its objects the
 * zeroing of init_on_alloc (8 KiB zeroed per decision made an open cost a
 * third more). Every user may sleep; the allocation never fails
 * (__GFP_NOFAIL, order 1), so no decision changes under memory pressure.
 */
struct charter_path_bufs {
	char a[PATH_MAX];
	char b[PATH_MAX];
};

static struct kmem_cache *charter_path_cache;
static DEFINE_PER_CPU(struct charter_path_bufs *, charter_path_spare);

static void charter_path_bufs_ctor(void *bufs)
{
}

static struct charter_path_bufs *charter_path_bufs_get(void)
{
	struct charter_path_bufs *bufs = this_cpu_xchg(charter_path_spare, NULL);

	return bufs ?: kmem_cache_alloc(charter_path_cache,
					GFP_KERNEL | __GFP_NOFAIL);
}

/*
 * For a decision that may not sleep (a unix socket's peer, judged under
 * its state lock): the CPU's spare, else an atomic allocation; NULL when
 * that fails. (A decision preempted on this CPU may hold the spare:
 * red team.)
 */
static struct charter_path_bufs *charter_path_bufs_get_atomic(void)
{
	struct charter_path_bufs *bufs = this_cpu_xchg(charter_path_spare, NULL);

	return bufs ?: kmem_cache_alloc(charter_path_cache,
					GFP_ATOMIC | __GFP_NOWARN);
}

static void charter_path_bufs_put(struct charter_path_bufs *bufs)
{
	if (this_cpu_cmpxchg(charter_path_spare, NULL, bufs))
		kmem_cache_free(charter_path_cache, bufs);
}

/*
 * The path from the root of the mount namespace, not from the task's
 * root: a chroot must not make /srv/jail/etc look like /etc. A file that
 * cannot be named so (on a detached mount...) has no path: NULL, which
 * is granted nothing.
 */
static const char *charter_path_by_kernel(const struct path *path, char *buf)
{
	char *p = charter_d_absolute_path(path, buf, PATH_MAX);

	return IS_ERR_OR_NULL(p) ? NULL : p;
}

static seqlock_t *charter_mount_lock;	/* the kernel's mount_lock */

static bool verify_paths;
module_param(verify_paths, bool, 0444);
MODULE_PARM_DESC(verify_paths,
		 "check every path the fast way names against d_absolute_path() (tests)");

/*
 * verify_paths=1: name @path the kernel's way too and say so if the two
 * differ. A test aid (tests/vm/paths-fast.sh): it doubles the cost.
 */
static void charter_path_verify(const struct path *path, const char *fast,
				unsigned int rename_seq, unsigned int mount_seq)
{
	/* Atomic: unix socket peers are named under a spinlock. */
	char *buf = kmalloc(PATH_MAX, GFP_ATOMIC | __GFP_NOWARN);
	bool moved;
	const char *slow;

	if (!buf)
		return;
	slow = charter_path_by_kernel(path, buf);
	/*
	 * A rename or a mount (mount --move) since the fast way looked:
	 * either name may be right. (Without mount_lock, which kallsyms
	 * gives on 6.1 and 6.12, a moved mount could look like a wrong name.)
	 */
	moved = read_seqretry(&rename_lock, rename_seq) ||
		(charter_mount_lock &&
		 read_seqretry(charter_mount_lock, mount_seq));
	if (!moved && (!slow || strcmp(slow, fast)))
		WARN(1, "charter: path named \"%s\", the kernel names it \"%s\"\n",
		     fast, slow ?: "(nothing)");
	kfree(buf);
}

/* The fast way follows at most this many components within a mount. */
#define CHARTER_PATH_FAST_DEPTH 32

/*
 * Append @d's name to the path of @len bytes in @buf; false if it does not
 * fit or cannot be read. A name in the dentry (d_iname) is read in place,
 * its length bounded by that array (a rename may change both under us;
 * the caller's rename_lock check then throws the result away). A longer
 * name, in memory of its own that a rename may free after RCU, is read
 * as d_path() reads every name: with copy_from_kernel_nofault().
 */
static bool charter_path_append(char *buf, size_t *len, const struct dentry *d)
{
	/* Pairs with the release in __d_move(), as prepend_name() does. */
	const unsigned char *name = smp_load_acquire(&d->d_name.name);
	u32 name_len = READ_ONCE(d->d_name.len);

	if (name == d->d_iname)
		name_len = min_t(u32, name_len, DNAME_INLINE_LEN - 1);
	if (*len + 1 + name_len + 1 > PATH_MAX)
		return false;
	buf[(*len)++] = '/';
	if (name == d->d_iname)
		memcpy(buf + *len, name, name_len);
	else if (copy_from_kernel_nofault(buf + *len, name, name_len))
		return false;
	*len += name_len;
	return true;
}

/*
 * The names of mount roots, remembered per CPU: naming a mount's root is
 * the one step of charter_path_of() the kernel does (d_absolute_path(),
 * its mount and rename seqlocks taken, for "/" as for any mount). A name
 * holds while no mount and no rename happened anywhere since it was
 * taken: an entry keeps the two sequence counts it was read under and
 * answers only while both are unchanged (a mount freed and another
 * allocated at its address needs a mount_lock write between), and for a
 * second at most: a 32-bit count comes back to a value after 2^31
 * writes, which take minutes, not a second. Four
 * entries per CPU, by the mount's address; preemption is off while one
 * is read or written (at most 111 bytes copied).
 */
#define CHARTER_MOUNT_NAMES 4
#define CHARTER_MOUNT_NAME_MAX 111

struct charter_mount_name {
	const struct vfsmount *mnt;	/* NULL: empty */
	unsigned int rename_seq;
	unsigned int mount_seq;
	unsigned long expires;		/* jiffies: a second after it was read */
	u8 len;
	char name[CHARTER_MOUNT_NAME_MAX + 1];
};

struct charter_mount_names {
	struct charter_mount_name entries[CHARTER_MOUNT_NAMES];
};

static struct charter_mount_names __percpu *charter_mount_names;

static struct charter_mount_name *
charter_mount_name_slot(struct charter_mount_names *names,
			const struct vfsmount *mnt)
{
	return &names->entries[hash_ptr(mnt, ilog2(CHARTER_MOUNT_NAMES))];
}

/* Copy @mnt's remembered root name into @buf; its length, or -1. */
static int charter_mount_name_find(const struct vfsmount *mnt,
				   unsigned int rename_seq,
				   unsigned int mount_seq, char *buf)
{
	const struct charter_mount_name *e;
	int len = -1;

	e = charter_mount_name_slot(get_cpu_ptr(charter_mount_names), mnt);
	if (e->mnt == mnt && e->rename_seq == rename_seq &&
	    e->mount_seq == mount_seq && time_before(jiffies, e->expires)) {
		len = e->len;
		memcpy(buf, e->name, len + 1);
	}
	put_cpu_ptr(charter_mount_names);
	return len;
}

static void charter_mount_name_store(const struct vfsmount *mnt,
				     unsigned int rename_seq,
				     unsigned int mount_seq,
				     const char *name, size_t len)
{
	struct charter_mount_name *e;

	if (len > CHARTER_MOUNT_NAME_MAX)
		return;
	e = charter_mount_name_slot(get_cpu_ptr(charter_mount_names), mnt);
	e->mnt = mnt;
	e->rename_seq = rename_seq;
	e->mount_seq = mount_seq;
	e->expires = jiffies + HZ;
	e->len = len;
	memcpy(e->name, name, len + 1);
	put_cpu_ptr(charter_mount_names);
}

/*
 * The name of @path's mount root, at the start of @buf: its length, or
 * -1 if it has none. Under rcu_read_lock(), in the rename_lock and
 * mount_lock read sections begun at @rename_seq and @mount_seq.
 */
static int charter_mount_root_name(const struct path *path,
				   unsigned int rename_seq,
				   unsigned int mount_seq, char *buf)
{
	struct path root = { .mnt = path->mnt, .dentry = path->mnt->mnt_root };
	const char *name;
	int len;

	if (charter_mount_names) {
		len = charter_mount_name_find(root.mnt, rename_seq, mount_seq, buf);
		if (len >= 0)
			return len;
	}
	name = charter_path_by_kernel(&root, buf);
	if (!name)
		return -1;
	len = strlen(name);
	memmove(buf, name, len + 1);
	if (charter_mount_names && !read_seqretry(charter_mount_lock, mount_seq) &&
	    !read_seqretry(&rename_lock, rename_seq))
		charter_mount_name_store(root.mnt, rename_seq, mount_seq, buf, len);
	return len;
}

/*
 * charter_path_by_kernel(), faster: d_absolute_path() reads every name of
 * the path with copy_from_kernel_nofault() and takes the mount and rename
 * seqlocks, about a hundred instructions a component. Here the kernel
 * names only the root of the file's mount (the namespace's root for most
 * files: "/"), and that name is remembered (above); the components from
 * there down are collected by following d_parent and copied forward,
 * under RCU and a rename_lock read section. Anything unusual (a rename
 * meanwhile, a dentry outside its mount's root, a path too deep or too
 * long) falls back to the kernel's walk, so the result is always
 * d_absolute_path()'s.
 */
static const char *charter_path_of_len(const struct path *path, char *buf,
				       size_t *path_len)
{
	/* Only what the walk wrote is read: no zeroing (INIT_STACK_ALL_ZERO). */
	const struct dentry *chain[CHARTER_PATH_FAST_DEPTH] CHARTER_UNINITIALIZED;
	const char *slow;
	const struct dentry *d = path->dentry;
	const struct dentry *root = path->mnt->mnt_root;
	unsigned int depth = 0, seq, mount_seq = 0;
	size_t len;
	int root_len;

	rcu_read_lock();
	seq = read_seqbegin(&rename_lock);
	if (charter_mount_lock)
		mount_seq = read_seqbegin(charter_mount_lock);
	while (d != root) {
		const struct dentry *parent = READ_ONCE(d->d_parent);

		if (depth == CHARTER_PATH_FAST_DEPTH || parent == d)
			goto slow;
		chain[depth++] = d;
		d = parent;
	}
	root_len = charter_mount_root_name(path, seq, mount_seq, buf);
	if (root_len < 0)
		goto slow;
	len = root_len;
	if (len == 1 && depth)	/* "/": the first component adds its own */
		len = 0;
	while (depth)
		if (!charter_path_append(buf, &len, chain[--depth]))
			goto slow;
	buf[len] = '\0';
	if (read_seqretry(&rename_lock, seq))
		goto slow;
	rcu_read_unlock();
	if (unlikely(verify_paths))
		charter_path_verify(path, buf, seq, mount_seq);
	*path_len = len;
	return buf;
slow:
	rcu_read_unlock();
	slow = charter_path_by_kernel(path, buf);
	*path_len = slow ? strlen(slow) : 0;
	return slow;
}

/* charter_path_of_len(), the length not wanted. */
static const char *charter_path_of(const struct path *path, char *buf)
{
	size_t len;

	return charter_path_of_len(path, buf, &len);
}

/**
 * charter_path_is() - does a file lie at a given absolute path?
 * @path: the file
 * @want: an absolute path, as d_absolute_path() names files
 * @len: strlen(@want)
 *
 * Return: true when @path's absolute path (charter_path_of()) is @want.
 */
bool charter_path_is(const struct path *path, const char *want, size_t len)
{
	struct charter_path_bufs *bufs;
	const char *name;
	bool is;

	bufs = charter_path_bufs_get();
	name = charter_path_of(path, bufs->a);
	is = name && strlen(name) == len && !memcmp(name, want, len);
	charter_path_bufs_put(bufs);
	return is;
}

int charter_fs_init(void)
{
	/* d_absolute_path() is not exported. */
	charter_d_absolute_path = (void *)charter_symbol("d_absolute_path");
	if (!charter_d_absolute_path)
		return -ENOENT;
	/* Not exported either; without it, mount roots are named each time. */
	charter_mount_lock = (seqlock_t *)charter_symbol("mount_lock");
	if (charter_mount_lock) {
		charter_mount_names = alloc_percpu(struct charter_mount_names);
		if (!charter_mount_names)
			return -ENOMEM;
	}
	charter_path_cache = kmem_cache_create("charter_path",
					       sizeof(struct charter_path_bufs),
					       0, 0, charter_path_bufs_ctor);
	if (!charter_path_cache) {
		free_percpu(charter_mount_names);
		charter_mount_names = NULL;
		return -ENOMEM;
	}
	return 0;
}

/* After the hooks are detached and none is in flight. */
void charter_fs_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct charter_path_bufs **spare = per_cpu_ptr(&charter_path_spare, cpu);

		if (*spare)
			kmem_cache_free(charter_path_cache, *spare);
		*spare = NULL;
	}
	kmem_cache_destroy(charter_path_cache);
	free_percpu(charter_mount_names);
	charter_mount_names = NULL;
}

/*
 * Entries of a process's /proc/<pid> that are not the process's own
 * business: "net" is the whole network namespace's /proc/net; the audit
 * login uid and session; the autogroup, which renices every process of
 * the session. They follow the manifest's rules like the rest of /proc.
 */
static bool charter_proc_system_wide(const struct dentry *entry)
{
	static const char *const names[] = { "net", "loginuid", "sessionid",
					     "autogroup" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (!strcmp(entry->d_name.name, names[i]))
			return true;
	return false;
}

/*
 * A task may always read and write its own /proc/<pid> (what /proc/self
 * leads to): programs read their status, limits, maps. Other processes'
 * entries, the system-wide ones under its own, and the rest of /proc,
 * follow the manifest. "Own" is by the pid as that /proc mount numbers it.
 */
static noinline bool charter_own_proc_entry(const struct path *path)
{
	struct dentry *top = path->dentry;
	bool system_wide = false, own;
	struct pid_namespace *ns;
	unsigned int pid;

	/* The pid a /proc shows is in the pid namespace of that mount. */
	ns = proc_pid_ns(path->dentry->d_sb);
	rcu_read_lock();
	/* Also /proc/<pid>/task/<tid>/net and the like. */
	while (!IS_ROOT(top) && !IS_ROOT(READ_ONCE(top->d_parent))) {
		system_wide |= charter_proc_system_wide(top);
		top = READ_ONCE(top->d_parent);
	}
	own = !system_wide && !IS_ROOT(top) &&
	      !kstrtouint(top->d_name.name, 10, &pid) &&
	      pid == task_tgid_nr_ns(current, ns);
	rcu_read_unlock();
	return own;
}

/* The test above, its walk out of the way of every other open. */
static bool charter_own_proc(const struct path *path, u32 requested)
{
	return path->dentry->d_sb->s_magic == PROC_SUPER_MAGIC &&
	       !(requested & ~(CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE)) &&
	       charter_own_proc_entry(path);
}

int charter_check_path(const struct charter_domain *d, const struct path *path,
		       u32 requested)
{
	struct charter_path_bufs *bufs;
	const char *name;
	size_t len;
	int ret;

	if (charter_own_proc(path, requested)) {
		charter_count_allowed();
		return 0;
	}
	bufs = charter_path_bufs_get();
	name = charter_path_of_len(path, bufs->a, &len);
	ret = charter_domain_check_len(d, name, len, requested);
	charter_path_bufs_put(bufs);
	return ret;
}

/**
 * charter_check_unix_path() - may @d reach the unix socket bound at @path?
 * @d: the domain of the connecting or sending task
 * @path: where the socket is bound
 * @other: the socket (its owner, sk_uid, and its maker: net.c,
 *	charter_server_maker_ok())
 * @stream: a stream connect, which a device class may grant for a
 *	display or sound server's socket (servers.c); else a datagram
 *
 * Write on the path grants it, as for any socket file. Never sleeps:
 * net.c holds the socket's state lock.
 *
 * Return: 0, -ENOMEM when no path buffer could be had without sleeping
 * (refused), or the decision's errno.
 */
int charter_check_unix_path(const struct charter_domain *d,
			    const struct path *path, const struct sock *other,
			    bool stream)
{
	struct charter_path_bufs *bufs;
	const char *name;
	size_t len;
	u32 classes;
	int ret;

	bufs = charter_path_bufs_get_atomic();
	if (!bufs)
		return -ENOMEM;
	name = charter_path_of_len(path, bufs->a, &len);
	classes = stream && name ? charter_server_classes(name, len,
							  other->sk_uid,
							  current_uid()) : 0;
	if (classes && !charter_server_maker_ok(other, classes))
		classes = 0;
	if (classes)
		ret = charter_domain_check_server(d, classes, name, len);
	else
		ret = charter_domain_check_len(d, name, len, CHARTER_ACCESS_WRITE);
	charter_path_bufs_put(bufs);
	return ret;
}

/*
 * The path of entry @dentry of directory @dir: the directory's path and
 * the entry's name. (The path of the entry itself would not do: a file
 * being created by open(O_CREAT) is not hashed yet, which makes it look
 * deleted.) The caller holds the directory's lock: the name is
 * stable.
 */
static const char *charter_entry_path(const struct path *dir,
				      const struct dentry *dentry, char *buf)
{
	const char *p = charter_path_of(dir, buf);
	size_t len, name_len = dentry->d_name.len;
	char *end;

	if (!p)
		return NULL;
	len = strlen(p);
	if (p[len - 1] == '/')		/* the root */
		len--;
	if (len + 1 + name_len + 1 > PATH_MAX)
		return NULL;
	/* d_path() wrote at the end of buf: move it to the start. */
	memmove(buf, p, len);
	end = buf + len;
	*end++ = '/';
	memcpy(end, dentry->d_name.name, name_len);
	end[name_len] = '\0';
	return buf;
}

static int charter_check_entry(const struct charter_domain *d,
			       const struct path *dir, struct dentry *dentry,
			       u32 requested)
{
	struct charter_path_bufs *bufs = charter_path_bufs_get();
	int ret;

	ret = charter_domain_check(d, charter_entry_path(dir, dentry, bufs->a),
				   requested);
	charter_path_bufs_put(bufs);
	return ret;
}

static u32 charter_open_access(const struct file *file)
{
	u32 access = 0;

	/*
	 * Opened to be executed (execve, uselib): that needs execute only.
	 * Linux 6.1 marks it in f_flags only (later kernels in f_mode too).
	 */
	if ((file->f_flags & __FMODE_EXEC) || (file->f_mode & FMODE_EXEC))
		return CHARTER_ACCESS_EXECUTE;
	/*
	 * open(path, 3): no FMODE_READ, no FMODE_WRITE, but an ioctl-only
	 * descriptor the kernel grants by read and write permission
	 * (ACC_MODE()): judged as such (red team: BLKROSET of a loop device
	 * through one, with no device class).
	 */
	if ((file->f_flags & O_ACCMODE) == O_ACCMODE)
		return CHARTER_ACCESS_READ | CHARTER_ACCESS_WRITE;
	if (file->f_mode & FMODE_READ)
		access |= CHARTER_ACCESS_READ;
	if (file->f_mode & FMODE_WRITE)
		access |= CHARTER_ACCESS_WRITE;
	return access;
}

/* A device node: judged by its class, not by path rules. Rare: not inline. */
static noinline int charter_check_device(const struct charter_domain *d,
				struct file *file, u32 requested)
{
	struct inode *inode = file_inode(file);
	struct charter_path_bufs *bufs;
	u32 classes;
	int ret;

	if (charter_dev_always_allowed(inode->i_rdev)) {
		charter_count_allowed();
		return 0;
	}
	classes = charter_dev_classes(inode);
	if ((requested & CHARTER_ACCESS_WRITE) &&
	    charter_dev_write_refused(inode->i_rdev, classes))
		return charter_refuse(d, -EACCES,
				      "write to input device %u:%u (events typed for everyone)",
				      MAJOR(inode->i_rdev), MINOR(inode->i_rdev));
	bufs = charter_path_bufs_get();
	ret = charter_domain_check_device(d, classes, inode->i_rdev,
					  charter_path_of(&file->f_path, bufs->a),
					  requested);
	charter_path_bufs_put(bufs);
	return ret;
}

/* @d: the running task's domain, or NULL (CHARTER_HOOK_INT_DOMAIN). */
static int charter_hook_file_open(struct charter_domain *d, struct file *file)
{
	u32 access;

	/*
	 * Anyone's write may change an executable we know the digest of. On
	 * overlayfs, the open of the real file comes here too.
	 */
	if (file->f_mode & FMODE_WRITE)
		charter_ident_forget(file_inode(file));
	if (likely(!d))
		return 0;
	/*
	 * Since 6.9 a pidfd is a pidfs file opened here. It names a process,
	 * not a file: what may be done to the process (signal, pidfd_getfd)
	 * is judged by the task hooks.
	 */
	if (charter_is_pidfd(file))
		return 0;
	access = charter_open_access(file);
	/* O_PATH and friends ask for nothing: nothing to check. */
	if (!access)
		return 0;
	if (S_ISCHR(file_inode(file)->i_mode) || S_ISBLK(file_inode(file)->i_mode))
		return charter_check_device(d, file, access);
	return charter_check_path(d, &file->f_path, access);
}

static int charter_hook_path_mknod(const struct path *dir,
				   struct dentry *dentry, umode_t mode,
				   unsigned int dev)
{
	struct charter_domain *d = charter_current_domain();

	if (!d)
		return 0;
	/* No device node is made in a domain: no class can be granted. */
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return charter_domain_check_device(d, 0, new_decode_dev(dev),
						   NULL, CHARTER_ACCESS_WRITE);
	return charter_check_entry(d, dir, dentry, CHARTER_ACCESS_WRITE);
}

static int charter_hook_path_mkdir(const struct path *dir,
				   struct dentry *dentry, umode_t mode)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_entry(d, dir, dentry, CHARTER_ACCESS_WRITE) : 0;
}

static int charter_hook_path_symlink(const struct path *dir,
				     struct dentry *dentry, const char *old_name)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_entry(d, dir, dentry, CHARTER_ACCESS_WRITE) : 0;
}

static int charter_hook_path_unlink(const struct path *dir,
				    struct dentry *dentry)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_entry(d, dir, dentry, CHARTER_ACCESS_WRITE) : 0;
}

static int charter_hook_path_rmdir(const struct path *dir,
				   struct dentry *dentry)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_entry(d, dir, dentry, CHARTER_ACCESS_WRITE) : 0;
}

/*
 * Write on the new name, and no more rights at @to than at @from for the
 * entry moved there, @from's dentry, nor (a directory) for anything
 * beneath it.
 */
static int charter_check_move(const struct charter_domain *d,
			      const struct path *from, const struct path *to)
{
	struct charter_path_bufs *bufs = charter_path_bufs_get();
	const char *p_from = charter_path_of(from, bufs->a);
	const char *p_to = charter_path_of(to, bufs->b);
	int ret;

	ret = charter_domain_check(d, p_to, CHARTER_ACCESS_WRITE);
	if (!ret)
		ret = charter_domain_check_move(d, p_from, p_to,
						d_is_dir(from->dentry));
	charter_path_bufs_put(bufs);
	return ret;
}

static int charter_hook_path_link(struct dentry *old_dentry,
				  const struct path *new_dir,
				  struct dentry *new_dentry)
{
	struct charter_domain *d = charter_current_domain();
	struct path from = { .mnt = new_dir->mnt, .dentry = old_dentry };
	struct path to = { .mnt = new_dir->mnt, .dentry = new_dentry };

	return d ? charter_check_move(d, &from, &to) : 0;
}

/*
 * An exchange moves both entries: each is checked as moved to the other's
 * place, a directory with its whole tree.
 */
static int charter_hook_path_rename(const struct path *old_dir,
				    struct dentry *old_dentry,
				    const struct path *new_dir,
				    struct dentry *new_dentry,
				    unsigned int flags)
{
	struct charter_domain *d = charter_current_domain();
	struct path from = { .mnt = old_dir->mnt, .dentry = old_dentry };
	struct path to = { .mnt = new_dir->mnt, .dentry = new_dentry };
	int ret;

	if (!d)
		return 0;
	/* Taking the old name away is a write on it too. */
	ret = charter_check_path(d, &from, CHARTER_ACCESS_WRITE);
	if (!ret)
		ret = charter_check_move(d, &from, &to);
	if (!ret && (flags & RENAME_EXCHANGE))
		ret = charter_check_move(d, &to, &from);
	return ret;
}

static int charter_open_for_write(const void *path, struct file *file,
				  unsigned int fd)
{
	return file->f_path.dentry == ((const struct path *)path)->dentry &&
	       (file->f_mode & FMODE_WRITE);
}

/*
 * A file of the kernel's internal mounts (memfd_create()'s: no path a rule
 * could name) may be truncated by a task that holds it open for writing:
 * ftruncate() of its own buffer, as every Wayland client and PulseAudio
 * do, which it could write anyway. Not through the /proc/self/fd name of
 * a descriptor opened for reading only: a memfd handed in read-only (a
 * compositor's keymap) would shrink under its owner's mappings (SIGBUS).
 */
static bool charter_internal_writable(const struct path *path)
{
	return (path->mnt->mnt_flags & MNT_INTERNAL) &&
	       iterate_fd(current->files, 0, charter_open_for_write, path);
}

static int charter_hook_path_truncate(const struct path *path)
{
	struct charter_domain *d;

	/*
	 * truncate(2) by path takes write access without opening the file;
	 * on overlayfs it truncates the real file. (Before 6.2, ftruncate()
	 * comes here too, with the descriptor's path.)
	 */
	charter_ident_forget(d_real_inode(path->dentry));
	d = charter_current_domain();
	if (!d || charter_internal_writable(path))
		return 0;
	return charter_check_path(d, path, CHARTER_ACCESS_WRITE);
}

#if CHARTER_HAVE_FILE_TRUNCATE
/*
 * Since 6.2, ftruncate() and open(O_TRUNC) come here instead of to
 * path_truncate: write access, whatever the file was opened for.
 */
static int charter_hook_file_truncate(struct file *file)
{
	struct charter_domain *d;

	charter_ident_forget(d_real_inode(file->f_path.dentry));
	d = charter_current_domain();
	/* Open for writing (ftruncate() checked): see above. */
	if (!d || (file->f_path.mnt->mnt_flags & MNT_INTERNAL))
		return 0;
	return charter_check_path(d, &file->f_path, CHARTER_ACCESS_WRITE);
}
#endif

static int charter_hook_path_chmod(const struct path *path, umode_t mode)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_path(d, path, CHARTER_ACCESS_WRITE) : 0;
}

static int charter_hook_path_chown(const struct path *path, kuid_t uid,
				   kgid_t gid)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_path(d, path, CHARTER_ACCESS_WRITE) : 0;
}

/*
 * xattr hooks get a dentry, no mount. Name it through the mount of the
 * task's root or cwd when it is on the same filesystem; a file reachable
 * only through another mount gets no rights (fail closed, documented).
 */
static int charter_check_dentry(const struct charter_domain *d,
				struct dentry *dentry, u32 requested)
{
	struct path root, pwd, path = { .dentry = dentry };
	int ret;

	get_fs_root(current->fs, &root);
	get_fs_pwd(current->fs, &pwd);
	if (root.mnt->mnt_sb == dentry->d_sb)
		path.mnt = root.mnt;
	else if (pwd.mnt->mnt_sb == dentry->d_sb)
		path.mnt = pwd.mnt;
	ret = path.mnt ? charter_check_path(d, &path, requested)
		       : charter_domain_check(d, NULL, requested);
	path_put(&root);
	path_put(&pwd);
	return ret;
}

/*
 * utime(), utimes(), futimesat(), utimensat() and futimens(), every ABI
 * and time width, reach vfs_utimes() with the file's path (the fd's for
 * futimens), and nothing from userspace sets times another way
 * (notify_change() with only time bits is otherwise called by the kernel
 * itself: overlayfs copy-up, nfsd). Setting a file's times writes its
 * metadata, as chmod does: write (trinity moved the times of a file
 * outside its manifest through a symlink before this). Writes and reads
 * move times without coming here (file_update_time(), touch_atime()).
 * Judged on the path the caller named, on whatever mount, not on a
 * dentry named through the root's or cwd's mount (inode_setattr, here
 * before, refused a granted file on another filesystem than the cwd's).
 * A pipe's or socket's times are set through their internal mount too.
 */
static int charter_check_utimes(const struct path *path)
{
	struct charter_domain *d;

	if (!static_branch_unlikely(&charter_confining))
		return 0;
	d = charter_current_domain();
	/* memfd_create()'s files: no path a rule could name (see below). */
	if (!d || (path->mnt->mnt_flags & MNT_INTERNAL))
		return 0;
	return charter_check_path(d, path, CHARTER_ACCESS_WRITE);
}

static int (*charter_orig_vfs_utimes)(const struct path *path,
				      struct timespec64 *times);

static int charter_call_vfs_utimes(const struct path *path,
				   struct timespec64 *times)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	int ret = charter_check_utimes(path);

	if (!ret)
		ret = charter_orig_vfs_utimes(path, times);
	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

static int charter_hook_inode_setxattr(CHARTER_IDMAP *idmap,
				       struct dentry *dentry, const char *name,
				       const void *value, size_t size, int flags)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_dentry(d, dentry, CHARTER_ACCESS_WRITE) : 0;
}

static int charter_hook_inode_removexattr(CHARTER_IDMAP *idmap,
					  struct dentry *dentry, const char *name)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_dentry(d, dentry, CHARTER_ACCESS_WRITE) : 0;
}

#if CHARTER_HAVE_ACL_HOOKS
/* Since 6.2, POSIX ACLs are set and removed here, not as xattrs. */
static int charter_hook_inode_set_acl(CHARTER_IDMAP *idmap,
				      struct dentry *dentry,
				      const char *acl_name,
				      struct posix_acl *kacl)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_dentry(d, dentry, CHARTER_ACCESS_WRITE) : 0;
}

static int charter_hook_inode_remove_acl(CHARTER_IDMAP *idmap,
					 struct dentry *dentry,
					 const char *acl_name)
{
	struct charter_domain *d = charter_current_domain();

	return d ? charter_check_dentry(d, dentry, CHARTER_ACCESS_WRITE) : 0;
}
#endif

/* The task's own program may be mapped executable without a rule. */
static bool charter_is_own_exe(struct file *file)
{
	struct file *exe;
	bool own;

	if (!current->mm)
		return false;
	/* Files are freed after an RCU grace period: peeking is safe. */
	rcu_read_lock();
	exe = rcu_dereference(current->mm->exe_file);
	own = exe && file_inode(exe) == file_inode(file);
	rcu_read_unlock();
	return own;
}

static int charter_check_exec_map(struct file *file)
{
	struct charter_domain *d = charter_current_domain();

	if (!d || !file || charter_is_own_exe(file))
		return 0;
	return charter_check_path(d, &file->f_path, CHARTER_ACCESS_EXECUTE);
}

/*
 * Refuse @what on @file, a possible manifested program mapped without
 * exec, for any task (confined or not), through the mode of its manifest
 * @m (NULL when it is not known: the global mode), naming the file.
 */
static int charter_refuse_file(const struct charter_manifest *m,
			       struct file *file, const char *what)
{
	struct charter_object obj = { .operation = what, .err = -EACCES };
	struct charter_path_bufs *bufs;
	int ret;

	/* Outside its charter learn session, a learning manifest is none. */
	if (m && m->learning && !charter_learn_may_enter(m->learning))
		return 0;
	bufs = charter_path_bufs_get();
	obj.path = charter_path_of(&file->f_path, bufs->a);
	ret = charter_decide_refusal(m, &obj);
	charter_path_bufs_put(bufs);
	return ret;
}

/*
 * A manifested program runs only by exec, which puts it in its domain:
 * mapping it executable otherwise (ld.so ./app, a hand-made loader) is
 * refused, for any task, unless its manifest is already in the task's
 * domain. Hashing is allowed here: security_mmap_file() runs before
 * mmap_lock is taken.
 */
static int charter_check_manifested_map(struct file *file)
{
	struct charter_policy *policy;
	const struct charter_manifest *m = NULL;
	u8 digest[CHARTER_SHA256_LEN];
	int ret = 0;
	u64 size;

	size = i_size_read(file_inode(file));
	if (!charter_policy_current_has_size(size) || charter_is_own_exe(file))
		return 0;
	policy = charter_policy_get_current();
	if (!policy)
		return 0;
	/*
	 * A file of a manifested size that cannot be hashed (an O_DIRECT
	 * descriptor, a fanotify denial of the read) may be the program:
	 * refused, as exec refuses it.
	 */
	if (charter_policy_has_size(policy, size) &&
	    charter_ident_digest(file, size, digest)) {
		ret = charter_refuse_file(NULL, file,
					  "map unhashable file of a manifested size executable");
		charter_policy_put(policy);
		return ret;
	}
	if (charter_policy_has_size(policy, size))
		m = charter_policy_find(policy, digest, size);
	if (m && !charter_domain_has(charter_current_domain(), m))
		ret = charter_refuse_file(m, file,
					  "map a manifested program without exec");
	charter_policy_put(policy);
	return ret;
}

static int charter_hook_mmap_file(struct file *file, unsigned long reqprot,
				  unsigned long prot, unsigned long flags)
{
	int ret;

	if (!(prot & PROT_EXEC) || !file)
		return 0;
	ret = charter_check_manifested_map(file);
	return ret ?: charter_check_exec_map(file);
}

/*
 * The same for a mapping made without PROT_EXEC and given it by
 * mprotect(), for any task. mprotect runs under mmap_lock, where hashing
 * (reading the whole file) is not done: only a cached digest can show the
 * file is not a manifested program. Without one, adding PROT_EXEC to a
 * mapping of a file whose size a manifest names is refused, as IMA
 * refuses it for files its policy would measure (ima_file_mprotect());
 * mmap() it PROT_EXEC instead.
 */
static int charter_check_manifested_mprotect(struct file *file)
{
	const struct charter_policy *policy;
	const struct charter_manifest *m;
	u8 digest[CHARTER_SHA256_LEN];
	u64 size = i_size_read(file_inode(file));
	bool cached;
	int ret = 0;

	if (!charter_policy_current_has_size(size) || charter_is_own_exe(file))
		return 0;
	cached = charter_ident_cached_digest(file, size, digest);
	rcu_read_lock();
	policy = charter_policy_current_rcu();
	m = policy && cached ? charter_policy_find(policy, digest, size) : NULL;
	if (policy && !cached)
		ret = charter_refuse_file(NULL, file,
					  "mprotect PROT_EXEC of a file of a manifested size");
	else if (m && !charter_domain_has(charter_current_domain(), m))
		ret = charter_refuse_file(m, file,
					  "mprotect PROT_EXEC of a manifested program");
	rcu_read_unlock();
	return ret;
}

static int charter_hook_file_mprotect(struct vm_area_struct *vma,
				      unsigned long reqprot, unsigned long prot)
{
	int ret;

	if (!(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC) || !vma->vm_file)
		return 0;
	ret = charter_check_manifested_mprotect(vma->vm_file);
	return ret ?: charter_check_exec_map(vma->vm_file);
}

/*
 * Something to do: a write open may change an executable whose digest is
 * cached (charter_ident_forget()); any open in a domain is judged.
 */
#define CHARTER_GATE_FILE_OPEN(d, file)					\
	((d) || ((file)->f_mode & FMODE_WRITE && charter_ident_cache_used()))
CHARTER_HOOK_INT_DOMAIN(file_open, CHARTER_GATE_FILE_OPEN(d, file),
			(struct file *file), (file))
CHARTER_HOOK_INT(path_mknod, (const struct path *dir, struct dentry *dentry,
			      umode_t mode, unsigned int dev),
		 (dir, dentry, mode, dev))
CHARTER_HOOK_INT(path_mkdir, (const struct path *dir, struct dentry *dentry,
			      umode_t mode), (dir, dentry, mode))
CHARTER_HOOK_INT(path_symlink, (const struct path *dir, struct dentry *dentry,
				const char *old_name), (dir, dentry, old_name))
CHARTER_HOOK_INT(path_unlink, (const struct path *dir, struct dentry *dentry),
		 (dir, dentry))
CHARTER_HOOK_INT(path_rmdir, (const struct path *dir, struct dentry *dentry),
		 (dir, dentry))

/* inotify_add_watch, fcntl(F_NOTIFY), fanotify_mark */
static int charter_hook_path_notify(const struct path *path, u64 mask,
				    unsigned int obj_type)
{
	struct charter_domain *d = charter_current_domain();

	if (likely(!d))
		return 0;
	if (obj_type != FSNOTIFY_OBJ_TYPE_INODE)
		return charter_refuse(d, -EPERM, "fanotify mark on a %s",
				      obj_type == FSNOTIFY_OBJ_TYPE_SB ?
				      "filesystem" : "mount");
	if (mask & ALL_FSNOTIFY_PERM_EVENTS)
		return charter_refuse(d, -EPERM, "fanotify permission events");
	return charter_check_path(d, path, CHARTER_ACCESS_READ);
}

/*
 * ext4's EXT4_IOC_GETFSUUID (fs/ext4/ext4.h: _IOR('f', 44, struct
 * fsuuid), a header of 8 bytes): the filesystem's UUID.
 */
#define CHARTER_IOC_GETFSUUID _IOC(_IOC_READ, 'f', 44, 8)
/*
 * ext4's other readers (fs/ext4/ext4.h): EXT4_IOC_GETVERSION, _IOR('f', 3,
 * long); EXT4_IOC_GETSTATE, _IOW('f', 41, __u32); EXT4_IOC_GET_ES_CACHE,
 * _IOWR('f', 42, struct fiemap) (e2freefrag, filefrag).
 */
#define CHARTER_IOC_EXT4_GETVERSION _IOR('f', 3, long)
#define CHARTER_IOC_EXT4_GETSTATE _IOW('f', 41, __u32)
#define CHARTER_IOC_EXT4_GET_ES_CACHE _IOWR('f', 42, struct fiemap)
/* 6.5's and 6.8's generic readers, by number where the headers lack them. */
#ifndef FS_IOC_GETFSUUID
#define FS_IOC_GETFSUUID _IOC(_IOC_READ, 0x15, 0, 17)	/* struct fsuuid2 */
#endif
#ifndef FS_IOC_GETFSSYSFSPATH
#define FS_IOC_GETFSSYSFSPATH _IOC(_IOC_READ, 0x15, 1, 129) /* fs_sysfs_path */
#endif
/* vfat's readdir through the ia32 entry (fs/fat/dir.c). */
#define CHARTER_IOC_VFAT_READDIR_BOTH32 _IOR('r', 1, struct compat_dirent[2])
#define CHARTER_IOC_VFAT_READDIR_SHORT32 _IOR('r', 2, struct compat_dirent[2])

/*
 * ioctls of a regular file or directory that read it or its filesystem,
 * or set the descriptor's own flags, and change nothing on disk. Every
 * other one a filesystem implements may change the file the way chmod or
 * utimes does, from a descriptor open for reading only (a red-team run
 * changed read-only files with vfat's FAT_IOCTL_SET_ATTRIBUTES, a chmod;
 * FS_IOC_SETVERSION, EXT4_IOC_MIGRATE, and FS_IOC_SET_ENCRYPTION_POLICY,
 * which no one can undo): it needs write on the path, as chmod does.
 * Terminal ioctls ('T': isatty()'s TCGETS, FIONREAD, FIOCLEX) and block
 * device ioctls (0x12: BLKGETSIZE64, which image tools try on files) are
 * no filesystem's.
 */
static bool charter_fs_ioctl_reads(unsigned int cmd)
{
	switch (cmd) {
	case FIGETBSZ:
	case FIBMAP:
	case FS_IOC_FIEMAP:
	case FS_IOC_GETFLAGS:
	case FS_IOC32_GETFLAGS:
	case FS_IOC_FSGETXATTR:
	case FS_IOC_GETVERSION:
	case FS_IOC32_GETVERSION:
	case FS_IOC_GETFSLABEL:
	case FS_IOC_GETFSMAP:
	case CHARTER_IOC_GETFSUUID:
	case CHARTER_IOC_EXT4_GETVERSION:
	case CHARTER_IOC_EXT4_GETSTATE:
	case CHARTER_IOC_EXT4_GET_ES_CACHE:
	case FS_IOC_GETFSUUID:
	case FS_IOC_GETFSSYSFSPATH:
	case FS_IOC_GET_ENCRYPTION_POLICY:
	case FS_IOC_GET_ENCRYPTION_POLICY_EX:
	case FS_IOC_GET_ENCRYPTION_KEY_STATUS:
	case FS_IOC_GET_ENCRYPTION_NONCE:
	case FS_IOC_MEASURE_VERITY:
	case FS_IOC_READ_VERITY_METADATA:
	case FAT_IOCTL_GET_ATTRIBUTES:
	case FAT_IOCTL_GET_VOLUME_ID:
	case VFAT_IOCTL_READDIR_BOTH:
	case VFAT_IOCTL_READDIR_SHORT:
	case CHARTER_IOC_VFAT_READDIR_BOTH32:
	case CHARTER_IOC_VFAT_READDIR_SHORT32:
		return true;
	}
	/* Terminal and block device ioctls: ENOTTY from any filesystem. */
	return _IOC_TYPE(cmd) == 'T' || _IOC_TYPE(cmd) == 0x12;
}

/**
 * struct charter_fs_wide_ioctl - an ioctl that reaches past its file
 * @type: _IOC_TYPE() of the command
 * @nr: _IOC_NR() of the command
 * @dir: the _IOC_DIR() it must have, or CHARTER_IOC_ANY_DIR (the ia32
 *       forms differ in size, some in nothing else: size is never matched)
 * @name: what the kernel log calls it
 */
struct charter_fs_wide_ioctl {
	u8 type;
	u8 nr;
	u8 dir;
	const char *name;
};

#define CHARTER_IOC_ANY_DIR 0xff
#define CHARTER_IOC_BTRFS 0x94	/* BTRFS_IOCTL_MAGIC */
#define CHARTER_IOC_F2FS 0xf5	/* F2FS_IOCTL_MAGIC */
#define CHARTER_FS_WIDE(type, nr, name) { type, nr, CHARTER_IOC_ANY_DIR, name }

/*
 * ioctls of a file or directory that act on the whole filesystem, or on
 * files and subvolumes they name by number or handle rather than by path,
 * which no rule could grant: refused in a domain whatever it may write.
 * Sources: include/uapi/linux/fs.h (FIFREEZE...), fs/ext4/ext4.h,
 * fs/xfs/libxfs/xfs_fs.h, include/uapi/linux/btrfs.h,
 * include/uapi/linux/f2fs.h (6.1).
 *
 * Whole filesystem: freezing, shutting down, trimming, growing it, its
 * label and UUID (which LABEL= and UUID= mounts use), its journal, its
 * devices, features, quotas, default subvolume, scrubs, balances and
 * garbage collection, fscrypt keys (red team: ext4's resize and the keys
 * worked with write on one directory; a v1 key, removed or added wrong by
 * root, is removed or wrong for every user: the owner's right key then
 * changes nothing).
 * By number, handle or descriptor (red team, XFS and btrfs): XFS's
 * *_BY_HANDLE set and remove the extended attributes of, open, and read
 * the links of any inode; btrfs's TREE_SEARCH reads raw metadata, small
 * files' data included (stored inline), INO_LOOKUP, INO_PATHS and
 * LOGICAL_INO name any inode, SEND streams subvolumes named by ID,
 * SNAP_DESTROY_V2 deletes one named by ID, SNAP_CREATE copies the
 * subvolume of a descriptor the task may hold (inherited) but not read
 * through into a directory it may; FIDEDUPERANGE's destinations are
 * descriptors in its argument, which CAP_SYS_ADMIN need not have open
 * for writing (an oracle of their content, and it changes their extents).
 */
static const struct charter_fs_wide_ioctl charter_fs_wide_ioctls[] = {
	CHARTER_FS_WIDE('X', 119, "FIFREEZE"),
	CHARTER_FS_WIDE('X', 120, "FITHAW"),
	CHARTER_FS_WIDE('X', 121, "FITRIM"),
	CHARTER_FS_WIDE('X', 125, "FS_IOC_SHUTDOWN"),	/* XFS_IOC_GOINGDOWN */
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 50, "FS_IOC_SETFSLABEL"),
	CHARTER_FS_WIDE('f', 7, "EXT4_IOC_GROUP_EXTEND"),
	CHARTER_FS_WIDE('f', 8, "EXT4_IOC_GROUP_ADD"),
	CHARTER_FS_WIDE('f', 16, "EXT4_IOC_RESIZE_FS"),
	CHARTER_FS_WIDE('f', 17, "EXT4_IOC_SWAP_BOOT"),
	CHARTER_FS_WIDE('f', 23, "FS_IOC_ADD_ENCRYPTION_KEY"),
	CHARTER_FS_WIDE('f', 24, "FS_IOC_REMOVE_ENCRYPTION_KEY"),
	CHARTER_FS_WIDE('f', 25, "FS_IOC_REMOVE_ENCRYPTION_KEY_ALL_USERS"),
	CHARTER_FS_WIDE('f', 43, "EXT4_IOC_CHECKPOINT"),
	/* _IOR('f', 44) is EXT4_IOC_GETFSUUID, a reader. */
	{ 'f', 44, _IOC_WRITE, "EXT4_IOC_SETFSUUID" },
	CHARTER_FS_WIDE('X', 58, "XFS_IOC_FREE_EOFBLOCKS"),
	CHARTER_FS_WIDE('X', 60, "XFS_IOC_SCRUB_METADATA"),
	CHARTER_FS_WIDE('X', 107, "XFS_IOC_OPEN_BY_HANDLE"),
	CHARTER_FS_WIDE('X', 108, "XFS_IOC_READLINK_BY_HANDLE"),
	CHARTER_FS_WIDE('X', 110, "XFS_IOC_FSGROWFSDATA"),
	CHARTER_FS_WIDE('X', 111, "XFS_IOC_FSGROWFSLOG"),
	CHARTER_FS_WIDE('X', 112, "XFS_IOC_FSGROWFSRT"),
	CHARTER_FS_WIDE('X', 114, "XFS_IOC_SET_RESBLKS"),
	CHARTER_FS_WIDE('X', 116, "XFS_IOC_ERROR_INJECTION"),
	CHARTER_FS_WIDE('X', 117, "XFS_IOC_ERROR_CLEARALL"),
	CHARTER_FS_WIDE('X', 122, "XFS_IOC_ATTRLIST_BY_HANDLE"),
	CHARTER_FS_WIDE('X', 123, "XFS_IOC_ATTRMULTI_BY_HANDLE"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 1, "BTRFS_IOC_SNAP_CREATE"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 3, "BTRFS_IOC_RESIZE"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 10, "BTRFS_IOC_ADD_DEV"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 11, "BTRFS_IOC_RM_DEV"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 12, "BTRFS_IOC_BALANCE"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 17, "BTRFS_IOC_TREE_SEARCH"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 18, "BTRFS_IOC_INO_LOOKUP"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 19, "BTRFS_IOC_DEFAULT_SUBVOL"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 23, "BTRFS_IOC_SNAP_CREATE_V2"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 27, "BTRFS_IOC_SCRUB"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 28, "BTRFS_IOC_SCRUB_CANCEL"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 32, "BTRFS_IOC_BALANCE_V2"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 33, "BTRFS_IOC_BALANCE_CTL"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 35, "BTRFS_IOC_INO_PATHS"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 36, "BTRFS_IOC_LOGICAL_INO"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 38, "BTRFS_IOC_SEND"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 40, "BTRFS_IOC_QUOTA_CTL"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 41, "BTRFS_IOC_QGROUP_ASSIGN"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 42, "BTRFS_IOC_QGROUP_CREATE"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 43, "BTRFS_IOC_QGROUP_LIMIT"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 44, "BTRFS_IOC_QUOTA_RESCAN"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 52, "BTRFS_IOC_GET_DEV_STATS"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 53, "BTRFS_IOC_DEV_REPLACE"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 54, "FIDEDUPERANGE"),
	/* _IOR(0x94, 57) are BTRFS_IOC_GET_FEATURES and _SUPPORTED_FEATURES. */
	{ CHARTER_IOC_BTRFS, 57, _IOC_WRITE, "BTRFS_IOC_SET_FEATURES" },
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 58, "BTRFS_IOC_RM_DEV_V2"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 59, "BTRFS_IOC_LOGICAL_INO_V2"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 62, "BTRFS_IOC_INO_LOOKUP_USER"),
	CHARTER_FS_WIDE(CHARTER_IOC_BTRFS, 63, "BTRFS_IOC_SNAP_DESTROY_V2"),
	CHARTER_FS_WIDE(CHARTER_IOC_F2FS, 6, "F2FS_IOC_GARBAGE_COLLECT"),
	CHARTER_FS_WIDE(CHARTER_IOC_F2FS, 7, "F2FS_IOC_WRITE_CHECKPOINT"),
	CHARTER_FS_WIDE(CHARTER_IOC_F2FS, 10, "F2FS_IOC_FLUSH_DEVICE"),
	CHARTER_FS_WIDE(CHARTER_IOC_F2FS, 11, "F2FS_IOC_GARBAGE_COLLECT_RANGE"),
	CHARTER_FS_WIDE(CHARTER_IOC_F2FS, 16, "F2FS_IOC_RESIZE_FS"),
};

/* The name of @cmd when it is one of charter_fs_wide_ioctls, else NULL. */
static const char *charter_fs_wide_ioctl(unsigned int cmd)
{
	const struct charter_fs_wide_ioctl *w;

	/* Most ioctls in a domain are a terminal's or a socket's. */
	if (_IOC_TYPE(cmd) != 'X' && _IOC_TYPE(cmd) != 'f' &&
	    _IOC_TYPE(cmd) != CHARTER_IOC_BTRFS &&
	    _IOC_TYPE(cmd) != CHARTER_IOC_F2FS)
		return NULL;
	for (w = charter_fs_wide_ioctls;
	     w < charter_fs_wide_ioctls + ARRAY_SIZE(charter_fs_wide_ioctls); w++)
		if (w->type == _IOC_TYPE(cmd) && w->nr == _IOC_NR(cmd) &&
		    (w->dir == CHARTER_IOC_ANY_DIR || w->dir == _IOC_DIR(cmd)))
			return w->name;
	return NULL;
}

/*
 * In a domain, the ioctls that reach past their file (charter_fs_wide_ioctls)
 * are refused (EPERM). On a regular file or directory every other ioctl
 * that does not only read (above) needs read and write on its path,
 * whatever the descriptor was opened for (one that changes the file may
 * return its data too: btrfs's ENCODED_READ reads a descriptor opened
 * write-only, red team), but on the kernel's internal mounts
 * (memfd_create()'s files: no path a rule could name, the task holds them
 * already). Inode flags and fs-verity need it on any file, a memfd
 * included: one handed in read-only, made immutable, would refuse its
 * owner's writes (red team). kernel.c has the one ioctl hook.
 */
int charter_check_fs_ioctl(const struct charter_domain *d, struct file *file,
			   unsigned int cmd)
{
	umode_t mode = file_inode(file)->i_mode;
	const char *wide = charter_fs_wide_ioctl(cmd);

	if (wide)
		return charter_refuse(d, -EPERM, "ioctl %#x %s", cmd, wide);
	switch (cmd) {
	case FS_IOC_SETFLAGS:
	case FS_IOC32_SETFLAGS:
	case FS_IOC_FSSETXATTR:
	case FS_IOC_ENABLE_VERITY:
		break;
	default:
		if ((!S_ISREG(mode) && !S_ISDIR(mode)) ||
		    charter_fs_ioctl_reads(cmd) ||
		    (file->f_path.mnt->mnt_flags & MNT_INTERNAL))
			return 0;
		return charter_check_path(d, &file->f_path,
					  CHARTER_ACCESS_READ |
					  CHARTER_ACCESS_WRITE);
	}
	return charter_check_path(d, &file->f_path, CHARTER_ACCESS_WRITE);
}

CHARTER_HOOK_INT(path_link, (struct dentry *old_dentry,
			     const struct path *new_dir,
			     struct dentry *new_dentry),
		 (old_dentry, new_dir, new_dentry))
CHARTER_HOOK_INT(path_rename, (const struct path *old_dir,
			       struct dentry *old_dentry,
			       const struct path *new_dir,
			       struct dentry *new_dentry, unsigned int flags),
		 (old_dir, old_dentry, new_dir, new_dentry, flags))
CHARTER_HOOK_INT(path_truncate, (const struct path *path), (path))
CHARTER_HOOK_INT(path_chmod, (const struct path *path, umode_t mode),
		 (path, mode))
CHARTER_HOOK_INT(path_chown, (const struct path *path, kuid_t uid, kgid_t gid),
		 (path, uid, gid))
CHARTER_HOOK_INT(inode_setxattr, (CHARTER_IDMAP *idmap,
				  struct dentry *dentry, const char *name,
				  const void *value, size_t size, int flags),
		 (idmap, dentry, name, value, size, flags))
CHARTER_HOOK_INT(inode_removexattr, (CHARTER_IDMAP *idmap,
				     struct dentry *dentry, const char *name),
		 (idmap, dentry, name))
#if CHARTER_HAVE_FILE_TRUNCATE
CHARTER_HOOK_INT(file_truncate, (struct file *file), (file))
#endif
#if CHARTER_HAVE_ACL_HOOKS
CHARTER_HOOK_INT(inode_set_acl, (CHARTER_IDMAP *idmap, struct dentry *dentry,
				 const char *acl_name, struct posix_acl *kacl),
		 (idmap, dentry, acl_name, kacl))
CHARTER_HOOK_INT(inode_remove_acl, (CHARTER_IDMAP *idmap,
				    struct dentry *dentry,
				    const char *acl_name),
		 (idmap, dentry, acl_name))
#endif
CHARTER_HOOK_INT(path_notify, (const struct path *path, u64 mask,
				unsigned int obj_type), (path, mask, obj_type))
CHARTER_HOOK_INT(file_mprotect, (struct vm_area_struct *vma,
				 unsigned long reqprot, unsigned long prot),
		 (vma, reqprot, prot))

/*
 * security_mmap_file() has another signature than the LSM hook: it
 * computes the effective protection itself (READ_IMPLIES_EXEC).
 */
static int (*charter_orig_mmap_file)(struct file *file, unsigned long prot,
				     unsigned long flags);

static int charter_bpf_mmap_file(struct file *file, unsigned long reqprot,
				 unsigned long prot, unsigned long flags)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	int ret = charter_hook_mmap_file(file, reqprot, prot, flags);

	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

static int charter_sec_mmap_file(struct file *file, unsigned long prot,
				 unsigned long flags)
{
	int idx = srcu_read_lock(&charter_hook_srcu);
	unsigned long eff = prot;
	int ret;

	if ((prot & PROT_READ) && (current->personality & READ_IMPLIES_EXEC))
		eff |= PROT_EXEC;
	ret = charter_orig_mmap_file(file, prot, flags);
	if (!ret)
		ret = charter_hook_mmap_file(file, prot, eff, flags);
	srcu_read_unlock(&charter_hook_srcu, idx);
	return ret;
}

CHARTER_ASSERT_HOOK_TYPE(mmap_file);

CHARTER_HOOK_TABLE(charter_fs_hooks,
	CHARTER_HOOK_OWN(file_open),
	CHARTER_HOOK(path_mknod),
	CHARTER_HOOK(path_mkdir),
	CHARTER_HOOK(path_symlink),
	CHARTER_HOOK(path_unlink),
	CHARTER_HOOK(path_rmdir),
	CHARTER_HOOK(path_link),
	CHARTER_HOOK(path_rename),
	CHARTER_HOOK(path_truncate),
	CHARTER_HOOK(path_chmod),
	CHARTER_HOOK(path_chown),
	CHARTER_FUNCTION_ENTRY(vfs_utimes),
	CHARTER_HOOK(inode_setxattr),
	CHARTER_HOOK(inode_removexattr),
#if CHARTER_HAVE_FILE_TRUNCATE
	CHARTER_HOOK(file_truncate),
#endif
#if CHARTER_HAVE_ACL_HOOKS
	CHARTER_HOOK(inode_set_acl),
	CHARTER_HOOK(inode_remove_acl),
#endif
	CHARTER_HOOK(mmap_file),
	CHARTER_HOOK(file_mprotect),
	CHARTER_HOOK(path_notify),
);
