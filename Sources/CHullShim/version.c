/* Reports the versions of the C libraries hull links, for `hull --version`. */
#include <stdio.h>
#include <seccomp.h>
#include "hull_shim.h"

void hull_seccomp_version(char *buf, int len)
{
    const struct scmp_version *v = seccomp_version();
    if (v == NULL) {
        snprintf(buf, (size_t)len, "unknown");
        return;
    }
    snprintf(buf, (size_t)len, "%u.%u.%u", v->major, v->minor, v->micro);
}

/* The git commit hull was built from; the Makefile passes -DHULL_COMMIT="...". */
#ifndef HULL_COMMIT
#define HULL_COMMIT "unknown"
#endif

const char *hull_build_commit(void)
{
    return HULL_COMMIT;
}

/* hull's release version, from the VERSION file; the Makefile passes -DHULL_VERSION="...". */
#ifndef HULL_VERSION
#define HULL_VERSION "unknown"
#endif

const char *hull_build_version(void)
{
    return HULL_VERSION;
}
