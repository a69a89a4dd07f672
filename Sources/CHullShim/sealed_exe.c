/* Running hull from a copy of its binary that no container process can write (the class of
 * CVE-2019-5736).
 *
 * The container's init and an exec'd process are clones of hull: until their execve,
 * /proc/PID/exe is hull's binary on the host. They are not dumpable, so no other process of the
 * container can open that link. But the execve itself runs what the rootfs says: a program
 * whose "#!" line is /proc/self/exe makes the kernel execute hull's binary again, now as a
 * dumpable container process that runs the ELF interpreter the rootfs provides (the rootfs's
 * /lib64/ld-linux-x86-64.so.2), i.e. the attacker's code with /proc/self/exe pointing at hull's
 * binary. It can open it and, once no hull runs any more, write it through /proc/self/fd/N.
 *
 * So `create`, `run` and `exec` first re-execute hull from a file no one can write:
 *   - a detached clone of the bind mount of the binary (open_tree OPEN_TREE_CLONE on
 *     /proc/self/exe), made read-only with mount_setattr: /proc/self/exe then names a file on a
 *     read-only mount that no mount namespace holds, and opening it for writing fails with
 *     EROFS. Cost: one execve, no copy.
 *   - else a sealed memfd copy (F_SEAL_WRITE | SHRINK | GROW | SEAL), as runc 1.1 does.
 * A binary that is already on a read-only mount, or a sealed memfd, is left as it is. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/mount.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include "hull_shim.h"

#ifndef F_SEAL_FUTURE_WRITE
#define F_SEAL_FUTURE_WRITE 0x0010
#endif

static const unsigned int memfd_seals = F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE;

int hull_exe_is_sealed(void)
{
    struct statvfs st;
    if (statvfs("/proc/self/exe", &st) == 0 && (st.f_flag & ST_RDONLY))
        return 1;
    int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    int seals = fcntl(fd, F_GET_SEALS);
    close(fd);
    return seals >= 0 && ((unsigned int)seals & memfd_seals) == memfd_seals;
}

/* A read-only, detached bind mount of the running binary; an O_PATH fd of it, or -1. */
static int readonly_clone(void)
{
    int fd = (int)syscall(SYS_open_tree, AT_FDCWD, "/proc/self/exe", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
    if (fd < 0)
        return -1;
    struct mount_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH, &attr, sizeof attr) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

/* A sealed memfd holding a copy of the running binary, or -1. */
static int sealed_copy(void)
{
    int src = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (src < 0)
        return -1;
    int fd = memfd_create("hull", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    struct stat st;
    if (fd < 0 || fstat(src, &st) < 0)
        goto fail;
    for (off_t done = 0; done < st.st_size;) {
        ssize_t n = sendfile(fd, src, NULL, (size_t)(st.st_size - done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            goto fail;
        done += n;
    }
    if (fcntl(fd, F_ADD_SEALS, memfd_seals) < 0)
        goto fail;
    close(src);
    return fd;
fail:
    close(src);
    if (fd >= 0)
        close(fd);
    return -1;
}

int hull_reexec_sealed(char *const argv[], char *const envp[])
{
    if (hull_exe_is_sealed())
        return 0;
    int fd = readonly_clone();
    if (fd >= 0) {
        syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
        close(fd);
    }
    fd = sealed_copy();
    if (fd >= 0) {
        syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
        close(fd);
    }
    return -1;
}
