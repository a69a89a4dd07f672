/* Parent side: the eventfd a cgroup v1 memory controller signals OOM through
 * (cgroup.event_control). Swift's Glibc module does not name eventfd(2). */
#include <sys/eventfd.h>
#include "hull_shim.h"

int hull_eventfd(void)
{
    return eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}
