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
 * So before `create`, `run` and `exec` clone anything, hull's /proc/self/exe must name a file no
 * one can write:
 *   - a detached clone of the bind mount of the binary (open_tree OPEN_TREE_CLONE on
 *     /proc/self/exe), made read-only with mount_setattr: /proc/self/exe then names a file on a
 *     read-only mount that no mount namespace holds, and opening it for writing fails with
 *     EROFS. hull's process is switched to it in place (exe_swap.c: its mappings and
 *     mm->exe_file, with PR_SET_MM_MAP; a few system calls), or, when the kernel refuses that
 *     (no CAP_SYS_ADMIN, no CONFIG_CHECKPOINT_RESTORE), re-executed from it (one execve, no copy).
 *   - else hull re-executes from a sealed memfd copy (F_SEAL_WRITE | SHRINK | GROW | SEAL), as
 *     runc 1.1 does.
 * A binary that is already on a read-only mount, or a sealed memfd, is left as it is.
 * HULL_SEAL=reexec in the environment skips the in-place switch (to test and measure the
 * re-execution). */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <sched.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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

/* Closing the last fd of the detached clone dissolves its mount tree, and the kernel then waits
 * for an RCU grace period (namespace_unlock): 0.1 ms on an idle machine, 5 to 9 ms on a busy
 * one, measured here. A re-execution paid it inside execveat (the fd is O_CLOEXEC). In place,
 * a thread pays it while hull goes on: the thread takes a private copy of the fd table
 * (unshare CLONE_FILES), closes every other fd in it at once (so that it holds no pipe or
 * lock of hull's), and then the clone's fd, the last reference. hull closes its own copy as
 * soon as the thread has its copy, before it clones anything, so no container process ever
 * inherits the fd. */
static struct {
    sem_t ready;
    int unshared;
} closer;

static void *close_privately(void *arg)
{
    int fd = (int)(intptr_t)arg;
    closer.unshared = unshare(CLONE_FILES) == 0;
    int unshared = closer.unshared;
    sem_post(&closer.ready);
    if (!unshared)
        return NULL;
    if (fd > 0)
        close_range(0, (unsigned int)fd - 1, 0);
    close_range((unsigned int)fd + 1, ~0U, 0);
    close(fd);
    return NULL;
}

/* The thread starts with every signal blocked: it may outlive hull's own wait for a process,
 * and a process-directed signal (SIGCHLD of the container's process, which hull reads from a
 * signalfd) delivered to it instead would be lost. */
static void close_clone(int fd)
{
    pthread_attr_t attr;
    pthread_t thread;
    sigset_t all, previous;
    int started = 0;
    sigfillset(&all);
    if (sem_init(&closer.ready, 0, 0) == 0 && pthread_attr_init(&attr) == 0) {
        pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
        pthread_attr_setstacksize(&attr, 256 * 1024);
        if (pthread_sigmask(SIG_BLOCK, &all, &previous) == 0) {
            started = pthread_create(&thread, &attr, close_privately, (void *)(intptr_t)fd) == 0;
            pthread_sigmask(SIG_SETMASK, &previous, NULL);
        }
        pthread_attr_destroy(&attr);
    }
    if (started)
        while (sem_wait(&closer.ready) < 0 && errno == EINTR)
            ;
    close(fd); /* the last reference (and the grace period) only if the thread has none */
}

/* Switches this process in place to the read-only clone `clone_fd` (an O_PATH fd). 0, or -1. */
static int switch_in_place(int clone_fd)
{
    const char *mode = getenv("HULL_SEAL");
    if (mode && strcmp(mode, "reexec") == 0)
        return -1;
    char path[32];
    snprintf(path, sizeof path, "/proc/self/fd/%d", clone_fd);
    int exe = open(path, O_RDONLY | O_CLOEXEC);
    if (exe < 0)
        return -1;
    int result = hull_exe_swap(exe);
    close(exe); /* mm->exe_file holds the file, and so the mount, from now on */
    return result == 0 && hull_exe_is_sealed() ? 0 : -1;
}

int hull_seal_exe(char *const argv[], char *const envp[])
{
    if (hull_exe_is_sealed())
        return 0;
    int fd = readonly_clone();
    if (fd >= 0) {
        if (switch_in_place(fd) == 0) {
            close_clone(fd);
            return 0;
        }
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
