#include "../kshim.h"
#include <stdlib.h>
/* lib/sort.c's sort(), on libc's qsort: the same contract (no swap_func). */
static inline void sort(void *base, size_t num, size_t size,
			int (*cmp)(const void *, const void *), void *swap)
{
	(void)swap;
	qsort(base, num, size, cmp);
}
