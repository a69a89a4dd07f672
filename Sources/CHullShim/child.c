/* The container's init process, from clone() to execve(). Runs the steps of the config in the
 * order the kernel requires and reports the first failure to the parent. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/close_range.h>
#include <linux/keyctl.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "shim_internal.h"

int prctl_pdeathsig_kill(void)
{
    return prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
}

/* The container's process starts with default dispositions and nothing blocked, whatever
 * hull's runtime had set. */
static void reset_signals(void)
{
    sigset_t none;
    struct sigaction dfl;

    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    for (int sig = 1; sig < NSIG; sig++)
        if (sig != SIGKILL && sig != SIGSTOP)
            (void)sigaction(sig, &dfl, NULL);
    sigemptyset(&none);
    (void)sigprocmask(SIG_SETMASK, &none, NULL);
}

static int min_int(int a, int b) { return a < b ? a : b; }
static int max_int(int a, int b) { return a > b ? a : b; }

/* Closes every fd from `first` up, except `keep1` and `keep2`, which are close-on-exec. */
static void close_fds_except(int first, int keep1, int keep2)
{
    int low = min_int(keep1, keep2), high = max_int(keep1, keep2);
    int ranges[3][2] = { { first, low - 1 }, { low + 1, high - 1 }, { high + 1, INT_MAX } };
    for (int i = 0; i < 3; i++) {
        int from = max_int(ranges[i][0], first), to = ranges[i][1];
        if (from <= to)
            (void)syscall(SYS_close_range, (unsigned int)from, (unsigned int)to, 0);
    }
}

static void set_identity_in_new_userns(int sync_fd)
{
    if (setresgid(0, 0, 0) < 0)
        child_die(sync_fd, errno, "become gid 0 in the new user namespace");
    if (setresuid(0, 0, 0) < 0)
        child_die(sync_fd, errno, "become uid 0 in the new user namespace");
}

static void set_names(const struct hull_child_config *config, int sync_fd)
{
    if (config->hostname && sethostname(config->hostname, strlen(config->hostname)) < 0)
        child_die(sync_fd, errno, "sethostname %s", config->hostname);
    if (config->domainname && setdomainname(config->domainname, strlen(config->domainname)) < 0)
        child_die(sync_fd, errno, "setdomainname %s", config->domainname);
}

static void join_session_keyring(const struct hull_child_config *config, int sync_fd)
{
    if (!config->session_keyring)
        return;
    /* Kernels without keyrings (or a seccomp profile denying keyctl) are not an error, as in runc. */
    if (syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, config->session_keyring) < 0 &&
        errno != ENOSYS && errno != EPERM)
        child_die(sync_fd, errno, "join session keyring %s", config->session_keyring);
}

static void set_rlimits(const struct hull_child_config *config, int sync_fd)
{
    for (int i = 0; i < config->rlimit_count; i++) {
        const struct hull_rlimit *r = &config->rlimits[i];
        struct rlimit lim = { .rlim_cur = r->soft, .rlim_max = r->hard };
        if (setrlimit(r->resource, &lim) < 0)
            child_die(sync_fd, errno, "setrlimit %s (soft %llu, hard %llu)", r->name,
                      (unsigned long long)r->soft, (unsigned long long)r->hard);
    }
}

static void set_user(const struct hull_child_config *config, int sync_fd)
{
    if (config->set_groups &&
        setgroups((size_t)config->additional_gid_count, config->additional_gids) < 0)
        child_die(sync_fd, errno, "setgroups (process.user.additionalGids)");
    if (setresgid(config->gid, config->gid, config->gid) < 0)
        child_die(sync_fd, errno, "setresgid %u (process.user.gid)", config->gid);
    if (setresuid(config->uid, config->uid, config->uid) < 0)
        child_die(sync_fd, errno, "setresuid %u (process.user.uid)", config->uid);
}

