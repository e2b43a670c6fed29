/* glibc reaches the real one from <errno.h>: pass through. */
#include_next <linux/errno.h>
