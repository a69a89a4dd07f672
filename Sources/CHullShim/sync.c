/* The sync socket between hull and the container's init: fixed-size messages on a
 * SOCK_SEQPACKET socketpair, so one send is one receive. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include "shim_internal.h"

static int send_msg(int fd, const struct hull_sync_msg *msg)
{
    ssize_t n;
    do {
        n = send(fd, msg, sizeof *msg, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    if (n < 0)
        return -1;
    if ((size_t)n != sizeof *msg) {
        errno = EPROTO;
        return -1;
    }
    return 0;
}

int hull_sync_send(int fd, int type)
{
    struct hull_sync_msg msg;
    memset(&msg, 0, sizeof msg);
    msg.type = type;
    return send_msg(fd, &msg);
}

int hull_sync_recv_fd(int fd, struct hull_sync_msg *msg, int *passed_fd)
{
    long n = hull_recv_with_fd(fd, msg, sizeof *msg, passed_fd);
    if (n < 0)
        return -1;
    if (n == 0 || (size_t)n != sizeof *msg) {
        if (*passed_fd >= 0)
            close(*passed_fd);
        *passed_fd = -1;
        errno = n == 0 ? EPIPE : EPROTO;
        return -1;
    }
    msg->text[sizeof msg->text - 1] = '\0';
    return 0;
}

int hull_sync_recv(int fd, struct hull_sync_msg *msg)
{
    int passed;
    int rc = hull_sync_recv_fd(fd, msg, &passed);
    if (passed >= 0)
        close(passed);
    return rc;
}

int child_send_fd(int sync_fd, int type, int passed_fd)
{
    struct hull_sync_msg msg;
    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = &msg, .iov_len = sizeof msg };
    struct msghdr mh;
    ssize_t n;

    memset(&msg, 0, sizeof msg);
    msg.type = type;
    memset(&mh, 0, sizeof mh);
    memset(control, 0, sizeof control);
    mh.msg_iov = &iov;
    mh.msg_iovlen = 1;
    mh.msg_control = control;
    mh.msg_controllen = sizeof control;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&mh);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &passed_fd, sizeof(int));
    do {
        n = sendmsg(sync_fd, &mh, MSG_NOSIGNAL);
    } while (n < 0 && errno == EINTR);
    return n == (ssize_t)sizeof msg ? 0 : -1;
}

void child_die(int sync_fd, int err, const char *fmt, ...)
{
    struct hull_sync_msg msg;
    va_list ap;

    memset(&msg, 0, sizeof msg);
    msg.type = HULL_SYNC_ERROR;
    msg.err = err;
    va_start(ap, fmt);
    vsnprintf(msg.text, sizeof msg.text, fmt, ap);
    va_end(ap);
    (void)send_msg(sync_fd, &msg);
    _exit(1);
}

void child_wait_go(int sync_fd)
{
    struct hull_sync_msg msg;
    if (hull_sync_recv(sync_fd, &msg) < 0 || msg.type != HULL_SYNC_GO)
        _exit(1);
}

const char *fd_path(int fd, char *buf)
{
    snprintf(buf, 32, "/proc/self/fd/%d", fd);
    return buf;
}
