/* Running OCI hooks: the container's state on stdin, a timeout, and for createContainer hooks
 * the container's namespaces. Used by the parent and by the init (startContainer). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "shim_internal.h"

/* The CLONE_NEW* flags of the namespaces `pid` does not share with the caller. */
static int namespaces_differing_from(pid_t pid)
{
    static const struct { const char *name; int flag; } kinds[] = {
        { "user", CLONE_NEWUSER }, { "mnt", CLONE_NEWNS }, { "uts", CLONE_NEWUTS },
        { "ipc", CLONE_NEWIPC }, { "net", CLONE_NEWNET }, { "pid", CLONE_NEWPID },
        { "cgroup", CLONE_NEWCGROUP }, { "time", CLONE_NEWTIME },
    };
    char path[64];
    struct stat mine, theirs;
    int flags = 0;

    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
        snprintf(path, sizeof path, "/proc/self/ns/%s", kinds[i].name);
        if (stat(path, &mine) < 0)
            continue;
        snprintf(path, sizeof path, "/proc/%d/ns/%s", (int)pid, kinds[i].name);
        if (stat(path, &theirs) < 0)
            continue;
        if (mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev)
            flags |= kinds[i].flag;
    }
    return flags;
}

__attribute__((noreturn))
static void exec_hook(const struct hull_hook *hook, int stdin_fd, pid_t ns_pid)
{
    if (ns_pid > 0) {
        int flags = namespaces_differing_from(ns_pid);
        int pidfd = hull_pidfd_open(ns_pid);
        if (pidfd < 0 || (flags && setns(pidfd, flags) < 0)) {
            dprintf(STDERR_FILENO, "hull: hook %s: join the container's namespaces: %s\n",
                    hook->path, strerror(errno));
            _exit(126);
        }
    }
    if (dup2(stdin_fd, STDIN_FILENO) < 0)
        _exit(126);
    execve(hook->path, hook->argv, hook->envp);
    dprintf(STDERR_FILENO, "hull: exec hook %s: %s\n", hook->path, strerror(errno));
    _exit(127);
}

static void write_state(int fd, const char *state)
{
    size_t len = strlen(state), off = 0;
    while (off < len) {
        ssize_t n = send(fd, state + off, len - off, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;   /* the hook does not read its stdin: that is its business */
        off += (size_t)n;
    }
}

/* Waits for the hook, killing it after its timeout. Returns its wait status, or -1. */
static int wait_hook(pid_t pid, int timeout, int *timed_out)
{
    int status;
    *timed_out = 0;
    if (timeout > 0) {
        int pidfd = hull_pidfd_open(pid);
        if (pidfd >= 0) {
            struct pollfd p = { .fd = pidfd, .events = POLLIN };
            int rc;
            do {
                rc = poll(&p, 1, timeout * 1000);
            } while (rc < 0 && errno == EINTR);
            if (rc == 0) {
                *timed_out = 1;
                kill(pid, SIGKILL);
            }
            close(pidfd);
        }
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return status;
}

int hull_run_hook(const struct hull_hook *hook, const char *state, pid_t ns_pid,
                  char *err, int errlen)
{
    int sv[2];
    int timed_out;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0) {
        snprintf(err, (size_t)errlen, "hook %s: socketpair: %s", hook->path, strerror(errno));
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, (size_t)errlen, "hook %s: fork: %s", hook->path, strerror(errno));
        close(sv[0]);
        close(sv[1]);
        return -1;
    }
    if (pid == 0)
        exec_hook(hook, sv[1], ns_pid);
    close(sv[1]);
    write_state(sv[0], state);
    close(sv[0]);

    int status = wait_hook(pid, hook->timeout, &timed_out);
    if (timed_out) {
        snprintf(err, (size_t)errlen, "hook %s: timed out after %d seconds", hook->path, hook->timeout);
        return -1;
    }
    if (status < 0) {
        snprintf(err, (size_t)errlen, "hook %s: wait: %s", hook->path, strerror(errno));
        return -1;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (WIFEXITED(status))
        snprintf(err, (size_t)errlen, "hook %s: exit status %d", hook->path, WEXITSTATUS(status));
    else
        snprintf(err, (size_t)errlen, "hook %s: killed by signal %d", hook->path, WTERMSIG(status));
    return -1;
}
