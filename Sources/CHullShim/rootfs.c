/* Building the container's root file system in the init's new mount namespace: the rootfs
 * bind, the configured mounts in order, device nodes and symlinks, pivot_root, then masked and
 * read-only paths, sysctls and the read-only root. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <linux/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "shim_internal.h"

/* Flags a bind remount must keep: in a user namespace the kernel refuses to clear locked ones. */
static unsigned long locked_flags(const char *path)
{
    struct statvfs st;
    unsigned long flags = 0;
    if (statvfs(path, &st) < 0)
        return 0;
    if (st.f_flag & ST_NOSUID) flags |= MS_NOSUID;
    if (st.f_flag & ST_NODEV) flags |= MS_NODEV;
    if (st.f_flag & ST_NOEXEC) flags |= MS_NOEXEC;
    if (st.f_flag & ST_NOATIME) flags |= MS_NOATIME;
    if (st.f_flag & ST_NODIRATIME) flags |= MS_NODIRATIME;
    if (st.f_flag & ST_RELATIME) flags |= MS_RELATIME;
    return flags;
}

static int remount_bind(const char *path, unsigned long flags)
{
    unsigned long base = MS_BIND | MS_REMOUNT | (flags & ~(MS_BIND | MS_REC | MS_REMOUNT));
    if (mount(NULL, path, NULL, base, NULL) == 0)
        return 0;
    if (errno != EPERM)
        return -1;
    return mount(NULL, path, NULL, base | locked_flags(path), NULL);
}

static int set_recursive_attrs(int target, const struct hull_mount *m)
{
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = m->attr_set;
    attr.attr_clr = m->attr_clr;
    return (int)syscall(SYS_mount_setattr, target, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof attr);
}

static int source_is_directory(const struct hull_mount *m)
{
    struct stat st;
    if (!(m->flags & MS_BIND))
        return 1;
    return stat(m->source, &st) < 0 || S_ISDIR(st.st_mode);
}

/* procfs and sysfs only go on an ordinary directory (runc: CVE-2019-19921, CVE-2023-27561):
 * a rootfs whose /proc is a symlink would put the procfs, and with it the masked and read-only
 * paths and the sysctls, wherever the link points. */
static void check_kernel_fs_destination(int rootfd, const struct hull_mount *m, int sync_fd)
{
    struct stat st;
    if (!m->fstype || (strcmp(m->fstype, "proc") != 0 && strcmp(m->fstype, "sysfs") != 0))
        return;
    int fd = open_in_root(rootfd, m->destination, O_PATH | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT)
        return;
    if (fd < 0 || fstat(fd, &st) < 0)
        child_die(sync_fd, errno, "mount %s on rootfs%s", m->fstype, m->destination);
    close(fd);
    if (!S_ISDIR(st.st_mode))
        child_die(sync_fd, ENOTDIR, "mount %s on rootfs%s: the destination must be an ordinary directory, not a %s",
                  m->fstype, m->destination, S_ISLNK(st.st_mode) ? "symlink" : "file");
}

static void mount_one(int rootfd, const struct hull_mount *m, int sync_fd)
{
    char proc[32];
    check_kernel_fs_destination(rootfd, m, sync_fd);
    int target = source_is_directory(m) ? mkdirall_in_root(rootfd, m->destination, 0755)
                                        : mkfile_in_root(rootfd, m->destination, 0644);
    if (target < 0)
        child_die(sync_fd, errno, "create mount destination rootfs%s", m->destination);

    unsigned long flags = m->flags;
    if (flags & MS_BIND)
        flags &= MS_BIND | MS_REC;
    int lower = m->copy_up ? open_copy_up_source(rootfd, m->destination, sync_fd) : -1;
    /* A read-only tmpfs to copy into is mounted writable and made read-only after the copy. */
    unsigned long readonly_after = lower >= 0 ? flags & MS_RDONLY : 0;
    if (mount(m->source, fd_path(target, proc), m->fstype, flags & ~readonly_after, m->data) < 0)
        child_die(sync_fd, errno, "mount %s to rootfs%s", m->source ? m->source : "none",
                  m->destination);
    close(target);
    if (lower >= 0) {
        copy_up(lower, rootfd, m->destination, sync_fd);
        if (readonly_after) {
            target = open_in_root(rootfd, m->destination, O_PATH);
            if (target < 0 || mount(NULL, fd_path(target, proc), NULL, MS_REMOUNT | flags, m->data) < 0)
                child_die(sync_fd, errno, "remount rootfs%s read-only after tmpcopyup", m->destination);
            close(target);
        }
    }

    if (!m->remount_bind && !m->propagation && !m->attr_set && !m->attr_clr)
        return;
    /* Reopen the destination: it is now the root of the new mount. */
    target = open_in_root(rootfd, m->destination, O_PATH);
    if (target < 0)
        child_die(sync_fd, errno, "reopen mount destination rootfs%s", m->destination);
    /* The reopened fd may have another number than the first one: every call below uses this path. */
    fd_path(target, proc);
    if (m->remount_bind && remount_bind(proc, m->flags) < 0)
        child_die(sync_fd, errno, "remount rootfs%s with its options", m->destination);
    if (m->propagation && mount(NULL, proc, NULL, m->propagation, NULL) < 0)
        child_die(sync_fd, errno, "set propagation of rootfs%s", m->destination);
    if ((m->attr_set || m->attr_clr) && set_recursive_attrs(target, m) < 0)
        child_die(sync_fd, errno, "set recursive mount options of rootfs%s", m->destination);
    close(target);
}

