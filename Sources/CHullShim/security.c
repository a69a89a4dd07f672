/* The process security steps of the init: capabilities (across the uid change, with libcap),
 * no_new_privs, the seccomp program compiled by the parent, personality, scheduler and I/O
 * priority. The child side only makes system calls (libcap's wrappers included) on values the
 * parent computed: no allocation. hull_caps_new/hull_caps_free run in the parent. */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/capability.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include "shim_internal.h"

static int has_cap(uint64_t set, int cap) { return (set >> cap) & 1; }

static int add_set(cap_t caps, cap_flag_t flag, uint64_t set, int last)
{
    for (int cap = 0; cap <= last; cap++) {
        cap_value_t value = cap;
        if (has_cap(set, cap) && cap_set_flag(caps, flag, 1, &value, CAP_SET) < 0)
            return -1;
    }
    return 0;
}

void *hull_caps_new(uint64_t effective, uint64_t permitted, uint64_t inheritable, int last)
{
    cap_t caps = cap_init();
    if (!caps)
        return NULL;
    if (add_set(caps, CAP_EFFECTIVE, effective, last) < 0 || add_set(caps, CAP_PERMITTED, permitted, last) < 0 ||
        add_set(caps, CAP_INHERITABLE, inheritable, last) < 0) {
        cap_free(caps);
        return NULL;
    }
    return caps;
}

void hull_caps_free(void *caps)
{
    if (caps)
        cap_free(caps);
}

void drop_bounding_set(const struct hull_security *sec, int sync_fd)
{
    for (int cap = 0; cap <= sec->cap_last; cap++) {
        if (has_cap(sec->cap_bounding, cap))
            continue;
        if (cap_drop_bound(cap) < 0 && errno != EINVAL)
            child_die(sync_fd, errno, "drop capability %d from the bounding set", cap);
    }
}

void keep_caps_across_setuid(int keep, int sync_fd)
{
    if (prctl(PR_SET_KEEPCAPS, keep, 0, 0, 0) < 0)
        child_die(sync_fd, errno, "prctl(PR_SET_KEEPCAPS, %d)", keep);
}

/* Effective, permitted and inheritable in one cap_set_proc (the cap_t the parent made; libcap
 * allocates nothing here), then the ambient set, which the kernel only accepts for
 * capabilities already permitted and inheritable. */
void apply_capabilities(const struct hull_security *sec, int sync_fd)
{
    if (!sec->caps)
        child_die(sync_fd, EINVAL, "no capability state from hull");
    if (cap_set_proc(sec->caps) < 0)
        child_die(sync_fd, errno, "set capabilities (effective %#llx, permitted %#llx, inheritable %#llx)",
                  (unsigned long long)sec->cap_effective, (unsigned long long)sec->cap_permitted,
                  (unsigned long long)sec->cap_inheritable);
    if (cap_reset_ambient() < 0 && errno != EINVAL)
        child_die(sync_fd, errno, "clear the ambient capabilities");
    for (int cap = 0; cap <= sec->cap_last; cap++)
        if (has_cap(sec->cap_ambient, cap) && cap_set_ambient(cap, CAP_SET) < 0)
            child_die(sync_fd, errno, "raise ambient capability %d", cap);
}

void set_no_new_privs(const struct hull_security *sec, int sync_fd)
{
    if (sec->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
        child_die(sync_fd, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
}

void load_seccomp(const struct hull_security *sec, int sync_fd)
{
    if (!sec->seccomp_filter)
        return;
    struct sock_fprog prog = {
        .len = sec->seccomp_filter_len,
        .filter = (struct sock_filter *)(uintptr_t)sec->seccomp_filter,
    };
    long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, sec->seccomp_flags, &prog);
    if (rc < 0)
        child_die(sync_fd, errno, "load the seccomp filter (flags %#x)", sec->seccomp_flags);
    if (!(sec->seccomp_flags & SECCOMP_FILTER_FLAG_NEW_LISTENER))
        return;
    /* The notify fd goes to the parent, which passes it to the listener (runtime-spec
     * "linux.seccomp.listenerPath") and answers GO once it is sent. */
    int notify_fd = (int)rc;
    if (child_send_fd(sync_fd, HULL_SYNC_SECCOMP, notify_fd) < 0)
        child_die(sync_fd, errno, "send the seccomp notify fd to hull");
    close(notify_fd);
    child_wait_go(sync_fd);
}

void set_scheduling(const struct hull_security *sec, int sync_fd)
{
    if (sec->set_scheduler && syscall(SYS_sched_setattr, 0, &sec->scheduler, 0) < 0)
        child_die(sync_fd, errno, "sched_setattr (process.scheduler: policy %u, nice %d, priority %u)",
                  sec->scheduler.sched_policy, sec->scheduler.sched_nice, sec->scheduler.sched_priority);
    /* IOPRIO_WHO_PROCESS (1), this process (0). */
    if (sec->ioprio >= 0 && syscall(SYS_ioprio_set, 1, 0, sec->ioprio) < 0)
        child_die(sync_fd, errno, "ioprio_set (process.ioPriority: class %d, priority %d)",
                  sec->ioprio >> 13, sec->ioprio & 0x1fff);
}

void set_personality(const struct hull_security *sec, int sync_fd)
{
    if (sec->personality >= 0 && personality((unsigned long)sec->personality) < 0)
        child_die(sync_fd, errno, "personality %#x (linux.personality)", sec->personality);
}

void set_not_dumpable(int sync_fd)
{
    if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
        child_die(sync_fd, errno, "prctl(PR_SET_DUMPABLE, 0)");
}
