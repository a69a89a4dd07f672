/* Starting the container's init process (or an exec'd process). Without namespaces to join, one clone() creates the
 * init in all its new namespaces. With namespaces to join, an intermediate process joins them
 * first (a new user namespace must be created after joining, and a joined pid namespace only
 * applies to children), then clones the init as a sibling (CLONE_PARENT) so that hull remains
 * its parent, reports its pid and exits. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "shim_internal.h"

pid_t clone_like_fork(unsigned long flags)
{
    return (pid_t)syscall(SYS_clone, flags, NULL, NULL, NULL, NULL);
}

static const char *ns_name(int flag)
{
    switch (flag) {
    case CLONE_NEWUSER: return "user";
    case CLONE_NEWNS: return "mount";
    case CLONE_NEWPID: return "pid";
    case CLONE_NEWNET: return "network";
    case CLONE_NEWIPC: return "ipc";
    case CLONE_NEWUTS: return "uts";
    case CLONE_NEWCGROUP: return "cgroup";
    case CLONE_NEWTIME: return "time";
    default: return "unknown";
    }
}

/* exec: every namespace of the running init at once, through its pidfd; the kernel joins
 * them in the order it needs (the user namespace first). */
static void join_init_namespaces(const struct hull_child_config *config, int sync_fd)
{
    if (config->join_pidfd < 0 || config->join_pidfd_flags == 0)
        return;
    if (setns(config->join_pidfd, config->join_pidfd_flags) < 0)
        child_die(sync_fd, errno, "join the container's namespaces");
}

static void join_namespaces(const struct hull_child_config *config, int sync_fd)
{
    join_init_namespaces(config, sync_fd);
    for (int i = 0; i < config->join_count; i++) {
        const struct hull_ns_join *join = &config->joins[i];
        int fd = open(join->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
            child_die(sync_fd, errno, "open %s namespace %s", ns_name(join->flag), join->path);
        if (setns(fd, join->flag) < 0)
            child_die(sync_fd, errno, "join %s namespace %s", ns_name(join->flag), join->path);
        close(fd);
    }
}

/* A time namespace's offsets can only be written before a process enters it: unshare it here,
 * so that only the init's clone enters it. */
static unsigned long prepare_time_namespace(const struct hull_child_config *config, int sync_fd)
{
    unsigned long flags = (unsigned long)config->clone_flags;
    if (!(flags & CLONE_NEWTIME))
        return flags;
    if (unshare(CLONE_NEWTIME) < 0)
        child_die(sync_fd, errno, "create the time namespace");
    if (config->time_offsets)
        write_procfs_file("/proc/self/timens_offsets", config->time_offsets, "linux.timeOffsets", sync_fd);
    return flags & ~(unsigned long)CLONE_NEWTIME;
}

/* The namespaces clone() creates. A new cgroup namespace is left to the init, which
 * unshares it once it is in its cgroup: the namespace's root is the
 * cgroup it is created in (runc does the same). */
static unsigned long clone_namespaces(unsigned long flags)
{
    return flags & ~(unsigned long)CLONE_NEWCGROUP;
}

static int needs_intermediate(const struct hull_child_config *config)
{
    return config->join_count > 0 || config->join_pidfd >= 0 || (config->clone_flags & CLONE_NEWTIME);
}

__attribute__((noreturn))
static void intermediate_main(const struct hull_child_config *config, int sync_fd)
{
    struct hull_sync_msg msg;

    /* hull's own binary, about to enter the container's namespaces: nothing in them may
     * ptrace it or open its /proc/PID/exe (the class of CVE-2019-5736). */
    set_not_dumpable(sync_fd);
    if (prctl_pdeathsig_kill() < 0)
        child_die(sync_fd, errno, "set parent-death signal");
    join_namespaces(config, sync_fd);
    unsigned long flags = prepare_time_namespace(config, sync_fd);
    pid_t pid = clone_like_fork(clone_namespaces(flags) | CLONE_PARENT | SIGCHLD);
    if (pid < 0)
        child_die(sync_fd, errno, "clone the container's init process");
    if (pid == 0)
        child_main(config, sync_fd);
    memset(&msg, 0, sizeof msg);
    msg.type = HULL_SYNC_PID;
    msg.pid = pid;
    if (send(sync_fd, &msg, sizeof msg, MSG_NOSIGNAL) != (ssize_t)sizeof msg)
        _exit(1);
    _exit(0);
}

static int fail(char *err, int errlen, const char *what)
{
    int saved = errno;
    snprintf(err, (size_t)errlen, "%s", what);
    errno = saved;
    return -1;
}

/* Waits for the intermediate process to report the init's pid, and reaps it. */
static pid_t receive_init_pid(pid_t intermediate, int sync_fd, char *err, int errlen)
{
    struct hull_sync_msg msg;
    int status;
    int rc = hull_sync_recv(sync_fd, &msg);
    int saved = errno;

    while (waitpid(intermediate, &status, 0) < 0 && errno == EINTR)
        ;
    if (rc < 0) {
        errno = saved;
        return fail(err, errlen, "start the container's init process");
    }
    if (msg.type == HULL_SYNC_ERROR) {
        errno = msg.err;
        return fail(err, errlen, msg.text);
    }
    if (msg.type != HULL_SYNC_PID || msg.pid <= 0) {
        errno = EPROTO;
        return fail(err, errlen, "start the container's init process");
    }
    return msg.pid;
}

/* hull's child (the init, or the intermediate process that clones it): straight into the
 * cgroup v2 directory when there is one and the kernel takes it (cgroup_entry.c); otherwise the
 * caller moves the init in. */
static pid_t clone_child(const struct hull_child_config *config, unsigned long flags, int *in_v2_cgroup)
{
    if (config->cgroup_v2_fd >= 0) {
        pid_t pid = clone_into_cgroup(flags, config->cgroup_v2_fd);
        if (pid >= 0) {
            *in_v2_cgroup = 1;
            return pid;
        }
    }
    return clone_like_fork(flags);
}

int hull_spawn(const struct hull_child_config *config, pid_t *pid_out, int *sync_fd_out, int *in_v2_cgroup,
               char *err, int errlen)
{
    int sv[2];
    pid_t pid;

    *in_v2_cgroup = 0;
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
        return fail(err, errlen, "create the sync socket");

    int intermediate = needs_intermediate(config);
    unsigned long flags = intermediate ? 0 : clone_namespaces((unsigned long)config->clone_flags);
    pid = clone_child(config, flags | SIGCHLD, in_v2_cgroup);
    if (pid < 0) {
        int saved = errno;
        close(sv[0]);
        close(sv[1]);
        errno = saved;
        return fail(err, errlen, "clone the container's init process");
    }
    if (pid == 0) {
        close(sv[0]);
        if (!intermediate)
            child_main(config, sv[1]);
        intermediate_main(config, sv[1]);
    }
    close(sv[1]);
    if (intermediate) {
        pid = receive_init_pid(pid, sv[0], err, errlen);
        if (pid < 0) {
            int saved = errno;
            close(sv[0]);
            errno = saved;
            return -1;
        }
    }
    *pid_out = pid;
    *sync_fd_out = sv[0];
    return 0;
}
