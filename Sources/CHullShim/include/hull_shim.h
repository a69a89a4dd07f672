/* hull_shim.h: the whole interface between hull's Swift core and its C shim.
 *
 * The shim owns everything that runs in the container's init process between clone() and
 * execve(). No Swift runs there. The parent prepares a flat hull_child_config with every string,
 * flag and number pre-computed; the child only executes it, in order, and reports a failure as
 * errno + message over the sync socket. */
#ifndef HULL_SHIM_H
#define HULL_SHIM_H

#include <stdint.h>
#include <signal.h>
#include <sys/types.h>

/* ---- versions ---------------------------------------------------------------------------- */

/* The libseccomp library version hull runs with, as "MAJOR.MINOR.MICRO". */
void hull_seccomp_version(char *buf, int len);

/* The git commit hull was built from, or "unknown". */
const char *hull_build_commit(void);

/* hull's release version (the VERSION file, passed by the Makefile), or "unknown". */
const char *hull_build_version(void);

/* ---- the sealed executable (sealed_exe.c, CVE-2019-5736) --------------------------------- */

/* Whether /proc/self/exe is on a read-only mount or a sealed memfd: no process can write it. */
int hull_exe_is_sealed(void);

/* Unless the binary is sealed already, switches the process in place to a read-only detached
 * clone of its mount (exe_swap.c), or re-executes it (same argv and environment) from such a
 * clone, or else from a sealed memfd copy. Returns 0 when sealed (already or in place), -1 with
 * errno set when no way worked; does not return when it re-executes. */
int hull_seal_exe(char *const argv[], char *const envp[]);

/* Replaces every mapping of the running binary by the same bytes from `exe` (an O_RDONLY fd of
 * the same file on another mount) and makes `exe` the process's /proc/self/exe
 * (PR_SET_MM_MAP). Only for a single-threaded process. 0, or -1 with errno set. */
int hull_exe_swap(int exe);

/* ---- the child's configuration ----------------------------------------------------------- */

/* One mount, in config order. Paths in `destination` are inside the rootfs (absolute, as the
 * container sees them); they are resolved without ever leaving the rootfs. */
struct hull_mount {
    const char *source;        /* fs source, or the host path of a bind mount */
    const char *destination;   /* absolute path inside the container */
    const char *fstype;        /* NULL for bind mounts */
    const char *data;          /* fs-specific options (mount(2)'s data), or NULL */
    unsigned long flags;       /* MS_* flags for the mount call (MS_BIND, MS_REC, ...) */
    unsigned long propagation; /* MS_SHARED/MS_SLAVE/MS_PRIVATE/MS_UNBINDABLE (| MS_REC), or 0 */
    int remount_bind;          /* a bind mount whose flags need a second MS_REMOUNT call */
    int remount_readonly_last; /* remount read-only after every other mount (cgroup v1 tmpfs) */
    uint64_t attr_set;         /* MOUNT_ATTR_* set recursively (rro, rnosuid, ...), via mount_setattr */
    uint64_t attr_clr;         /* MOUNT_ATTR_* cleared recursively (rrw, rsuid, ...) */
    int copy_up;               /* tmpcopyup: a tmpfs starts with a copy of the covered directory */
};

/* A device node to create (or, in a user namespace, bind from the host). */
struct hull_device {
    const char *path;          /* absolute path inside the container */
    mode_t mode;               /* S_IFCHR/S_IFBLK/S_IFIFO | permission bits */
    unsigned int major, minor;
    uid_t uid;
    gid_t gid;
};

/* A symlink inside the container, e.g. /dev/fd -> /proc/self/fd. */
struct hull_symlink {
    const char *target;
    const char *path;
};

/* A namespace to join by path, with its CLONE_NEW* flag. */
struct hull_ns_join {
    int flag;
    const char *path;
};

struct hull_rlimit {
    int resource;
    uint64_t soft, hard;
    const char *name;          /* "RLIMIT_NOFILE", for error messages */
};

struct hull_sysctl {
    const char *key;           /* "net.ipv4.ip_forward" */
    const char *value;
};

/* A hook: path, argv, envp (NULL-terminated) and a timeout in seconds (0: none). */
struct hull_hook {
    const char *path;
    char *const *argv;
    char *const *envp;
    int timeout;
};

