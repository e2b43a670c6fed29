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
expect_ok "signal a task of its own domain" $P kill $conf
expect_ok "trace a task of its own domain" $P ptrace $conf
expect_errno "no ptrace of an unconfined task" $EPERM $P ptrace $free
expect_errno "no signal to an unconfined task" $EPERM $P kill $free
expect_errno "no process_vm_readv of an unconfined task" $EPERM $P vmread $free
expect_errno "no pidfd_getfd from an unconfined task" $EPERM $P getfd $free
expect_ok "an unconfined root traces a confined task" /tmp/free ptrace $conf
expect_ok "and signals it" /tmp/free kill $conf
expect_ok "PTRACE_TRACEME to a parent of the same domain" $P traceme $P do-traceme
expect_errno "PTRACE_TRACEME to a less confined parent" $EPERM /tmp/free traceme $P do-traceme

# Kernel interfaces, refused inside a domain even to root.
for op in tiocsti iopl bpf perf-cpu userns clone-ns; do
	expect_ok "$op outside a domain" /tmp/free $op
	expect_errno "$op inside" $EPERM $P $op
done
expect_ok "module load outside a domain reaches the loader" /tmp/free module /tmp/free
expect_errno "module load inside" $EPERM $P module /tmp/free
kill $free $conf 2>/dev/null
wait 2>/dev/null
