/* Writes to /proc go through a handle checked to be on procfs: a container can put a bind
 * mount, a tmpfs or a symlink where /proc or /proc/sys should be (the classes of
 * CVE-2019-16884, CVE-2023-27561, CVE-2023-28642 and CVE-2025-52881), and a sysctl "written"
 * there would land in whatever file that is, possibly a host file. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/magic.h>
#include <sys/vfs.h>
#include "shim_internal.h"

int open_on_procfs(const char *path, int flags)
{
    struct statfs st;
    int fd = open(path, flags | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstatfs(fd, &st) < 0) {
        int saved = errno;
        close(fd);
        errno = saved;
        return -1;
    }
    if (st.f_type != PROC_SUPER_MAGIC) {
        close(fd);
        errno = EXDEV;
        return -1;
    }
    return fd;
}

void write_procfs_file(const char *path, const char *value, const char *what, int sync_fd)
{
    int fd = open_on_procfs(path, O_WRONLY);
    if (fd < 0 && errno == EXDEV)
        child_die(sync_fd, EXDEV, "%s: %s is not on procfs, refusing to write it", what, path);
    if (fd < 0)
        child_die(sync_fd, errno, "%s: open %s", what, path);
    size_t len = strlen(value);
    if (write(fd, value, len) != (ssize_t)len)
        child_die(sync_fd, errno, "%s: write %s to %s", what, value, path);
    close(fd);
}
