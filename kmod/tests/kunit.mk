# What scripts/kunit.sh builds into the UML kernel: the parts of the module
# that do not need the running kernel's hooks (paths relative to kmod/),
# and the suites that test them.
charter_kunit_objs := blob.o policy.o run.o lineage.o learn.o match.o ruleindex.o cache.o decide.o domain.o events.o \
		      servers.o sockaddr.o tests/kunit_stubs.o tests/policy_builder.o \
		      tests/blob_test.o tests/match_test.o tests/domain_test.o \
		      tests/sockaddr_test.o tests/servers_test.o tests/learn_test.o tests/ruleindex_test.o tests/cache_test.o
