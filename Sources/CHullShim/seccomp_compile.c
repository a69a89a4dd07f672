/* Parent side of seccomp: compiles the profile of config.json to a BPF program with
 * libseccomp, so that the container's init only has to hand it to seccomp(2). The init never
 * calls into libseccomp (which allocates) between clone() and execve(). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <seccomp.h>
#include "hull_shim.h"

static void append_skipped(char *skipped, int skippedlen, const char *name)
{
    size_t used = strlen(skipped);
    if (used + strlen(name) + 2 > (size_t)skippedlen)
        return;
    snprintf(skipped + used, (size_t)skippedlen - used, "%s%s", used ? " " : "", name);
}

/* Whether two or more conditions of `rule` test the same argument. libseccomp refuses that
 * in one rule, so runc (and hull) then add one rule per condition: they match if any holds. */
static int has_repeated_index(const struct hull_seccomp_rule *rule)
{
    unsigned int seen = 0;
    for (int i = 0; i < rule->arg_count; i++) {
        unsigned int bit = 1u << rule->args[i].index;
        if (seen & bit)
            return 1;
        seen |= bit;
    }
    return 0;
}

static struct scmp_arg_cmp to_cmp(const struct hull_seccomp_arg *arg)
{
    struct scmp_arg_cmp cmp = {
        .arg = arg->index, .op = (enum scmp_compare)arg->op,
        .datum_a = arg->value, .datum_b = arg->value_two,
    };
    return cmp;
}

static int add_rule(scmp_filter_ctx ctx, int nr, const struct hull_seccomp_rule *rule,
                    const char *name, char *err, int errlen)
{
    struct scmp_arg_cmp cmps[6];
    int rc = 0;

    if (rule->arg_count == 0) {
        rc = seccomp_rule_add_array(ctx, rule->action, nr, 0, NULL);
    } else if (has_repeated_index(rule) || rule->arg_count > 6) {
        for (int i = 0; i < rule->arg_count && rc == 0; i++) {
            cmps[0] = to_cmp(&rule->args[i]);
            rc = seccomp_rule_add_array(ctx, rule->action, nr, 1, cmps);
        }
    } else {
        for (int i = 0; i < rule->arg_count; i++)
            cmps[i] = to_cmp(&rule->args[i]);
        rc = seccomp_rule_add_array(ctx, rule->action, nr, (unsigned int)rule->arg_count, cmps);
    }
    if (rc < 0)
        snprintf(err, (size_t)errlen, "add seccomp rule for %s: %s", name, strerror(-rc));
    return rc < 0 ? -1 : 0;
}

static int add_rules(scmp_filter_ctx ctx, const struct hull_seccomp_profile *profile,
                     char *skipped, int skippedlen, char *err, int errlen)
{
    for (int r = 0; r < profile->rule_count; r++) {
        const struct hull_seccomp_rule *rule = &profile->rules[r];
        /* A rule that does what the default does is redundant, and libseccomp refuses it. */
        if (rule->action == profile->default_action)
            continue;
        for (int n = 0; n < rule->name_count; n++) {
            int nr = seccomp_syscall_resolve_name(rule->names[n]);
            if (nr == __NR_SCMP_ERROR) {
                append_skipped(skipped, skippedlen, rule->names[n]);
                continue;
            }
            if (add_rule(ctx, nr, rule, rule->names[n], err, errlen) < 0)
                return -1;
        }
    }
    return 0;
}

static int add_archs(scmp_filter_ctx ctx, const struct hull_seccomp_profile *profile, char *err, int errlen)
{
    for (int i = 0; i < profile->arch_count; i++) {
        uint32_t arch = seccomp_arch_resolve_name(profile->archs[i]);
        if (arch == 0) {
            snprintf(err, (size_t)errlen, "seccomp architecture %s: unknown to libseccomp", profile->archs[i]);
            return -1;
        }
        int rc = seccomp_arch_add(ctx, arch);
        if (rc < 0 && rc != -EEXIST) {
            snprintf(err, (size_t)errlen, "add seccomp architecture %s: %s", profile->archs[i], strerror(-rc));
            return -1;
        }
    }
    return 0;
}

/* libseccomp writes the program to an fd: a memfd, read back into memory. */
static int export_bpf(scmp_filter_ctx ctx, void **filter, size_t *len, char *err, int errlen)
{
    int fd = memfd_create("hull-seccomp", MFD_CLOEXEC);
    if (fd < 0) {
        snprintf(err, (size_t)errlen, "memfd_create for the seccomp program: %s", strerror(errno));
        return -1;
    }
    int rc = seccomp_export_bpf(ctx, fd);
    off_t size = lseek(fd, 0, SEEK_END);
    if (rc < 0 || size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0) {
        snprintf(err, (size_t)errlen, "export the seccomp program: %s", strerror(rc < 0 ? -rc : EIO));
        close(fd);
        return -1;
    }
    void *buf = malloc((size_t)size);
    if (!buf || pread(fd, buf, (size_t)size, 0) != size) {
        snprintf(err, (size_t)errlen, "read the seccomp program: %s", strerror(errno ? errno : EIO));
        free(buf);
        close(fd);
        return -1;
    }
    close(fd);
    *filter = buf;
    *len = (size_t)size / sizeof(struct sock_filter);
    return 0;
}

int hull_seccomp_compile(const struct hull_seccomp_profile *profile, void **filter, size_t *len,
                         char *skipped, int skippedlen, char *err, int errlen)
{
    skipped[0] = '\0';
    scmp_filter_ctx ctx = seccomp_init(profile->default_action);
    if (!ctx) {
        snprintf(err, (size_t)errlen, "seccomp_init: invalid default action 0x%x", profile->default_action);
        return -1;
    }
    /* The init loads the program itself (and sets no_new_privs only when config.json asks);
     * a binary tree keeps long profiles (~300 syscalls) fast to evaluate. */
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
    (void)seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
    int rc = add_archs(ctx, profile, err, errlen);
    if (rc == 0)
        rc = add_rules(ctx, profile, skipped, skippedlen, err, errlen);
    if (rc == 0)
        rc = export_bpf(ctx, filter, len, err, errlen);
    seccomp_release(ctx);
    if (rc == 0 && *len > BPF_MAXINSNS) {
        snprintf(err, (size_t)errlen, "the seccomp program has %zu instructions, more than the kernel's %d",
                 *len, BPF_MAXINSNS);
        free(*filter);
        return -1;
    }
    return rc;
}

int hull_seccomp_flag_supported(unsigned int flag)
{
    /* With a NULL program a kernel that knows the flag fails with EFAULT, one that does not
     * with EINVAL (runc probes the same way). */
    long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flag, NULL);
    return rc < 0 && errno == EFAULT;
}

int hull_seccomp_action_supported(uint32_t action)
{
    return syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0;
}

int hull_seccomp_arch_usable(const char *name)
{
    uint32_t arch = seccomp_arch_resolve_name(name);
    if (arch == 0)
        return 0;
    /* libseccomp refuses to mix byte orders in one filter (EDOM). */
    scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
    if (!ctx)
        return 0;
    int rc = seccomp_arch_add(ctx, arch);
    seccomp_release(ctx);
    return rc == 0 || rc == -EEXIST;
}