/* The scheduling attributes of the process, laid out as the kernel's struct sched_attr
 * (SCHED_ATTR_SIZE_VER0, 48 bytes) for sched_setattr(2). */
struct hull_sched_attr {
    uint32_t size;
    uint32_t sched_policy;
    uint64_t sched_flags;
    int32_t sched_nice;
    uint32_t sched_priority;
    uint64_t sched_runtime;
    uint64_t sched_deadline;
    uint64_t sched_period;
};

/* A Landlock rule: rights allowed beneath a path (in the container), or on a TCP port. */
struct hull_landlock_path {
    const char *path;
    uint64_t allowed;                 /* LANDLOCK_ACCESS_FS_* */
};

struct hull_landlock_port {
    uint64_t port;
    uint64_t allowed;                 /* LANDLOCK_ACCESS_NET_* */
};

/* process.landlock, already fitted to the kernel's ABI by the parent; handled_fs and
 * handled_net both 0: no Landlock. */
struct hull_landlock {
    uint64_t handled_fs, handled_net;
    const struct hull_landlock_path *paths;
    int path_count;
    const struct hull_landlock_port *ports;
    int port_count;
};

/* The security of the process: capability sets as bit masks (bit N = capability N), computed
 * from names by the parent; the seccomp program compiled by the parent (hull_seccomp_compile). */
struct hull_security {
    uint64_t cap_bounding, cap_effective, cap_inheritable, cap_permitted, cap_ambient;
    int cap_last;                     /* the highest capability the kernel knows (cap_last_cap) */
    void *caps;                       /* libcap's cap_t of effective, permitted and inheritable
                                       * (hull_caps_new), applied with cap_set_proc */
    int no_new_privs;
    const void *seccomp_filter;       /* struct sock_filter[], or NULL: no seccomp filter */
    unsigned short seccomp_filter_len;/* number of instructions */
    unsigned int seccomp_flags;       /* SECCOMP_FILTER_FLAG_* passed to seccomp(2); with
                                       * NEW_LISTENER the init sends the notify fd to the parent */
    int personality;                  /* personality(2) domain, or -1: leave as is */
    int set_scheduler;                /* call sched_setattr(2) with `scheduler` */
    struct hull_sched_attr scheduler;
    int ioprio;                       /* ioprio_set(2) value (class << 13 | level), or -1 */
    struct hull_landlock landlock;    /* applied just before the seccomp filter */
};

struct hull_child_config {
    /* namespaces */
    int clone_flags;                  /* CLONE_NEW* flags of the namespaces to create */
    const struct hull_ns_join *joins; /* namespaces to join, user first */
    int join_count;
    int join_pidfd;                   /* exec: a pidfd of the container's init, or -1 */
    int join_pidfd_flags;             /* exec: the CLONE_NEW* namespaces to join through it */
    int root_fd;                      /* exec: the init's root (/proc/PID/root), entered with
                                       * fchdir + chroot; -1 for a new container */
    int wait_for_idmaps;              /* a new user namespace: wait until the parent wrote the maps */
    int dumpable_until_go;            /* an unprivileged parent writes the maps: it must be able to
                                         open /proc/PID/uid_map, owned by root while not dumpable */
    const char *time_offsets;         /* timens_offsets content for a new time namespace, or NULL */

    /* the cgroup the process enters itself (cgroup_entry.c); the parent moves it into the rest */
    const int *cgroup_task_fds;       /* cgroup v1: each hierarchy's `tasks`, open for writing */
    const char *const *cgroup_task_paths; /* their paths, for error messages */
    int cgroup_task_count;
    int cgroup_v2_fd;                 /* the cgroup v2 directory for clone3(CLONE_INTO_CGROUP), or -1 */
    int report_cgroup_entry;          /* send HULL_SYNC_JOINED once in (exec: hull holds the lock until then) */

    /* root file system */
    const char *rootfs;               /* absolute host path */
    unsigned long root_propagation;   /* propagation of / before mounting (MS_SLAVE|MS_REC default) */
    unsigned long rootfs_propagation; /* rootfsPropagation to set on the new / (0: none) */
    int rootfs_readonly;
    int no_pivot;                     /* MS_MOVE + chroot instead of pivot_root */
    const struct hull_mount *mounts;
    int mount_count;
    const struct hull_device *devices;
    int device_count;
    int bind_devices;                 /* bind host device nodes instead of mknod (user namespace) */
    const struct hull_symlink *symlinks;
    int symlink_count;
    const char *const *masked_paths;
    int masked_count;
    const char *const *readonly_paths;
    int readonly_count;

