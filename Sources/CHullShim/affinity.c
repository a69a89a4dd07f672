/* sched_setaffinity(2) for execCPUAffinity, which Swift's Glibc module does not name. */
#define _GNU_SOURCE
#include <sched.h>
#include "hull_shim.h"

int hull_set_affinity(pid_t pid, const uint64_t *mask, size_t bytes)
{
    return sched_setaffinity(pid, bytes, (const cpu_set_t *)mask);
}