static void create_device(int rootfd, const struct hull_child_config *config,
                          const struct hull_device *dev, int sync_fd)
{
    const char *base;
    char proc[32];

    if (config->bind_devices) {
        int target = mkfile_in_root(rootfd, dev->path, 0600);
        if (target < 0)
            child_die(sync_fd, errno, "create device rootfs%s", dev->path);
        if (mount(dev->path, fd_path(target, proc), NULL, MS_BIND, NULL) < 0)
            child_die(sync_fd, errno, "bind device %s to rootfs%s", dev->path, dev->path);
        close(target);
        return;
    }
    int parent = open_parent_in_root(rootfd, dev->path, &base);
    if (parent < 0)
        child_die(sync_fd, errno, "create the directory of device rootfs%s", dev->path);
    if (mknodat(parent, base, dev->mode, makedev(dev->major, dev->minor)) < 0) {
        if (errno != EEXIST)
            child_die(sync_fd, errno, "mknod rootfs%s", dev->path);
        /* Something is already there (an image may ship /dev entries): replace it. */
        if (unlinkat(parent, base, 0) < 0 || mknodat(parent, base, dev->mode,
                                                     makedev(dev->major, dev->minor)) < 0)
            child_die(sync_fd, errno, "mknod rootfs%s", dev->path);
    }
    if (fchmodat(parent, base, dev->mode & 07777, 0) < 0)
        child_die(sync_fd, errno, "chmod device rootfs%s", dev->path);
    if (fchownat(parent, base, dev->uid, dev->gid, AT_SYMLINK_NOFOLLOW) < 0)
        child_die(sync_fd, errno, "chown device rootfs%s", dev->path);
    close(parent);
}

static void create_symlink(int rootfd, const struct hull_symlink *link, int sync_fd)
{
    const char *base;
    int parent = open_parent_in_root(rootfd, link->path, &base);
    if (parent < 0)
        child_die(sync_fd, errno, "create the directory of symlink rootfs%s", link->path);
    if (symlinkat(link->target, parent, base) < 0 && errno != EEXIST)
        child_die(sync_fd, errno, "symlink %s to rootfs%s", link->target, link->path);
    close(parent);
}

static void pivot_to(const char *rootfs, int sync_fd)
{
    int oldroot = open("/", O_DIRECTORY | O_RDONLY | O_CLOEXEC);
    if (oldroot < 0)
        child_die(sync_fd, errno, "open the old root");
    if (chdir(rootfs) < 0)
        child_die(sync_fd, errno, "chdir to rootfs %s", rootfs);
    if (syscall(SYS_pivot_root, ".", ".") < 0)
        child_die(sync_fd, errno, "pivot_root to %s", rootfs);
    /* The old root is now stacked under the new one at "/": detach it without propagating
     * the unmount back to the host. */
    if (fchdir(oldroot) < 0)
        child_die(sync_fd, errno, "fchdir to the old root");
    if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0)
        child_die(sync_fd, errno, "make the old root a slave");
    if (umount2(".", MNT_DETACH) < 0)
        child_die(sync_fd, errno, "unmount the old root");
    close(oldroot);
    if (chdir("/") < 0)
        child_die(sync_fd, errno, "chdir to the new root");
}

static void move_to(const char *rootfs, int sync_fd)
{
    if (chdir(rootfs) < 0)
        child_die(sync_fd, errno, "chdir to rootfs %s", rootfs);
    if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
        child_die(sync_fd, errno, "move rootfs %s to /", rootfs);
    if (chroot(".") < 0)
        child_die(sync_fd, errno, "chroot to rootfs %s", rootfs);
    if (chdir("/") < 0)
        child_die(sync_fd, errno, "chdir to the new root");
}