    /* identity and environment */
    const char *hostname;             /* NULL: leave as is */
    const char *domainname;
    const struct hull_sysctl *sysctls;
    int sysctl_count;
    const struct hull_rlimit *rlimits;
    int rlimit_count;
    const char *oom_score_adj;        /* NULL: leave as is */
    const char *session_keyring;      /* NULL: keep the caller's (--no-new-keyring) */

    /* the process */
    uid_t uid;
    gid_t gid;
    const gid_t *additional_gids;
    int additional_gid_count;
    int set_groups;                   /* call setgroups() (not allowed when setgroups is denied) */
    int umask;                        /* -1: leave as is */
    const char *cwd;
    char *const *argv;
    char *const *envp;
    int preserve_fds;                 /* fds 3 .. 3+preserve_fds-1 pass to the process */
    struct hull_security security;

    /* the terminal: a pty from the container's devpts becomes the process's stdio and
     * controlling terminal; the master goes to the parent (HULL_SYNC_CONSOLE) */
    int terminal;
    int mount_console;                /* bind the pty onto /dev/console (a new container) */
    unsigned short console_rows, console_cols; /* process.consoleSize, 0: leave as is */

    /* synchronisation with `start` */
    int exec_fifo_fd;                 /* opened O_RDWR by the parent; the init reads one byte;
                                       * -1 (exec): execve at once, without READY */
    int lock_fd;                      /* the container lock hull holds: the init closes it at once */
    const struct hull_hook *start_hooks; /* startContainer hooks, run by the init after start */
    int start_hook_count;
    int create_hooks;                 /* prestart, createRuntime or createContainer hooks to stop for */
};

/* ---- capabilities (parent side) ---------------------------------------------------------- */

/* A libcap cap_t holding the three sets (bit N = capability N, up to `last`), made by the
 * parent so that the init only calls cap_set_proc. NULL when libcap fails. */
void *hull_caps_new(uint64_t effective, uint64_t permitted, uint64_t inheritable, int last);
void hull_caps_free(void *caps);

/* ---- Landlock (parent side) ----------------------------------------------------------- */

/* The kernel's Landlock ABI version, or 0 when it has no Landlock (or it is disabled). */
int hull_landlock_abi(void);

/* ---- seccomp (parent side) ------------------------------------------------------------- */

/* One argument condition; `op` is libseccomp's enum scmp_compare (SCMP_CMP_NE = 1 ...). */
struct hull_seccomp_arg {
    unsigned int index;
    int op;
    uint64_t value;
    uint64_t value_two;
};

/* One rule: system call names, the action (a libseccomp SCMP_ACT_* value, errno included),
 * and conditions that must all hold. */
struct hull_seccomp_rule {
    const char *const *names;
    int name_count;
    uint32_t action;
    const struct hull_seccomp_arg *args;
    int arg_count;
};

struct hull_seccomp_profile {
    uint32_t default_action;
    const char *const *archs;         /* libseccomp architecture names: "x86_64", "x32" ... */
    int arch_count;
    const struct hull_seccomp_rule *rules;
    int rule_count;
};

/* Compiles `profile` to a BPF program with libseccomp. On success returns 0 and stores a
 * malloc'ed struct sock_filter array in *filter (free() it) and its instruction count in *len;
 * the names libseccomp does not know are listed, space-separated, in `skipped` (they are not
 * in the filter, as in runc). On failure returns -1 with a message in err. */
int hull_seccomp_compile(const struct hull_seccomp_profile *profile, void **filter, size_t *len,
                         char *skipped, int skippedlen, char *err, int errlen);

/* Whether the running kernel accepts the seccomp(2) filter flag `flag`. */
int hull_seccomp_flag_supported(unsigned int flag);

/* Whether libseccomp can add the architecture `name` ("x86_64", "aarch64" ...) to a filter
 * for the native one (it refuses unknown names and a different byte order). */
