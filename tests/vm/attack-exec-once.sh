#!/bin/sh
# vm-modules: binfmt_misc
# Attack (route: exec judged once, red17e): file_open judges a file
# opened for exec (__FMODE_EXEC) as EXECUTE in the opening task's domain,
# and bprm_check_security (kmod/exec.c) judges it again only when
# bprm->cred's domain is another one (a manifested script's interpreter).
# Every way to run a file the domain may read but not execute, or not
# touch at all: execve, execveat(AT_EMPTY_PATH) on O_PATH and O_RDONLY
# descriptors, a directory fd and a name, /proc/self/fd, a memfd copy, a
# descriptor opened outside the domain (inherited, or sent by SCM_RIGHTS
# from an unconfined process), #! chains, binfmt_misc rules registered
# outside the domain (plain, F, F+O, C), an ELF's PT_INTERP, uselib,
# threads execing at once, a setuid copy; and a manifested script whose
# own domain does not grant its interpreter (the one case the exec hook
# still judges). Each has an allowed twin that must run, so a refusal
# means the rule, not a broken route. PASSES when every denied one is
# refused (EACCES) and every twin runs.
. /tests/attack.sh
load_module

A=/opt/xe O=/srv/xo R=/srv/xr D=/srv/xd
rm -rf $A $O $R $D /opt/xm && mkdir -p $A $O $R $D /opt/xm
unique /tests/bin/execatk $A/app
for d in $O $R $D; do
	cp /tests/bin/execatk $d/payload
	cp /tests/bin/execatk $d/interp
done
manifest $A app app "  - {name: ok, path: $O, permission: readExecute}
  - {name: ronly, path: $R, permission: read}
  - {name: scripts, path: /opt/xm, permission: readExecute}"
# The runtime baseline (for the PT_INTERP case's libc): not "none".
sed -i '/^baseline: none$/d' $A/app.yml
charter load --allow-unsigned $A/app.yml > /dev/null || fail "load"
X=$A/app
cp /tests/bin/execatk /tmp/free	# unconfined twin (same bytes as the payloads)

# ran DESC CMD...: CMD must run the payload (exit 0, "RAN").
ran() {
	desc=$1; shift
	"$@" > /tmp/ran.out 2>&1
	rc=$?
	[ $rc -eq 0 ] && grep -q RAN /tmp/ran.out ||
		fail "$desc: the allowed twin did not run (exit $rc): $(cat /tmp/ran.out)"
	pass "$desc: runs"
}

# Sanity.
ran "execve of the granted payload" $X path $O/payload
refused "execve, read-only dir" 13 $X path $R/payload
refused "execve, no rule" 13 $X path $D/payload

# Descriptor routes.
ran "execveat O_PATH, granted" $X at-opath $O/payload
refused "execveat(AT_EMPTY_PATH) of an O_PATH fd, read-only" 13 $X at-opath $R/payload
refused "execveat(AT_EMPTY_PATH) of an O_PATH fd, no rule" 13 $X at-opath $D/payload
ran "execveat O_RDONLY, granted" $X at-rdonly $O/payload
refused "execveat(AT_EMPTY_PATH) of an O_RDONLY fd (fexecve)" 13 $X at-rdonly $R/payload
ran "execveat dirfd+name, granted" $X at-dir $O payload
refused "execveat(dirfd, name)" 13 $X at-dir $R payload
refused "execveat(dirfd, name), no rule" 13 $X at-dir $D payload
ran "/proc/self/fd/N, granted" $X procfd $O/payload
refused "execve /proc/self/fd/N of an O_PATH fd" 13 $X procfd $R/payload
ran "memfd copy, unconfined" /tmp/free memfd $R/payload
refused "memfd copy of a readable file" 13 $X memfd $R/payload
ran "inherited fd, granted" $X fd 3 3< $O/payload
refused "execveat of an fd the unconfined shell opened" 13 $X fd 3 3< $D/payload
refused "/proc/self/fd/3 opened by the unconfined shell" 13 $X procfd-n 3 3< $D/payload
ran "SCM_RIGHTS O_PATH, granted" /tmp/free scm opath $O/payload $X
refused "an O_PATH fd sent by SCM_RIGHTS from outside" 13 /tmp/free scm opath $D/payload $X
refused "an O_RDONLY fd sent by SCM_RIGHTS from outside" 13 /tmp/free scm rdonly $D/payload $X

# #! scripts and chains.
printf '#!%s/interp\n' $O > $O/s-ok
printf '#!%s/interp\n' $D > $O/s-bad
printf '#!%s/interp\n' $R > $O/s-ronly
printf '#!%s/s-bad\n' $O > $O/s-chain
printf '#!%s/s-ok\n' $O > $O/s-chain-ok
chmod 755 $O/s-*
ran "#! granted interpreter" $X path $O/s-ok
refused "#! to an interpreter of no rule" 13 $X path $O/s-bad
refused "#! to a read-only interpreter" 13 $X path $O/s-ronly
ran "#! chain, all granted" $X path $O/s-chain-ok
refused "#! chain ending at a denied interpreter" 13 $X path $O/s-chain
refused "#! script by execveat(O_PATH)" 13 $X at-opath $O/s-bad