void setup_rootfs(const struct hull_child_config *config, int sync_fd)
{
    const char *rootfs = config->rootfs;

    if (mount(NULL, "/", NULL, config->root_propagation, NULL) < 0)
        child_die(sync_fd, errno, "set propagation of / in the container's mount namespace");
    if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
        child_die(sync_fd, errno, "bind rootfs %s onto itself", rootfs);
    int rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        child_die(sync_fd, errno, "open rootfs %s", rootfs);

    for (int i = 0; i < config->mount_count; i++)
        mount_one(rootfd, &config->mounts[i], sync_fd);
    for (int i = 0; i < config->device_count; i++)
        create_device(rootfd, config, &config->devices[i], sync_fd);
    for (int i = 0; i < config->symlink_count; i++)
        create_symlink(rootfd, &config->symlinks[i], sync_fd);
    if (config->cwd && config->cwd[0]) {
        int cwd = mkdirall_in_root(rootfd, config->cwd, 0755);
        if (cwd < 0)
            child_die(sync_fd, errno, "create cwd rootfs%s", config->cwd);
        close(cwd);
    }
    close(rootfd);

    /* createRuntime and createContainer hooks run here: mounts done, before pivot_root. */
    if (config->create_hooks) {
        if (hull_sync_send(sync_fd, HULL_SYNC_HOOKS) < 0)
            _exit(1);
        child_wait_go(sync_fd);
    }

    if (config->no_pivot)
        move_to(rootfs, sync_fd);
    else
        pivot_to(rootfs, sync_fd);
    if (config->rootfs_propagation && mount(NULL, "/", NULL, config->rootfs_propagation, NULL) < 0)
        child_die(sync_fd, errno, "set rootfsPropagation of /");
}

/* Opens /dev/null of the container and checks that it really is the null device (char 1:3)
 * before anything is bound from it: a /dev/null that the container replaced by a symlink or a
 * file would otherwise be bound, read-write, over a masked path (the class of CVE-2025-31133).
 * The bind uses this fd, so what was checked is what gets mounted. */
static int open_dev_null(int sync_fd)
{
    struct stat st;
    int fd = open("/dev/null", O_PATH | O_CLOEXEC);
    if (fd < 0)
        child_die(sync_fd, errno, "open /dev/null to mask paths");
    if (fstat(fd, &st) < 0)
        child_die(sync_fd, errno, "stat /dev/null");
    if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != 1 || minor(st.st_rdev) != 3)
        child_die(sync_fd, EPERM, "/dev/null is not the null device (char 1:3), refusing to mask paths with it");
    return fd;
}

static void mask_path(const char *path, int *null_fd, int sync_fd)
{
    struct stat st;
    char null_path[32];
    if (lstat(path, &st) < 0) {
        if (errno == ENOENT)
            return;
        child_die(sync_fd, errno, "stat masked path %s", path);
    }
    if (!S_ISDIR(st.st_mode) && *null_fd < 0)
        *null_fd = open_dev_null(sync_fd);
    int rc = S_ISDIR(st.st_mode) ? mount("tmpfs", path, "tmpfs", MS_RDONLY, NULL)
                                 : mount(fd_path(*null_fd, null_path), path, NULL, MS_BIND, NULL);
    if (rc < 0)
        child_die(sync_fd, errno, "mask path %s", path);
}

static void readonly_path(const char *path, int sync_fd)
{
    if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0) {
        if (errno == ENOENT)
            return;
        child_die(sync_fd, errno, "bind read-only path %s", path);
    }
    if (remount_bind(path, MS_RDONLY | MS_REC) < 0)
        child_die(sync_fd, errno, "remount read-only path %s", path);
}

/* The file is opened without following a symlink and checked to be on procfs before anything
 * is written: a /proc or /proc/sys that the bundle or the rootfs replaced would otherwise take
 * the value (CVE-2019-16884, CVE-2025-52881). */
static void write_sysctl(const struct hull_sysctl *sysctl, int sync_fd)
{
    char path[512], what[300];
    int n = snprintf(path, sizeof path, "/proc/sys/%s", sysctl->key);
    if (n < 0 || (size_t)n >= sizeof path)
        child_die(sync_fd, ENAMETOOLONG, "sysctl %s", sysctl->key);
    for (char *p = path + 10; *p; p++)
        if (*p == '.')
            *p = '/';
    snprintf(what, sizeof what, "sysctl %s", sysctl->key);
    write_procfs_file(path, sysctl->value, what, sync_fd);
}

void finish_rootfs(const struct hull_child_config *config, int sync_fd)
{
    /* runc's order: sysctls while /proc/sys is still writable, then read-only and masked paths. */
    for (int i = 0; i < config->sysctl_count; i++)
        write_sysctl(&config->sysctls[i], sync_fd);
    for (int i = 0; i < config->readonly_count; i++)
        readonly_path(config->readonly_paths[i], sync_fd);
    int null_fd = -1;
    for (int i = 0; i < config->masked_count; i++)
        mask_path(config->masked_paths[i], &null_fd, sync_fd);
    if (null_fd >= 0)
        close(null_fd);
    for (int i = 0; i < config->mount_count; i++) {
        const struct hull_mount *m = &config->mounts[i];
        if (m->remount_readonly_last && remount_bind(m->destination, MS_RDONLY) < 0 &&
            mount(NULL, m->destination, NULL, MS_REMOUNT | MS_RDONLY | locked_flags(m->destination), NULL) < 0)
            child_die(sync_fd, errno, "remount %s read-only", m->destination);
    }
    if (config->rootfs_readonly && remount_bind("/", MS_RDONLY) < 0)
        child_die(sync_fd, errno, "remount the root file system read-only");
}
