/* signalfd(2) for the parent's foreground wait (ForegroundSession.swift). */
#include <errno.h>
#include <unistd.h>
#include <sys/signalfd.h>
#include "hull_shim.h"

int hull_signalfd(const sigset_t *set)
{
    return signalfd(-1, set, SFD_NONBLOCK | SFD_CLOEXEC);
}

int hull_signalfd_next(int fd)
{
    struct signalfd_siginfo info;
    ssize_t n;
    do {
        n = read(fd, &info, sizeof info);
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof info)
        return -1;
    return (int)info.ssi_signo;
}
