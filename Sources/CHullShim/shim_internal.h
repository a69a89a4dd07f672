/* Internal helpers shared by the shim's C files. Everything here runs in the child unless
 * noted, so it avoids malloc and reports failures over the sync socket. */
#ifndef HULL_SHIM_INTERNAL_H
#define HULL_SHIM_INTERNAL_H

#include "hull_shim.h"

/* Sends HULL_SYNC_ERROR with errno `err` and a formatted message, then _exit(1). */
__attribute__((noreturn, format(printf, 3, 4)))
void child_die(int sync_fd, int err, const char *fmt, ...);

/* Sends a message of `type` with `passed_fd` attached (SCM_RIGHTS). Returns 0 or -1. */
int child_send_fd(int sync_fd, int type, int passed_fd);

/* Blocks until the parent sends HULL_SYNC_GO; exits quietly if the parent is gone. */
void child_wait_go(int sync_fd);

/* clone(2) used like fork(2): the child continues on a copy of the caller's stack. */
pid_t clone_like_fork(unsigned long flags);

/* Like clone_like_fork, with the child created in the cgroup v2 directory `cgroup_fd`
 * (clone3 with CLONE_INTO_CGROUP). Returns -1 with errno set when the kernel refuses. */
pid_t clone_into_cgroup(unsigned long flags, int cgroup_fd);

/* The init moves itself into each cgroup v1 hierarchy of config->cgroup_task_fds, closes them
 * and, if asked to, tells the parent (cgroup_entry.c). */
void enter_cgroup_v1(const struct hull_child_config *config, int sync_fd);

/* PR_SET_PDEATHSIG(SIGKILL): the child dies with its parent while it is being set up. */
int prctl_pdeathsig_kill(void);

/* The init process: never returns. */
__attribute__((noreturn))
void child_main(const struct hull_child_config *config, int sync_fd);

/* Builds the root file system: mounts, devices, symlinks, then pivot_root (rootfs.c). */
void setup_rootfs(const struct hull_child_config *config, int sync_fd);
/* Masked and read-only paths, sysctls and the read-only root, after pivot_root (rootfs.c). */
void finish_rootfs(const struct hull_child_config *config, int sync_fd);

/* The pty of process.terminal, after the container's root is in place (console.c). */
void setup_terminal(const struct hull_child_config *config, int sync_fd);

/* Process security (security.c), in the order child_main calls them. */
void set_not_dumpable(int sync_fd);
void set_no_new_privs(const struct hull_security *sec, int sync_fd);
void set_scheduling(const struct hull_security *sec, int sync_fd);
void load_seccomp(const struct hull_security *sec, int sync_fd);
void apply_landlock(const struct hull_security *sec, int sync_fd);   /* landlock.c */
void drop_bounding_set(const struct hull_security *sec, int sync_fd);
void keep_caps_across_setuid(int keep, int sync_fd);
void apply_capabilities(const struct hull_security *sec, int sync_fd);
void set_personality(const struct hull_security *sec, int sync_fd);

/* In-root path resolution (resolve.c): every lookup stays inside `rootfd`, whatever symlinks
 * the rootfs holds. Return an O_PATH fd, or -1 with errno set. */
int open_in_root(int rootfd, const char *path, int flags);
int mkdirall_in_root(int rootfd, const char *path, mode_t mode);
int mkfile_in_root(int rootfd, const char *path, mode_t mode);
/* Opens the parent directory of `path` in root (created if missing) and points *base at the
 * last component. */
int open_parent_in_root(int rootfd, const char *path, const char **base);

/* procfs.c: opens `path` (O_NOFOLLOW) and checks with fstatfs that it is on procfs; -1 with
 * errno EXDEV when it is not. write_procfs_file writes `value` through such a handle or dies
 * with a message naming `what` (e.g. "sysctl net.ipv4.ip_forward"). */
int open_on_procfs(const char *path, int flags);
void write_procfs_file(const char *path, const char *value, const char *what, int sync_fd);

/* tmpcopyup (copyup.c): the directory a tmpfs will cover, opened before the mount (-1 when it
 * does not exist yet), and the copy of its tree into the mounted tmpfs (closes `source`). */
int open_copy_up_source(int rootfd, const char *destination, int sync_fd);
void copy_up(int source, int rootfd, const char *destination, int sync_fd);

/* "/proc/self/fd/N" for an fd, in a caller-provided buffer of at least 32 bytes. */
const char *fd_path(int fd, char *buf);

#endif