int hull_seccomp_arch_usable(const char *name);

/* Whether the running kernel has the seccomp return action `action` (SECCOMP_RET_*). */
int hull_seccomp_action_supported(uint32_t action);

/* ---- the parent side --------------------------------------------------------------------- */

/* Messages on the sync socket (SOCK_SEQPACKET, one message per packet). */
enum hull_sync_type {
    HULL_SYNC_GO = 1,       /* parent -> child: continue */
    HULL_SYNC_HOOKS = 2,    /* child -> parent: mounts done, before pivot_root: run hooks */
    HULL_SYNC_READY = 3,    /* child -> parent: waiting for start */
    HULL_SYNC_ERROR = 4,    /* child -> parent: failed; err and text say why */
    HULL_SYNC_PID = 5,      /* intermediate -> parent: the init's pid (joining namespaces) */
    HULL_SYNC_SECCOMP = 6,  /* child -> parent: the seccomp notify fd (SCM_RIGHTS); parent answers GO */
    HULL_SYNC_CONSOLE = 7,  /* child -> parent: the pty master (SCM_RIGHTS); no answer */
    HULL_SYNC_JOINED = 8,   /* child -> parent: in its cgroup (report_cgroup_entry); no answer */
};

struct hull_sync_msg {
    int32_t type;
    int32_t err;            /* errno of the failure, or 0 */
    int32_t pid;
    char text[500];
};

/* Starts the container's init process with `config`. On success returns 0, stores the init's
 * pid (a child of the caller), the parent's end of the sync socket (close-on-exec), and in
 * *in_v2_cgroup whether the init was created in config->cgroup_v2_fd's cgroup (else the
 * caller moves it there). The init waits for HULL_SYNC_GO before it does anything. On failure
 * returns -1 with errno set and a message in err. */
int hull_spawn(const struct hull_child_config *config, pid_t *pid, int *sync_fd, int *in_v2_cgroup,
               char *err, int errlen);

/* Sends a message of `type` on the sync socket. Returns 0 or -1 with errno set. */
int hull_sync_send(int fd, int type);

/* Receives one message. Returns 0, or -1 with errno set (EPIPE when the child closed it).
 * A file descriptor sent with the message is closed. */
int hull_sync_recv(int fd, struct hull_sync_msg *msg);

/* Receives one message and the file descriptor sent with it (SCM_RIGHTS, close-on-exec), or
 * -1 in *passed_fd when none came. Returns 0, or -1 with errno set. */
int hull_sync_recv_fd(int fd, struct hull_sync_msg *msg, int *passed_fd);

/* Runs a hook with `state` on its stdin and waits for it, killing it after its timeout.
 * ns_pid > 0 joins that process's namespaces first (createContainer hooks).
 * Returns 0 when the hook exited 0; otherwise -1 with a message in err. */
int hull_run_hook(const struct hull_hook *hook, const char *state, pid_t ns_pid,
                  char *err, int errlen);

/* ---- process helpers (parent side) ------------------------------------------------------ */

/* pidfd_open(2) and pidfd_send_signal(2), which Swift's Glibc module does not name. */
int hull_pidfd_open(pid_t pid);
int hull_pidfd_send_signal(int pidfd, int sig);

/* Opens `path` for reading inside the directory `root` as if it were "/" (openat2 with
 * RESOLVE_IN_ROOT: no symlink leads out of it), non-blocking. Returns the fd or -1. */
int hull_open_in_root(const char *root, const char *path);

/* sched_setaffinity(2) of `pid` to the CPUs set in `mask` (bit N = CPU N), `bytes` long. */
int hull_set_affinity(pid_t pid, const uint64_t *mask, size_t bytes);

/* A non-blocking, close-on-exec signalfd(2) for `set` (which the caller has blocked), and the
 * next signal read from it: its number, or -1 (errno EAGAIN when none is pending). Swift's
 * Glibc module does not name <sys/signalfd.h>. */
int hull_signalfd(const sigset_t *set);
int hull_signalfd_next(int fd);

/* Connects to the unix socket at `path` and sends `fd` (SCM_RIGHTS) with `name` as the
 * message, as runc's --pidfd-socket and --console-socket do. Returns 0 or -1 with errno set. */
int hull_send_fd(const char *path, int fd, const char *name);

