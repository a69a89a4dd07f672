/* tmpcopyup (runc's mount extension): a tmpfs mounted over a directory of the rootfs starts
 * with a copy of what that directory held. The child opens the directory before the mount
 * (that fd still sees the covered files afterwards) and copies the tree into the new tmpfs,
 * through fds only: nothing is followed, symlinks are copied as symlinks. No malloc: the
 * directory entries are read with getdents64 into a buffer on the stack. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "shim_internal.h"

#define COPY_MAX_DEPTH 128

struct linux_dirent64 {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

static void copy_tree(int src, int dst, int depth, int sync_fd);

/* Owner, mode and times of `st` onto `name` in `dir` (a symlink keeps its mode). */
static void copy_attributes(int dir, const char *name, const struct stat *st, int sync_fd)
{
    struct timespec times[2] = { st->st_atim, st->st_mtim };
    if (fchownat(dir, name, st->st_uid, st->st_gid, AT_SYMLINK_NOFOLLOW) < 0)
        child_die(sync_fd, errno, "tmpcopyup: chown %s", name);
    if (!S_ISLNK(st->st_mode) && fchmodat(dir, name, st->st_mode & 07777, 0) < 0)
        child_die(sync_fd, errno, "tmpcopyup: chmod %s", name);
    if (utimensat(dir, name, times, AT_SYMLINK_NOFOLLOW) < 0)
        child_die(sync_fd, errno, "tmpcopyup: set the times of %s", name);
}

static void copy_file(int src, int dst, const char *name, const struct stat *st, int sync_fd)
{
    int in = openat(src, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        child_die(sync_fd, errno, "tmpcopyup: open %s", name);
    int out = openat(dst, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        child_die(sync_fd, errno, "tmpcopyup: create %s", name);
    for (off_t done = 0; done < st->st_size;) {
        ssize_t n = sendfile(out, in, NULL, (size_t)(st->st_size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            child_die(sync_fd, errno, "tmpcopyup: copy %s", name);
        if (n == 0)
            break;   /* the file shrank meanwhile */
        done += n;
    }
    close(in);
    close(out);
}

static void copy_directory(int src, int dst, const char *name, int depth, int sync_fd)
{
    if (depth >= COPY_MAX_DEPTH)
        child_die(sync_fd, ELOOP, "tmpcopyup: %s is nested more than %d directories deep", name, COPY_MAX_DEPTH);
    if (mkdirat(dst, name, 0700) < 0 && errno != EEXIST)
        child_die(sync_fd, errno, "tmpcopyup: mkdir %s", name);
    int in = openat(src, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    int out = openat(dst, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0 || out < 0)
        child_die(sync_fd, errno, "tmpcopyup: open directory %s", name);
    copy_tree(in, out, depth + 1, sync_fd);
    close(in);
    close(out);
}

static void copy_entry(int src, int dst, const char *name, int depth, int sync_fd)
{
    struct stat st;
    char target[PATH_MAX];

    if (fstatat(src, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        child_die(sync_fd, errno, "tmpcopyup: stat %s", name);
    if (S_ISDIR(st.st_mode)) {
        copy_directory(src, dst, name, depth, sync_fd);
    } else if (S_ISREG(st.st_mode)) {
        copy_file(src, dst, name, &st, sync_fd);
    } else if (S_ISLNK(st.st_mode)) {
        ssize_t len = readlinkat(src, name, target, sizeof target - 1);
        if (len < 0)
            child_die(sync_fd, errno, "tmpcopyup: readlink %s", name);
        target[len] = '\0';
        if (symlinkat(target, dst, name) < 0)
            child_die(sync_fd, errno, "tmpcopyup: symlink %s", name);
    } else if (S_ISSOCK(st.st_mode)) {
        return;   /* a socket is bound by a process, not copied */
    } else if (mknodat(dst, name, st.st_mode, st.st_rdev) < 0) {
        child_die(sync_fd, errno, "tmpcopyup: mknod %s", name);
    }
    copy_attributes(dst, name, &st, sync_fd);
}

static void copy_tree(int src, int dst, int depth, int sync_fd)
{
    char buf[2048] __attribute__((aligned(8)));
    for (;;) {
        long n = syscall(SYS_getdents64, src, buf, sizeof buf);
        if (n < 0)
            child_die(sync_fd, errno, "tmpcopyup: read a directory");
        if (n == 0)
            return;
        for (long off = 0; off < n;) {
            struct linux_dirent64 *entry = (struct linux_dirent64 *)(buf + off);
            off += entry->d_reclen;
            if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
                continue;
            copy_entry(src, dst, entry->d_name, depth, sync_fd);
        }
    }
}

int open_copy_up_source(int rootfd, const char *destination, int sync_fd)
{
    int fd = open_in_root(rootfd, destination, O_RDONLY | O_DIRECTORY);
    if (fd < 0 && errno != ENOENT)
        child_die(sync_fd, errno, "tmpcopyup: open rootfs%s", destination);
    return fd;
}

void copy_up(int source, int rootfd, const char *destination, int sync_fd)
{
    struct stat st;
    int target = open_in_root(rootfd, destination, O_RDONLY | O_DIRECTORY);
    if (target < 0)
        child_die(sync_fd, errno, "tmpcopyup: open the new tmpfs at rootfs%s", destination);
    copy_tree(source, target, 0, sync_fd);
    /* The tmpfs's root takes the covered directory's owner, mode and times. */
    if (fstat(source, &st) < 0)
        child_die(sync_fd, errno, "tmpcopyup: stat rootfs%s", destination);
    copy_attributes(target, ".", &st, sync_fd);
    close(target);
    close(source);
}
