/* Parent side of seccomp: compiles the profile of config.json to a BPF program with
 * libseccomp, so that the container's init only has to hand it to seccomp(2). The init never
 * calls into libseccomp (which allocates) between clone() and execve(). */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
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

/* ---- runc's ENOSYS stub ------------------------------------------------------------------
 * A profile lists the system calls its author knew. Under a blocking default action a newer
 * system call (clone3, faccessat2 ...) would fail with EPERM, and libc would not fall back to an
 * older one, which it does on ENOSYS. runc therefore puts a stub in front of the program: on each
 * architecture of the filter, a system call numbered above every one the profile names returns
 * ENOSYS. hull does the same. */

#define STUB_MAX_ARCHS 8
#define X32_SYSCALL_BIT 0x40000000u

static int filter_arches(const struct hull_seccomp_profile *profile, uint32_t *arches)
{
    int count = 0;
    uint32_t candidates[STUB_MAX_ARCHS + 1];
    int n = 0;
    candidates[n++] = seccomp_arch_native();
    for (int i = 0; i < profile->arch_count && n <= STUB_MAX_ARCHS; i++)
        candidates[n++] = seccomp_arch_resolve_name(profile->archs[i]);
    for (int i = 0; i < n && count < STUB_MAX_ARCHS; i++) {
        /* x32 calls reach the kernel as x86_64 ones with X32_SYSCALL_BIT: no arch of their own. */
        if (candidates[i] == 0 || candidates[i] == SCMP_ARCH_X32)
            continue;
        int seen = 0;
        for (int j = 0; j < count; j++)
            seen |= arches[j] == candidates[i];
        if (!seen)
            arches[count++] = candidates[i];
    }
    return count;
}

static int highest_syscall(const struct hull_seccomp_profile *profile, uint32_t arch)
{
    int highest = -1;
    for (int r = 0; r < profile->rule_count; r++)
        for (int n = 0; n < profile->rules[r].name_count; n++) {
            int nr = seccomp_syscall_resolve_name_arch(arch, profile->rules[r].names[n]);
            if (nr > highest)
                highest = nr;
        }
    return highest;
}

static void jump_to(struct sock_filter *insn, int from, int target, int true_branch)
{
    unsigned char offset = (unsigned char)(target - (from + 1));
    if (true_branch)
        insn[from].jt = offset;
    else
        insn[from].jf = offset;
}

/* Builds the stub in `stub` (room for 4 + 4 * STUB_MAX_ARCHS instructions); returns its length,
 * 0 when none is needed. */
static int build_enosys_stub(const struct hull_seccomp_profile *profile, struct sock_filter *stub)
{
    uint32_t arches[STUB_MAX_ARCHS];
    int to_main[3 * STUB_MAX_ARCHS], to_main_true[3 * STUB_MAX_ARCHS], mains = 0;
    int to_enosys[STUB_MAX_ARCHS], enosyses = 0;
    int n = 0;

    if (profile->default_action == SCMP_ACT_ALLOW || profile->default_action == SCMP_ACT_LOG)
        return 0;
    int count = filter_arches(profile, arches);
    stub[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    for (int i = 0; i < count; i++) {
        int highest = highest_syscall(profile, arches[i]);
        if (highest < 0)
            continue;
        int x86_64 = arches[i] == SCMP_ARCH_X86_64;
        int rest = x86_64 ? 3 : 2;   /* instructions after the arch test */
        stub[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, arches[i], 0, rest);
        stub[n++] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
        if (x86_64) {
            to_main[mains] = n, to_main_true[mains++] = 1;
            stub[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, X32_SYSCALL_BIT, 0, 0);
        }
        to_enosys[enosyses++] = n;
        to_main[mains] = n, to_main_true[mains++] = 0;
        stub[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGT | BPF_K, (uint32_t)highest, 0, 0);
    }
    if (enosyses == 0)
        return 0;
    int no_arch = n;
    stub[n++] = (struct sock_filter)BPF_STMT(BPF_JMP | BPF_JA, 0);
    int enosys = n;
    stub[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
    int main_program = n;
    stub[no_arch].k = (uint32_t)(main_program - (no_arch + 1));
    for (int i = 0; i < mains; i++)
        jump_to(stub, to_main[i], main_program, to_main_true[i]);
    for (int i = 0; i < enosyses; i++)
        jump_to(stub, to_enosys[i], enosys, 1);
    return n;
}

static int prepend_enosys_stub(const struct hull_seccomp_profile *profile, void **filter, size_t *len,
                               char *err, int errlen)
{
    struct sock_filter stub[4 + 4 * STUB_MAX_ARCHS];
    int n = build_enosys_stub(profile, stub);
    if (n == 0)
        return 0;
    struct sock_filter *program = malloc((*len + (size_t)n) * sizeof *program);
    if (!program) {
        snprintf(err, (size_t)errlen, "allocate the seccomp program: %s", strerror(errno));
        return -1;
    }
    memcpy(program, stub, (size_t)n * sizeof *program);
    memcpy(program + n, *filter, *len * sizeof *program);
    free(*filter);
    *filter = program;
    *len += (size_t)n;
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
    if (rc == 0 && prepend_enosys_stub(profile, filter, len, err, errlen) < 0) {
        free(*filter);
        return -1;
    }
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
