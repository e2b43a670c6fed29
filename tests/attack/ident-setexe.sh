#!/bin/sh
# Mapping a manifested program PROT_EXEC without exec is refused, and in a
# domain mapping a file PROT_EXEC needs execute on it, "except the task's
# own executable". The own executable is mm->exe_file, which
# prctl(PR_SET_MM, PR_SET_MM_EXE_FILE) (CAP_SYS_RESOURCE, allowed on
# itself) sets to any executable file once the old one is unmapped.
. /tests/charter-test.sh
load_module

rm -rf /opt/se /srv/se && mkdir -p /opt/se /srv/se/ro
echo secret > /srv/se/secret
# Copies one byte longer: the helpers in /tests/bin stay unmanifested.
cp /tests/bin/fileop /opt/se/app && printf '\0' >> /opt/se/app
cp /tests/bin/fileop /srv/se/ro/tool && printf '\n\n' >> /srv/se/ro/tool
cp /tests/bin/identop /opt/se/identop && printf '\0' >> /opt/se/identop
printf 'manifestVersion: v1\nname: se-app\nrun: ./app\nbaseline: none\n' > /opt/se/app.yml
cat > /opt/se/identop.yml <<'YML'
manifestVersion: v1
name: se-identop
run: ./identop
baseline: none
allowedDirectories:
  - name: ro
    path: /srv/se/ro
    permission: read
YML
expect_ok "load" charter load --allow-unsigned /opt/se/app.yml /opt/se/identop.yml
APP=/opt/se/app
expect_errno "mapping the manifested program PROT_EXEC (unconfined)" $EACCES fileop mmap-exec $APP
expect_ok "the stub and prctl work on an ordinary file (unconfined)" identop setexe-map /srv/se/ro/tool /srv/se/ro/tool
expect_errno "PR_SET_MM_EXE_FILE to the manifested program, then map it PROT_EXEC" $EACCES identop setexe-map $APP $APP

rm -rf /opt/se /srv/se
