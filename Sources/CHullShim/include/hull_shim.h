/* hull_shim.h: the whole interface between hull's Swift core and its C shim.
 *
 * The shim owns everything that runs in the container's init process between clone() and
 * execve(). No Swift runs there. The parent prepares a flat hull_child_config with every string
 * and number pre-computed; the child only executes it and reports failures over a socket. */
#ifndef HULL_SHIM_H
#define HULL_SHIM_H

#include <stdint.h>

/* The libseccomp library version hull runs with, as "MAJOR.MINOR.MICRO". */
void hull_seccomp_version(char *buf, int len);

#endif
