/* How a new process (a container's init or an exec'd one) gets into its cgroup without the
 * parent writing its pid to cgroup.procs.
 *
 * A write to cgroup.procs, or of another task's id to `tasks`, takes the kernel's global
 * cgroup_threadgroup_rwsem for writing, and the first writer after a quiet spell waits for an
 * RCU grace period: 10 to 20 ms on an idle machine here, the largest single cost of a `run`.
 * Two ways in avoid that lock:
 *   - cgroup v2: clone3(CLONE_INTO_CGROUP) creates the process in its cgroup (only a read lock);
 *   - cgroup v1: a single-threaded process writing "0" (itself) to a hierarchy's `tasks` file
 *     moves its one thread without the lock (the kernel's cgroup_procs_write_start). The
 *     files are opened by the parent, whose credentials the kernel checks. */
#define _GNU_SOURCE
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/sched.h>
#include <sys/syscall.h>
#include "shim_internal.h"

pid_t clone_into_cgroup(unsigned long flags, int cgroup_fd)
{
    struct clone_args args;

    memset(&args, 0, sizeof args);
    args.flags = (flags & ~(unsigned long)CSIGNAL) | CLONE_INTO_CGROUP;
    args.exit_signal = flags & CSIGNAL;
    args.cgroup = (unsigned long)cgroup_fd;
    return (pid_t)syscall(SYS_clone3, &args, sizeof args);
}

void enter_cgroup_v1(const struct hull_child_config *config, int sync_fd)
{
    for (int i = 0; i < config->cgroup_task_count; i++) {
        if (write(config->cgroup_task_fds[i], "0", 1) != 1)
            child_die(sync_fd, errno, "join cgroup %s", config->cgroup_task_paths[i]);
        close(config->cgroup_task_fds[i]);
    }
    if (config->report_cgroup_entry && hull_sync_send(sync_fd, HULL_SYNC_JOINED) < 0)
        _exit(1);
}