# A manifested script: its interpreter needs execute in the script's own
# domain, where file_open (the caller's domain) does not judge it.
printf '#!%s/interp\n' $O > /opt/xm/run.sh
chmod 755 /opt/xm/run.sh
printf 'manifestVersion: v1\nname: xm\nrun: ./run.sh\nbaseline: none\nallowedDirectories:\n  - {name: self, path: /opt/xm, permission: readExecute}\n' > /opt/xm/xm.yml
printf '#!%s/interp\n#granted\n' $O > /opt/xm/run2.sh
chmod 755 /opt/xm/run2.sh
printf 'manifestVersion: v1\nname: xm2\nrun: ./run2.sh\nbaseline: none\nallowedDirectories:\n  - {name: self, path: /opt/xm, permission: readExecute}\n  - {name: ok, path: %s, permission: readExecute}\n' $O > /opt/xm/xm2.yml
charter load --allow-unsigned $A/app.yml /opt/xm/xm.yml /opt/xm/xm2.yml > /dev/null || fail "load xm"
ran "manifested script whose domain grants its interpreter (unconfined caller)" /tmp/free path /opt/xm/run2.sh
ran "the same from the domain" $X path /opt/xm/run2.sh
refused "manifested script, interpreter not in its domain (unconfined caller)" 13 /tmp/free path /opt/xm/run.sh
refused "manifested script, interpreter granted to the caller only" 13 $X path /opt/xm/run.sh
refused "the same by execveat(O_PATH)" 13 $X at-opath /opt/xm/run.sh

# binfmt_misc rules registered outside the domain (root, unconfined).
BM=/proc/sys/fs/binfmt_misc
modprobe binfmt_misc 2>/dev/null
[ -e $BM/register ] || mount -t binfmt_misc none $BM || fail "mount binfmt_misc"
reg() { echo "$1" > $BM/register || fail "register $1"; }
reg ":r17eN:M::#R17EN::$D/interp:"
reg ":r17eF:M::#R17EF::$D/interp:F"
reg ":r17eO:M::#R17EO::$D/interp:FO"
reg ":r17eC:M::#R17EC::$D/interp:C"
reg ":r17eR:M::#R17ER::$R/interp:F"
reg ":r17eG:M::#R17EG::$O/interp:F"
for t in N F O C R G; do printf '#R17E%s\n' $t > $O/bm-$t; chmod 755 $O/bm-$t; done
ran "binfmt_misc F rule, unconfined" /tmp/free path $O/bm-F
ran "binfmt_misc F rule to a granted interpreter" $X path $O/bm-G
refused "binfmt_misc rule (no flag) to a denied interpreter" 13 $X path $O/bm-N
refused "binfmt_misc F (interpreter opened at registration, outside)" 13 $X path $O/bm-F
refused "binfmt_misc F+O" 13 $X path $O/bm-O
refused "binfmt_misc C" 13 $X path $O/bm-C
refused "binfmt_misc F to a read-only interpreter" 13 $X path $O/bm-R
refused "binfmt_misc F by execveat(O_PATH)" 13 $X at-opath $O/bm-F
for t in N F O C R G; do echo -1 > $BM/r17e$t; done

# An ELF's PT_INTERP: the loader is opened for the exec, by this task.
LDSO=/lib64/ld-linux-x86-64.so.2
if [ -e $LDSO ]; then
	cp $LDSO $O/ld.so; cp $LDSO $D/ld.so; cp $LDSO $R/ld.so
	cp /tests/bin/fileop-dyn $O/dyn-ok; cp /tests/bin/fileop-dyn $O/dyn-bad
	cp /tests/bin/fileop-dyn $O/dyn-ronly
	echo hello > $R/hello
	/tmp/free setinterp $O/dyn-ok $O/ld.so || fail "setinterp"
	/tmp/free setinterp $O/dyn-bad $D/ld.so || fail "setinterp"
	/tmp/free setinterp $O/dyn-ronly $R/ld.so || fail "setinterp"
	expect_ok "PT_INTERP to a granted loader" $X path $O/dyn-ok fileop read $R/hello
	refused "PT_INTERP to a loader of no rule" 13 $X path $O/dyn-bad fileop read $R/hello
	refused "PT_INTERP to a read-only loader" 13 $X path $O/dyn-ronly fileop read $R/hello
else
	pass "no $LDSO: PT_INTERP not tried"
fi

# uselib (CONFIG_USELIB=y on Debian 6.1): opened __FMODE_EXEC.
/tmp/free uselib $R/payload > /dev/null 2>&1
if [ $? -ne 38 ]; then
	$X uselib $O/payload > /dev/null 2>&1
	rc=$?
	[ $rc -ne 13 ] || fail "uselib of a granted file refused: the twin is broken"
	pass "uselib of a granted file: errno $rc (not EACCES)"
	refused "uselib of a read-only file" 13 $X uselib $R/payload
	refused "uselib of a file of no rule" 13 $X uselib $D/payload
else
	pass "no uselib: not tried"
fi

# Threads execing at once, and a setuid copy.
refused "8 threads execve a denied file at once" 13 $X threads 8 $D/payload
ran "8 threads, granted" $X threads 8 $O/payload
cp /tests/bin/execatk $D/payload-suid && chmod 4755 $D/payload-suid
cp /tests/bin/execatk $O/payload-suid && chmod 4755 $O/payload-suid
ran "setuid copy, granted" $X path $O/payload-suid
refused "setuid copy, no rule" 13 $X path $D/payload-suid

dmesg | grep -q "charter: denied" || fail "no refusal was logged"
finish
