/* Resolving paths inside the container's root file system. Every lookup goes through
 * openat2(RESOLVE_IN_ROOT), so a symlink in the rootfs (absolute or full of "..") resolves as
 * if the rootfs were "/" and can never lead out of it: the class of CVE-2021-30465. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "shim_internal.h"

int open_in_root(int rootfd, const char *path, int flags)
{
    struct open_how how;
    int fd;

    memset(&how, 0, sizeof how);
    how.flags = (uint64_t)(flags | O_CLOEXEC);
    how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
    do {
        fd = (int)syscall(SYS_openat2, rootfd, path, &how, sizeof how);
    } while (fd < 0 && errno == EAGAIN);
    return fd;
}

/* Copies `path` into buf and splits it at its last '/': buf holds the parent ("/" for a
 * top-level entry) and *base the last component. */
static int split_path(const char *path, char *buf, const char **base)
{
    size_t len = strlen(path);
    if (len == 0 || len >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(buf, path, len + 1);
    while (len > 1 && buf[len - 1] == '/')
        buf[--len] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash == NULL) {
        *base = buf;
        return 0;
    }
    *slash = '\0';
    *base = slash + 1;
    return 0;
}

/* When `component` of `prefix` is a symlink to something missing, returns the path to create
 * instead: the link's target (taken inside the root) followed by the rest of `path`. */
static int follow_dangling_link(int parent, const char *component, const char *prefix,
                                size_t prefix_len, const char *rest, char *out)
{
    char target[PATH_MAX];
    ssize_t n = readlinkat(parent, component, target, sizeof target - 1);
    if (n < 0)
        return -1;
    target[n] = '\0';
    size_t dir_len = prefix_len - strlen(component);   /* prefix up to and including its last '/' */
    int len = target[0] == '/'
        ? snprintf(out, PATH_MAX, "%s%s", target, rest)
        : snprintf(out, PATH_MAX, "%.*s%s%s", (int)dir_len, prefix, target, rest);
    if (len < 0 || len >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return 0;
}

static int mkdirall_in_root_depth(int rootfd, const char *path, mode_t mode, int depth)
{
    char prefix[PATH_MAX];
    size_t len = strlen(path);

    if (len >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int fd = open_in_root(rootfd, path, O_PATH | O_DIRECTORY);
    if (fd >= 0 || errno != ENOENT)
        return fd;

    /* Walk the components, creating each missing directory in its (already resolved) parent. */
    int parent = open_in_root(rootfd, "/", O_PATH | O_DIRECTORY);
    if (parent < 0)
        return -1;
    for (size_t i = 0; i <= len; i++) {
        if (path[i] != '/' && path[i] != '\0')
            continue;
        memcpy(prefix, path, i);
        prefix[i] = '\0';
        const char *component = strrchr(prefix, '/');
        component = component ? component + 1 : prefix;
        if (*component == '\0')
            continue;
        if (mkdirat(parent, component, mode) < 0 && errno != EEXIST) {
            int saved = errno;
            close(parent);
            errno = saved;
            return -1;
        }
        int next = open_in_root(rootfd, prefix, O_PATH | O_DIRECTORY);
        if (next < 0 && errno == ENOENT && depth < 40) {
            /* A dangling symlink: create what it points to, inside the root. */
            char redirected[PATH_MAX];
            int rc = follow_dangling_link(parent, component, prefix, i, path + i, redirected);
            close(parent);
            return rc < 0 ? -1 : mkdirall_in_root_depth(rootfd, redirected, mode, depth + 1);
        }
        int saved = errno;
        close(parent);
        if (next < 0) {
            errno = saved;
            return -1;
        }
        parent = next;
    }
    return parent;
}

int mkdirall_in_root(int rootfd, const char *path, mode_t mode)
{
    return mkdirall_in_root_depth(rootfd, path, mode, 0);
}

int open_parent_in_root(int rootfd, const char *path, const char **base)
{
    static char buf[PATH_MAX];
    if (split_path(path, buf, base) < 0)
        return -1;
    return mkdirall_in_root(rootfd, buf[0] ? buf : "/", 0755);
}

int mkfile_in_root(int rootfd, const char *path, mode_t mode)
{
    int fd = open_in_root(rootfd, path, O_PATH);
    if (fd >= 0 || errno != ENOENT)
        return fd;

    const char *base;
    int parent = open_parent_in_root(rootfd, path, &base);
    if (parent < 0)
        return -1;
    int created = openat(parent, base, O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, mode);
    int saved = errno;
    close(parent);
    if (created < 0 && saved != EEXIST) {
        errno = saved;
        return -1;
    }
    if (created >= 0)
        close(created);
    return open_in_root(rootfd, path, O_PATH);
}

int hull_open_in_root(const char *root, const char *path)
{
    int rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (rootfd < 0)
        return -1;
    int fd = open_in_root(rootfd, path, O_RDONLY | O_NONBLOCK | O_NOCTTY);
    int saved = errno;
    close(rootfd);
    errno = saved;
    return fd;
}
