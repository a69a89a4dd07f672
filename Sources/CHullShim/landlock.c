/* Landlock (process.landlock): a ruleset of the rights the parent computed, applied by the
 * process to itself just before its seccomp filter. The structures are the kernel's
 * (<linux/landlock.h>), spelled out here because Debian 12's headers predate the network
 * rules. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "shim_internal.h"

#define LL_CREATE_RULESET_VERSION 1U
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2
/* The rights that apply to a file (not only to a directory): execute, write_file, read_file,
 * truncate, ioctl_dev. The kernel refuses directory rights on a rule for a file. */
#define LL_FILE_RIGHTS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net;
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
    uint64_t allowed_access;
    uint64_t port;
};

int hull_landlock_abi(void)
{
    long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    return abi < 0 ? 0 : (int)abi;
}

static void add_path_rule(int ruleset, const struct hull_landlock_path *rule, int sync_fd)
{
    struct stat st;
    int fd = open(rule->path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        child_die(sync_fd, errno, "process.landlock: open %s for a pathBeneath rule", rule->path);
    if (fstat(fd, &st) < 0)
        child_die(sync_fd, errno, "process.landlock: stat %s", rule->path);
    struct ll_path_beneath_attr attr = {
        .allowed_access = S_ISDIR(st.st_mode) ? rule->allowed : rule->allowed & LL_FILE_RIGHTS,
        .parent_fd = fd,
    };
    if (attr.allowed_access != 0 &&
        syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &attr, 0) < 0)
        child_die(sync_fd, errno, "process.landlock: add the rule for %s", rule->path);
    close(fd);
}

static void add_port_rule(int ruleset, const struct hull_landlock_port *rule, int sync_fd)
{
    struct ll_net_port_attr attr = { .allowed_access = rule->allowed, .port = rule->port };
    if (attr.allowed_access != 0 &&
        syscall(SYS_landlock_add_rule, ruleset, LL_RULE_NET_PORT, &attr, 0) < 0)
        child_die(sync_fd, errno, "process.landlock: add the rule for TCP port %llu",
                  (unsigned long long)rule->port);
}

void apply_landlock(const struct hull_security *sec, int sync_fd)
{
    const struct hull_landlock *ll = &sec->landlock;
    if (!ll->handled_fs && !ll->handled_net)
        return;
    struct ll_ruleset_attr attr = {
        .handled_access_fs = ll->handled_fs,
        .handled_access_net = ll->handled_net,
    };
    int ruleset = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
    if (ruleset < 0)
        child_die(sync_fd, errno, "process.landlock: create the ruleset");
    for (int i = 0; i < ll->path_count; i++)
        add_path_rule(ruleset, &ll->paths[i], sync_fd);
    for (int i = 0; i < ll->port_count; i++)
        add_port_rule(ruleset, &ll->ports[i], sync_fd);
    if (syscall(SYS_landlock_restrict_self, ruleset, 0) < 0)
        child_die(sync_fd, errno, "process.landlock: restrict the process");
    close(ruleset);
}
