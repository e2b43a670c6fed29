# What scripts/kunit.sh builds into the UML kernel: the pure parts of the
# module (paths relative to kmod/) and the suites that test them.
charter_kunit_objs := blob.o policy.o match.o \
		      tests/blob_test.o tests/match_test.o
