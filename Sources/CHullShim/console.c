/* The process's terminal (process.terminal): a pty of the container's own devpts instance.
 * The slave becomes stdin, stdout, stderr and the controlling terminal (and, for a new
 * container, /dev/console); the master goes to hull over the sync socket, and from there to
 * the --console-socket or hull's own terminal. Runs in the child after the container's root
 * is in place, so /dev/ptmx is the container's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "shim_internal.h"

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOVE_MOUNT_T_EMPTY_PATH
#define MOVE_MOUNT_T_EMPTY_PATH 0x00000040
#endif

/* Opens the container's /dev/ptmx and checks that it is a pty multiplexer (char 5:2): a
 * container may have replaced it, and hull reads and writes what it gets. */
static int open_master(int sync_fd)
{
    struct stat st;
    int master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (master < 0)
        child_die(sync_fd, errno, "open /dev/ptmx for process.terminal (is devpts mounted on /dev/pts?)");
    if (fstat(master, &st) < 0)
        child_die(sync_fd, errno, "stat /dev/ptmx");
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 || minor(st.st_rdev) != 2)
        child_die(sync_fd, EPERM, "/dev/ptmx is not the pty multiplexer (char 5:2)");
    int unlock = 0;
    if (ioctl(master, TIOCSPTLCK, &unlock) < 0)
        child_die(sync_fd, errno, "unlock the pty");
    return master;
}

/* /dev/console becomes a bind mount of the pty (as in runc). The mount point is opened
 * without following a symlink, and the bind goes from the slave's fd to that fd
 * (open_tree + move_mount), so no path is looked up twice. */
static void bind_console(int slave, int sync_fd)
{
    struct stat st;
    int target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    if (target < 0 && errno == ENOENT) {
        int created = open("/dev/console", O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (created < 0)
            child_die(sync_fd, errno, "create /dev/console");
        close(created);
        target = open("/dev/console", O_PATH | O_NOFOLLOW | O_CLOEXEC);
    }
    if (target < 0)
        child_die(sync_fd, errno, "open /dev/console");
    if (fstat(target, &st) < 0)
        child_die(sync_fd, errno, "stat /dev/console");
    if (S_ISLNK(st.st_mode) || S_ISDIR(st.st_mode))
        child_die(sync_fd, EPERM, "/dev/console is a %s, refusing to mount the terminal on it",
                  S_ISLNK(st.st_mode) ? "symlink" : "directory");
    int tree = (int)syscall(SYS_open_tree, slave, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_EMPTY_PATH);
    if (tree < 0)
        child_die(sync_fd, errno, "clone a mount of the pty for /dev/console");
    if (syscall(SYS_move_mount, tree, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) < 0)
        child_die(sync_fd, errno, "mount the pty on /dev/console");
    close(tree);
    close(target);
}

/* The slave as stdin, stdout and stderr, and as the controlling terminal of a new session. */
static void make_controlling(int slave, int sync_fd)
{
    if (setsid() < 0)
        child_die(sync_fd, errno, "setsid for the terminal");
    if (ioctl(slave, TIOCSCTTY, 0) < 0)
        child_die(sync_fd, errno, "make the pty the controlling terminal");
    for (int fd = 0; fd <= 2; fd++)
        if (dup2(slave, fd) < 0)
            child_die(sync_fd, errno, "dup the pty to fd %d", fd);
    close(slave);
}

void setup_terminal(const struct hull_child_config *config, int sync_fd)
{
    if (!config->terminal)
        return;
    int master = open_master(sync_fd);
    int slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (slave < 0)
        child_die(sync_fd, errno, "open the pty's slave");
    if (config->console_rows || config->console_cols) {
        struct winsize size = { .ws_row = config->console_rows, .ws_col = config->console_cols };
        if (ioctl(slave, TIOCSWINSZ, &size) < 0)
            child_die(sync_fd, errno, "set process.consoleSize");
    }
    /* The process's user owns its terminal, as after login. */
    if (config->uid != 0 && fchown(slave, config->uid, (gid_t)-1) < 0)
        child_die(sync_fd, errno, "chown the pty to uid %u", config->uid);
    if (config->mount_console)
        bind_console(slave, sync_fd);
    if (child_send_fd(sync_fd, HULL_SYNC_CONSOLE, master) < 0)
        child_die(sync_fd, errno, "send the pty to hull");
    close(master);
    make_controlling(slave, sync_fd);
}