static const char *env_path(char *const *envp)
{
    for (; envp && *envp; envp++)
        if (strncmp(*envp, "PATH=", 5) == 0)
            return *envp + 5;
    return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

static int is_executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

/* Resolves args[0] as execvp would, so that a missing binary fails `create`, as in runc. */
static const char *lookup_executable(const char *name, char *const *envp, char *buf, int sync_fd)
{
    if (strchr(name, '/')) {
        if (is_executable(name))
            return name;
        child_die(sync_fd, errno ? errno : EACCES, "exec: \"%s\"", name);
    }
    const char *dirs = env_path(envp);
    while (*dirs) {
        const char *end = strchrnul(dirs, ':');
        size_t len = (size_t)(end - dirs);
        int n = snprintf(buf, PATH_MAX, "%.*s/%s", (int)len, len ? dirs : ".", name);
        if (n > 0 && n < PATH_MAX && is_executable(buf))
            return buf;
        dirs = *end ? end + 1 : end;
    }
    child_die(sync_fd, 0, "exec: \"%s\": executable file not found in $PATH", name);
}

/* Blocks until `hull start` writes the container's state to the exec fifo. */
static size_t wait_for_start(int fifo_fd, char *state, size_t size)
{
    size_t len = 0;
    for (;;) {
        ssize_t n = read(fifo_fd, state + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            _exit(1);
        len += (size_t)n;
        if (state[len - 1] == '\n' || len == size - 1)
            break;
    }
    state[len] = '\0';
    return len;
}

static void run_start_hooks(const struct hull_child_config *config, const char *state)
{
    char err[512];
    for (int i = 0; i < config->start_hook_count; i++) {
        if (hull_run_hook(&config->start_hooks[i], state, 0, err, sizeof err) < 0) {
            dprintf(STDERR_FILENO, "hull: startContainer hook: %s\n", err);
            _exit(1);
        }
    }
}

/* chdir to the process's cwd, then check that it is inside the container's root: a cwd
 * reached through a leaked host fd (/proc/self/fd/N) is outside it, and getcwd() then fails
 * or reports "(unreachable)..." (the class of CVE-2024-21626). ENOENT is a deleted directory,
 * e.g. a bundle removed while the container runs, and says so. */
static void enter_cwd(const struct hull_child_config *config, int sync_fd)
{
    char cwd[PATH_MAX];
    if (!config->cwd)
        return;
    if (chdir(config->cwd) < 0)
        child_die(sync_fd, errno, "chdir to cwd (\"%s\") set in config.json", config->cwd);
    errno = 0;
    const char *where = getcwd(cwd, sizeof cwd);
    if (!where && errno == ENOENT)
        child_die(sync_fd, ENOENT, "cwd (\"%s\") has been deleted: the container's root file system is gone",
                  config->cwd);
    if (!where || where[0] != '/')
        child_die(sync_fd, where || !errno ? ENOENT : errno,
                  "cwd (\"%s\") is outside of the container's root: possible container breakout detected",
                  config->cwd);
}

/* The user, across which the capabilities survive (runc's finalizeNamespace): the bounding set
 * is dropped while the init still has CAP_SETPCAP, PR_SET_KEEPCAPS keeps the permitted set
 * through setresuid, and the final sets are applied as the new user. */
static void become_user(const struct hull_child_config *config, int sync_fd)
{
    const struct hull_security *sec = &config->security;
    drop_bounding_set(sec, sync_fd);
    keep_caps_across_setuid(1, sync_fd);
    set_user(config, sync_fd);
    keep_caps_across_setuid(0, sync_fd);
    /* A uid change clears the parent-death signal and may reset dumpable: set both again. */
    if (prctl_pdeathsig_kill() < 0)
        child_die(sync_fd, errno, "set parent-death signal");
    set_not_dumpable(sync_fd);
    enter_cwd(config, sync_fd);
    apply_capabilities(sec, sync_fd);
}

/* exec: the joined mount namespace's root is not necessarily the container's (with
 * --no-pivot the rootfs is mounted over it): enter the init's own root instead. */
static void enter_container_root(const struct hull_child_config *config, int sync_fd)
{
    if (fchdir(config->root_fd) < 0)
        child_die(sync_fd, errno, "enter the container's root");
    if (chroot(".") < 0)
        child_die(sync_fd, errno, "chroot to the container's root");
    if (chdir("/") < 0)
        child_die(sync_fd, errno, "chdir to the container's root");
    close(config->root_fd);
}

/* A new container: its identity, its root file system and its terminal. */
static void prepare_container(const struct hull_child_config *config, int sync_fd)
{
    set_names(config, sync_fd);
    setup_rootfs(config, sync_fd);
    setup_terminal(config, sync_fd);
    /* As runc's init: a session of its own (setup_terminal made one already for a terminal),
     * so no session leader sits outside the container (CRIU refuses to dump that). */
    if (getsid(0) != getpid() && setsid() < 0)
        child_die(sync_fd, errno, "setsid");
    finish_rootfs(config, sync_fd);
}

/* A running container's root and the process's terminal (exec). */
static void enter_container(const struct hull_child_config *config, int sync_fd)
{
    if (config->join_pidfd >= 0)
        close(config->join_pidfd);
    enter_container_root(config, sync_fd);
    setup_terminal(config, sync_fd);
}

/* Hands over to `path`: a new container's init tells the parent it is ready and waits for
 * `start` on the exec fifo; an exec'd process goes on at once (the parent learns of success
 * from the sync socket closing at execve). */
__attribute__((noreturn))
static void exec_process(const struct hull_child_config *config, const char *path, int sync_fd)
{
    static char state[65536];

    if (config->exec_fifo_fd >= 0) {
        if (hull_sync_send(sync_fd, HULL_SYNC_READY) < 0)
            _exit(1);
        close(sync_fd);
        wait_for_start(config->exec_fifo_fd, state, sizeof state);
        close(config->exec_fifo_fd);
        run_start_hooks(config, state);
        execve(path, config->argv, config->envp);
        dprintf(STDERR_FILENO, "hull: exec %s: %s\n", path, strerror(errno));
        _exit(127);
    }
    execve(path, config->argv, config->envp);
    child_die(sync_fd, errno, "exec %s", path);
}

/* The order of the final steps is runc's (standard_init_linux.go):
 *   no_new_privs, scheduler and I/O priority;
 *   seccomp now if no_new_privs is off: loading a filter then needs CAP_SYS_ADMIN, which the
 *     init still has (the filter then also applies to the steps below, as in runc);
 *   the user, the capabilities, cwd; the executable is looked up;
 *   seccomp now if no_new_privs is on: as late as possible before execve, so that a profile
 *     needs to allow as few of the runtime's own system calls as possible;
 *   Landlock (process.landlock) just before seccomp in either place (restricting itself needs
 *     no_new_privs or CAP_SYS_ADMIN, which the init still has in the first place);
 *   personality; READY to the parent; the wait for `start`; startContainer hooks; execve.
 * The init is not dumpable from the start (nothing in the container may ptrace it or open
 * /proc/PID/exe, which is hull's binary until execve); execve of the container's binary makes
 * it dumpable again (the kernel resets it). */
void child_main(const struct hull_child_config *config, int sync_fd)
{
    char exe[PATH_MAX];
    const struct hull_security *sec = &config->security;

    /* An unprivileged caller may open the /proc/PID files of a dumpable process of its own
     * only; until GO no process of the container exists that could exploit it. */
    if (!config->dumpable_until_go)
        set_not_dumpable(sync_fd);
    else if (prctl(PR_SET_DUMPABLE, 1, 0, 0, 0) < 0)   /* not inherited from an intermediate */
        child_die(sync_fd, errno, "prctl(PR_SET_DUMPABLE, 1)");
    /* The lock belongs to `create`; an init waiting for `start` must not keep holding it. */
    if (config->lock_fd >= 0)
        close(config->lock_fd);
    reset_signals();
    if (prctl_pdeathsig_kill() < 0)
        child_die(sync_fd, errno, "set parent-death signal");
    umask(0);
    child_wait_go(sync_fd);   /* id maps written, the cgroup made */
    enter_cgroup_v1(config, sync_fd);
    if (config->dumpable_until_go)
        set_not_dumpable(sync_fd);

    if (config->wait_for_idmaps)
        set_identity_in_new_userns(sync_fd);
    if ((config->clone_flags & CLONE_NEWCGROUP) && unshare(CLONE_NEWCGROUP) < 0)
        child_die(sync_fd, errno, "create the cgroup namespace");
    join_session_keyring(config, sync_fd);
    if (config->oom_score_adj)
        write_procfs_file("/proc/self/oom_score_adj", config->oom_score_adj, "process.oomScoreAdj", sync_fd);
    set_rlimits(config, sync_fd);
    if (config->root_fd >= 0)
        enter_container(config, sync_fd);
    else
        prepare_container(config, sync_fd);

    umask(config->umask >= 0 ? (mode_t)config->umask : 022);
    set_no_new_privs(sec, sync_fd);
    set_scheduling(sec, sync_fd);
    if (!sec->no_new_privs) {
        apply_landlock(sec, sync_fd);
        load_seccomp(sec, sync_fd);
    }
    /* Only the preserved fds reach the process. The others close now, before the cwd is
     * entered and long before execve: an init waiting for `start` must not hold the pipes and
     * sockets of whoever called `create`, and no host directory fd may serve as a cwd. */
    close_fds_except(3 + config->preserve_fds, sync_fd, config->exec_fifo_fd);
    become_user(config, sync_fd);
    const char *path = lookup_executable(config->argv[0], config->envp, exe, sync_fd);
    if (sec->no_new_privs) {
        apply_landlock(sec, sync_fd);
        load_seccomp(sec, sync_fd);
    }
    set_personality(sec, sync_fd);

    if (prctl(PR_SET_PDEATHSIG, 0, 0, 0, 0) < 0)
        child_die(sync_fd, errno, "clear parent-death signal");
    exec_process(config, path, sync_fd);
}
