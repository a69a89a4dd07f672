/* Sending a file descriptor over a unix socket (SCM_RIGHTS), as engines expect for
 * --pidfd-socket (and later --console-socket). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include "hull_shim.h"

int hull_send_fd(const char *path, int fd, const char *name)
{
    struct sockaddr_un addr;
    if (strlen(path) >= sizeof addr.sun_path) {
        errno = ENAMETOOLONG;
        return -1;
    }
    int sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (sock < 0)
        return -1;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    strcpy(addr.sun_path, path);
    if (connect(sock, (struct sockaddr *)&addr, sizeof addr) < 0)
        goto fail;

    char control[CMSG_SPACE(sizeof(int))];
    struct iovec iov = { .iov_base = (void *)name, .iov_len = strlen(name) };
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    memset(control, 0, sizeof control);
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    struct cmsghdr *cmsg = CMSG_FIRSTHDR(&msg);
    cmsg->cmsg_level = SOL_SOCKET;
    cmsg->cmsg_type = SCM_RIGHTS;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(cmsg), &fd, sizeof(int));
    if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
        goto fail;
    close(sock);
    return 0;
fail:;
    int saved = errno;
    close(sock);
    errno = saved;
    return -1;
}
