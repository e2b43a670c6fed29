#!/bin/sh
# Enforcement III (part): other processes and kernel interfaces. Each
# attempt from inside a domain with its errno, next to the legitimate case.
. /tests/charter-test.sh
load_module

rm -rf /opt/sd && mkdir -p /opt/sd
cp /tests/bin/procop /opt/sd/procop
cp /tests/bin/procop /tmp/free && echo >> /tmp/free	# unconfined twin
printf 'manifestVersion: v1\nname: sd\nrun: ./procop\nbaseline: none\nallowedDirectories:\n  - {name: self, path: /opt/sd, permission: readExecute}\n  - {name: mod, path: /tmp/free, permission: read}\n' > /opt/sd/manifest.yml
expect_ok "load" charter load --allow-unsigned /opt/sd/manifest.yml
P=/opt/sd/procop

/tmp/free sleep 60 & free=$!
$P sleep 60 & conf=$!
sleep 1

# Other processes: only its own domain (or nested ones).
expect_ok "trace and kill its own child" $P own-child
# Since 6.9 a pidfd is a pidfs file, opened through the file_open hook.
expect_ok "pidfd_open of itself" $P pidfd-self
expect_ok "clone(CLONE_PIDFD), and wait through the pidfd" $P pidfd-child
expect_ok "signal a task of its own domain" $P kill $conf
expect_ok "trace a task of its own domain" $P ptrace $conf
expect_errno "no ptrace of an unconfined task" $EPERM $P ptrace $free
expect_errno "no signal to an unconfined task" $EPERM $P kill $free
expect_errno "no process_vm_readv of an unconfined task" $EPERM $P vmread $free
expect_errno "no pidfd_getfd from an unconfined task" $EPERM $P getfd $free
# The owner of a file gets its SIGIO: chosen within the domain only.
for op in setown setown-ex fiosetown; do
	expect_ok "$op: a task of its own domain owns a pipe" $P $op $conf
	expect_errno "$op: no unconfined owner" $EPERM $P $op $free
	expect_ok "$op: outside a domain, any owner" /tmp/free $op $conf
done
expect_ok "a process group of its own domain owns a pipe" $P setown-own-pgrp
setsid /tmp/free sleep 60 & grp=$!	# an unconfined process group
sleep 1
[ "$(cut -d' ' -f5 /proc/$grp/stat)" = $grp ] || fail "setsid: no group of its own"
expect_errno "no process group with unconfined members" $EPERM $P setown-pgrp $grp
expect_ok "outside a domain, any process group" /tmp/free setown-pgrp $grp
kill $grp
expect_ok "an unconfined root traces a confined task" /tmp/free ptrace $conf
expect_ok "and signals it" /tmp/free kill $conf
expect_ok "PTRACE_TRACEME to a parent of the same domain" $P traceme $P do-traceme
expect_errno "PTRACE_TRACEME to a less confined parent" $EPERM /tmp/free traceme $P do-traceme

# Kernel interfaces, refused inside a domain even to root.
for op in tiocsti tioclinux iopl bpf perf-cpu userns clone-ns kexec; do
	expect_ok "$op outside a domain" /tmp/free $op
	expect_errno "$op inside" $EPERM $P $op
done
expect_ok "module load outside a domain reaches the loader" /tmp/free module /tmp/free
expect_errno "module load inside" $EPERM $P module /tmp/free
expect_ok "kexec_file_load outside a domain reaches the loader" /tmp/free kexec-file /tmp/free
expect_errno "kexec_file_load inside" $EPERM $P kexec-file /tmp/free

# A new cred from a child: a session keyring handed to the parent.
echo secret > /tmp/sd-secret
expect_ok "a session keyring to the parent, outside a domain" /tmp/free session-to-parent /tmp/sd-secret
expect_errno "inside: the parent's new cred keeps the domain" $EACCES $P session-to-parent /tmp/sd-secret

# Namespaces: unshare and setns, which have no LSM hook of their own.
for op in unshare-mnt unshare-net unshare-mnt-32; do
	expect_ok "$op outside a domain" /tmp/free $op
	expect_errno "$op inside" $EPERM $P $op
done
expect_ok "unshare of files and fs_struct inside a domain" $P unshare-files
# (Into a task of its own domain: ptrace scoping would refuse another.)
expect_ok "setns outside a domain" /tmp/free setns $conf
expect_errno "setns inside" $EPERM $P setns $conf

# The new mount API, on a mount of the test's own.
mkdir -p /mnt/sd && mount -t tmpfs sd /mnt/sd || fail "tmpfs for the mount API"
for op in fsopen fsopen-32; do
	expect_ok "$op outside a domain" /tmp/free $op
	expect_errno "$op inside" $EPERM $P $op
done
for op in fspick mount-setattr open-tree-clone; do
	expect_ok "$op outside a domain" /tmp/free $op /mnt/sd
	expect_errno "$op inside" $EPERM $P $op /mnt/sd
done
expect_ok "open_tree without a clone (an O_PATH open) inside a domain" $P open-tree /mnt/sd
expect_ok "fsconfig on a context made outside, outside" /tmp/free fsctx new /tmp/free fsconfig-fd
expect_errno "fsconfig inside on a context made outside" $EPERM /tmp/free fsctx new $P fsconfig-fd
expect_ok "fsmount of a context made outside, outside" /tmp/free fsctx created /tmp/free fsmount-fd
expect_errno "fsmount inside of a context made outside" $EPERM /tmp/free fsctx created $P fsmount-fd
umount /mnt/sd
kill $free $conf 2>/dev/null
wait 2>/dev/null