/* ---- cgroup v2 device filter (parent side, device_filter.c) ------------------------------ */

/* Access bits of a device rule ("r", "w", "m"). */
#define HULL_DEVICE_ACCESS_READ  1u
#define HULL_DEVICE_ACCESS_WRITE 2u
#define HULL_DEVICE_ACCESS_MKNOD 4u

/* One device cgroup rule, as in linux.resources.devices after normalisation. */
struct hull_device_rule {
    int allow;                 /* 1: allow, 0: deny */
    char type;                 /* 'a' (every device), 'c' or 'b' */
    int64_t major;             /* -1: any */
    int64_t minor;             /* -1: any */
    unsigned int access;       /* HULL_DEVICE_ACCESS_* */
};

/* Builds the BPF_PROG_TYPE_CGROUP_DEVICE program for `rules` (the last rule that matches a
 * device and an access bit decides; with none, `default_allow`) into `insns` (struct bpf_insn,
 * 8 bytes each). Returns the instruction count, or -1 with a message in err. */
int hull_device_filter_build(const struct hull_device_rule *rules, int count, int default_allow,
                             uint64_t *insns, int capacity, char *err, int errlen);

/* Builds and loads that program and attaches it to the cgroup v2 directory `cgroup_dir`
 * (BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI), then detaches the device programs attached there
 * before (a previous filter of hull's). Returns 0, or -1 with a one-line message in err. */
int hull_device_filter_apply(const char *cgroup_dir, const struct hull_device_rule *rules, int count,
                             int default_allow, char *err, int errlen);

/* How many device programs are attached to `cgroup_dir` itself, or -1 with a message in err. */
int hull_device_filter_count(const char *cgroup_dir, char *err, int errlen);

/* ---- cgroup event notification (parent side, cgroup_events.c) ---------------------------- */

/* eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK): the counter cgroup v1 raises on each OOM of a memory
 * cgroup once registered in cgroup.event_control. Returns the fd, or -1 with errno set. */
int hull_eventfd(void);

/* ---- the systemd cgroup driver (parent side, systemd_bus.c) ------------------------------ */

/* One property of a systemd unit, as D-Bus sends it (a(sv)). `type` is the D-Bus type of the
 * value: 's' string, 'b' (number 0/1), 't' uint64, 'x' int64, 'u' uint32, 'i' int32 (number),
 * 'd' double (real); 'Y' ay (items: bytes), 'U' au (items: uint32_t), 'S' as (items: const
 * char *), 'D' a(ss) (items: path, permissions, path, ... : count pairs). */
struct hull_unit_property {
    const char *name;
    char type;
    const char *string;
    uint64_t number;
    double real;
    const void *items;
    size_t count;
};

/* StartTransientUnit(unit, "replace", props) on systemd's manager (system bus, or the private
 * socket /run/systemd/private), then waits up to timeout_ms for the job (JobRemoved) to be
 * "done". A failed leftover of the same name is reset and the call tried once more. Returns 0,
 * or -1 with a one-line message in err (systemd's own error message where it gave one).
 * libsystemd.so.0 is loaded on first use. */
int hull_systemd_start_transient_unit(const char *unit, const struct hull_unit_property *props, int count,
                                      int timeout_ms, char *err, int errlen);

/* SetUnitProperties(unit, runtime=true, props). Returns 0, or -1 with a message in err. */
int hull_systemd_set_unit_properties(const char *unit, const struct hull_unit_property *props, int count,
                                     char *err, int errlen);

/* StopUnit(unit, "replace") and wait for the job; then ResetFailedUnit. A unit systemd does not
 * know (it went away with its processes) counts as stopped. Returns 0, or -1 with a message. */
int hull_systemd_stop_unit(const char *unit, int timeout_ms, char *err, int errlen);
/* ---- CRIU's RPC socket (parent side, recvfd.c) ---------------------------------------------- */

/* Receives one message of at most `len` bytes from the SOCK_SEQPACKET socket `sock` into `buf`,
 * and the file descriptor sent with it (SCM_RIGHTS, received close-on-exec) into `*fd`, or -1
 * when none came. Returns the message length (0 at end of file), or -1 with errno set. */
long hull_recv_with_fd(int sock, void *buf, unsigned long len, int *fd);

#endif
