/* The cgroup v2 device filter (parent side): a BPF_PROG_TYPE_CGROUP_DEVICE program built from
 * the container's device rules, loaded and attached to its cgroup directory.
 *
 * Semantics (those of the v1 devices controller that hull programs for v1 hosts): the rules
 * are read as "deny all, then each rule in order"; the last rule that matches a device and an
 * access bit decides for that bit, and an access (read|write, mknod) is allowed only when every
 * bit of it is. So the program has one section per access bit; each section tests the rules that
 * name its bit from the last to the first, and the first match ends the section.
 *
 * The context the kernel passes (struct bpf_cgroup_dev_ctx) is three u32: access_type (device
 * type in the low 16 bits, BPF_DEVCG_ACC_* in the high 16), major and minor. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "hull_shim.h"

/* Registers the program keeps its inputs in. */
enum { R0 = 0, R1 = 1, REG_TYPE = 2, REG_ACCESS = 3, REG_MAJOR = 4, REG_MINOR = 5, REG_TMP = 6 };

/* The kernel's limit on a program's size before 5.2 (later kernels take more from root). */
#define MAX_INSNS 4096
#define MAX_PROGRAMS 64

struct program {
    struct bpf_insn insns[MAX_INSNS];
    int count;
    int overflow;
};

static void format_err(char *err, int errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, (size_t)errlen, fmt, ap);
    va_end(ap);
}

static int emit(struct program *p, struct bpf_insn insn)
{
    if (p->count >= MAX_INSNS) {
        p->overflow = 1;
        return p->count;
    }
    p->insns[p->count] = insn;
    return p->count++;
}

static struct bpf_insn insn(uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
    struct bpf_insn i;
    memset(&i, 0, sizeof i);
    i.code = code;
    i.dst_reg = dst & 0xf;
    i.src_reg = src & 0xf;
    i.off = off;
    i.imm = imm;
    return i;
}

/* A jump whose target is not known yet: `off` is patched by land(). */
static int emit_jump(struct program *p, uint8_t op, uint8_t dst, uint8_t src, int32_t imm)
{
    return emit(p, insn(BPF_JMP | op, dst, src, 0, imm));
}

/* Points the jump at `index` to the next instruction to be emitted. */
static void land(struct program *p, int index)
{
    if (p->overflow || index >= p->count)
        return;
    p->insns[index].off = (int16_t)(p->count - index - 1);
}

static void emit_return(struct program *p, int32_t value)
{
    emit(p, insn(BPF_ALU | BPF_MOV | BPF_K, R0, 0, 0, value));
    emit(p, insn(BPF_JMP | BPF_EXIT, 0, 0, 0, 0));
}

/* "if (reg != value) goto <patched later>". A value above INT32_MAX would be sign-extended as
 * an immediate; it goes through a register loaded with a 32-bit (zero-extending) move. */
static int emit_jump_unless_equal(struct program *p, uint8_t reg, int64_t value)
{
    if (value <= INT32_MAX)
        return emit_jump(p, BPF_JNE | BPF_K, reg, 0, (int32_t)value);
    emit(p, insn(BPF_ALU | BPF_MOV | BPF_K, REG_TMP, 0, 0, (int32_t)(uint32_t)value));
    return emit_jump(p, BPF_JNE | BPF_X, reg, REG_TMP, 0);
}

static int bpf_type(char type)
{
    return type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR;
}

/* One section: the verdict for access bit `bit` (a BPF_DEVCG_ACC_* value, `mask` the rules'
 * HULL_DEVICE_ACCESS_* bit). Falls through to the next section when the bit is allowed or not
 * asked for; returns 0 (deny) otherwise. */
static void emit_section(struct program *p, const struct hull_device_rule *rules, int count,
                         int bit, unsigned int mask, int default_allow)
{
    int to_next_section[MAX_INSNS];
    int pending = 0, decided = 0;

    emit(p, insn(BPF_ALU | BPF_MOV | BPF_X, REG_TMP, REG_ACCESS, 0, 0));
    emit(p, insn(BPF_ALU | BPF_AND | BPF_K, REG_TMP, 0, 0, bit));
    to_next_section[pending++] = emit_jump(p, BPF_JEQ | BPF_K, REG_TMP, 0, 0);

    for (int i = count - 1; i >= 0 && !p->overflow; i--) {
        const struct hull_device_rule *rule = &rules[i];
        if (!(rule->access & mask))
            continue;
        int to_next_rule[3], misses = 0;
        if (rule->type != 'a') {
            to_next_rule[misses++] = emit_jump(p, BPF_JNE | BPF_K, REG_TYPE, 0, bpf_type(rule->type));
            if (rule->major >= 0)
                to_next_rule[misses++] = emit_jump_unless_equal(p, REG_MAJOR, rule->major);
            if (rule->minor >= 0)
                to_next_rule[misses++] = emit_jump_unless_equal(p, REG_MINOR, rule->minor);
        }
        if (rule->allow) {
            if (pending < MAX_INSNS)
                to_next_section[pending++] = emit_jump(p, BPF_JA, 0, 0, 0);
        } else {
            emit_return(p, 0);
        }
        for (int m = 0; m < misses; m++)
            land(p, to_next_rule[m]);
        /* A rule for every device of every type decides alone: earlier rules cannot match (and
         * the verifier refuses instructions no path reaches). */
        if (rule->type == 'a') {
            decided = 1;
            break;
        }
    }
    if (!decided && !default_allow)
        emit_return(p, 0);
    for (int j = 0; j < pending; j++)
        land(p, to_next_section[j]);
}

static int check_rules(const struct hull_device_rule *rules, int count, char *err, int errlen)
{
    for (int i = 0; i < count; i++) {
        const struct hull_device_rule *rule = &rules[i];
        if (rule->type != 'a' && rule->type != 'c' && rule->type != 'b') {
            format_err(err, errlen, "device rule %d: invalid type '%c' (expected a, b or c)", i, rule->type);
            return -1;
        }
        if (rule->major > (int64_t)UINT32_MAX || rule->minor > (int64_t)UINT32_MAX) {
            format_err(err, errlen, "device rule %d: major or minor number out of range", i);
            return -1;
        }
        if (rule->access & ~(unsigned)(HULL_DEVICE_ACCESS_READ | HULL_DEVICE_ACCESS_WRITE | HULL_DEVICE_ACCESS_MKNOD)) {
            format_err(err, errlen, "device rule %d: invalid access bits 0x%x", i, rule->access);
            return -1;
        }
    }
    return 0;
}

static int build(struct program *p, const struct hull_device_rule *rules, int count, int default_allow,
                 char *err, int errlen)
{
    if (count < 0 || (count > 0 && rules == NULL)) {
        format_err(err, errlen, "device filter: invalid rule list");
        return -1;
    }
    if (check_rules(rules, count, err, errlen) != 0)
        return -1;
    memset(p, 0, sizeof *p);
    /* type = access_type & 0xffff; access = access_type >> 16; major; minor */
    emit(p, insn(BPF_LDX | BPF_MEM | BPF_W, REG_TYPE, R1, 0, 0));
    emit(p, insn(BPF_ALU | BPF_AND | BPF_K, REG_TYPE, 0, 0, 0xffff));
    emit(p, insn(BPF_LDX | BPF_MEM | BPF_W, REG_ACCESS, R1, 0, 0));
    emit(p, insn(BPF_ALU | BPF_RSH | BPF_K, REG_ACCESS, 0, 0, 16));
    emit(p, insn(BPF_LDX | BPF_MEM | BPF_W, REG_MAJOR, R1, 4, 0));
    emit(p, insn(BPF_LDX | BPF_MEM | BPF_W, REG_MINOR, R1, 8, 0));
    emit_section(p, rules, count, BPF_DEVCG_ACC_MKNOD, HULL_DEVICE_ACCESS_MKNOD, default_allow);
    emit_section(p, rules, count, BPF_DEVCG_ACC_READ, HULL_DEVICE_ACCESS_READ, default_allow);
    emit_section(p, rules, count, BPF_DEVCG_ACC_WRITE, HULL_DEVICE_ACCESS_WRITE, default_allow);
    emit_return(p, 1);
    if (p->overflow) {
        format_err(err, errlen, "device filter: %d rules make a program larger than %d instructions",
                   count, MAX_INSNS);
        return -1;
    }
    return 0;
}

int hull_device_filter_build(const struct hull_device_rule *rules, int count, int default_allow,
                             uint64_t *insns, int capacity, char *err, int errlen)
{
    struct program *p = malloc(sizeof *p);
    if (p == NULL) {
        format_err(err, errlen, "device filter: out of memory");
        return -1;
    }
    int result = -1;
    if (build(p, rules, count, default_allow, err, errlen) == 0) {
        if (p->count > capacity) {
            format_err(err, errlen, "device filter: %d instructions do not fit in %d", p->count, capacity);
        } else {
            memcpy(insns, p->insns, (size_t)p->count * sizeof(struct bpf_insn));
            result = p->count;
        }
    }
    free(p);
    return result;
}

static long sys_bpf(int cmd, union bpf_attr *attr)
{
    return syscall(SYS_bpf, cmd, attr, sizeof *attr);
}

/* BPF_PROG_LOAD. Kernels before 5.11 charge programs to RLIMIT_MEMLOCK: on EPERM the limit is
 * raised (in hull only: the container's init already runs) and the load retried. A program the
 * verifier refuses is reported with the last line of its log. */
static int load_program(const struct program *p, char *err, int errlen)
{
    char log[8192];
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    attr.insns = (uint64_t)(uintptr_t)p->insns;
    attr.insn_cnt = (uint32_t)p->count;
    attr.license = (uint64_t)(uintptr_t)"Apache";
    strncpy(attr.prog_name, "hull_devices", sizeof attr.prog_name - 1);
    long fd = sys_bpf(BPF_PROG_LOAD, &attr);
    if (fd < 0 && errno == EPERM) {
        struct rlimit unlimited = { RLIM_INFINITY, RLIM_INFINITY };
        if (setrlimit(RLIMIT_MEMLOCK, &unlimited) == 0)
            fd = sys_bpf(BPF_PROG_LOAD, &attr);
        else
            errno = EPERM;
    }
    if (fd < 0 && (errno == EINVAL || errno == EACCES)) {
        int saved = errno;
        log[0] = '\0';
        attr.log_buf = (uint64_t)(uintptr_t)log;
        attr.log_size = sizeof log;
        attr.log_level = 1;
        fd = sys_bpf(BPF_PROG_LOAD, &attr);
        if (fd < 0) {
            size_t len = strnlen(log, sizeof log);
            while (len > 0 && log[len - 1] == '\n')
                log[--len] = '\0';
            char *last = strrchr(log, '\n');
            format_err(err, errlen, "bpf(BPF_PROG_LOAD) of the device filter: %s%s%s", strerror(saved),
                       len ? ": " : "", last ? last + 1 : log);
            errno = saved;
            return -1;
        }
    }
    if (fd < 0) {
        format_err(err, errlen, "bpf(BPF_PROG_LOAD) of the device filter: %s", strerror(errno));
        return -1;
    }
    return (int)fd;
}

/* The ids of the device programs attached to the cgroup itself (not its ancestors'). */
static int query_programs(int cgroup_fd, uint32_t *ids, uint32_t capacity, char *err, int errlen)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.query.target_fd = (uint32_t)cgroup_fd;
    attr.query.attach_type = BPF_CGROUP_DEVICE;
    attr.query.prog_ids = (uint64_t)(uintptr_t)ids;
    attr.query.prog_cnt = capacity;
    if (sys_bpf(BPF_PROG_QUERY, &attr) != 0) {
        format_err(err, errlen, "bpf(BPF_PROG_QUERY, BPF_CGROUP_DEVICE): %s%s", strerror(errno),
                   errno == ENOSPC ? " (more than 64 programs attached)" : "");
        return -1;
    }
    return (int)attr.query.prog_cnt;
}

static int open_cgroup(const char *dir, char *err, int errlen)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        format_err(err, errlen, "open cgroup %s: %s", dir, strerror(errno));
    return fd;
}

/* Detaches the program `id` from the cgroup. One that has gone meanwhile is no error, and
 * neither is one hull may not open (an LSM's): device programs only add restrictions. */
static int detach_program(int cgroup_fd, uint32_t id, char *err, int errlen)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.prog_id = id;
    long prog_fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
    if (prog_fd < 0) {
        if (errno == ENOENT || errno == EPERM || errno == EACCES)
            return 0;
        format_err(err, errlen, "bpf(BPF_PROG_GET_FD_BY_ID %u): %s", id, strerror(errno));
        return -1;
    }
    memset(&attr, 0, sizeof attr);
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    long result = sys_bpf(BPF_PROG_DETACH, &attr);
    int saved = errno;
    close((int)prog_fd);
    if (result != 0 && saved != ENOENT) {
        format_err(err, errlen, "bpf(BPF_PROG_DETACH) of the old device filter %u: %s", id, strerror(saved));
        errno = saved;
        return -1;
    }
    return 0;
}

static int attach_program(int cgroup_fd, int prog_fd, char *err, int errlen)
{
    union bpf_attr attr;
    memset(&attr, 0, sizeof attr);
    attr.target_fd = (uint32_t)cgroup_fd;
    attr.attach_bpf_fd = (uint32_t)prog_fd;
    attr.attach_type = BPF_CGROUP_DEVICE;
    attr.attach_flags = BPF_F_ALLOW_MULTI;
    if (sys_bpf(BPF_PROG_ATTACH, &attr) != 0) {
        format_err(err, errlen, "bpf(BPF_PROG_ATTACH, BPF_CGROUP_DEVICE, BPF_F_ALLOW_MULTI): %s", strerror(errno));
        return -1;
    }
    return 0;
}

int hull_device_filter_apply(const char *cgroup_dir, const struct hull_device_rule *rules, int count,
                             int default_allow, char *err, int errlen)
{
    struct program *p = malloc(sizeof *p);
    if (p == NULL) {
        format_err(err, errlen, "device filter: out of memory");
        return -1;
    }
    int result = -1, cgroup_fd = -1, prog_fd = -1;
    uint32_t old[MAX_PROGRAMS];
    int old_count;
    if (build(p, rules, count, default_allow, err, errlen) != 0)
        goto out;
    if ((cgroup_fd = open_cgroup(cgroup_dir, err, errlen)) < 0)
        goto out;
    if ((old_count = query_programs(cgroup_fd, old, MAX_PROGRAMS, err, errlen)) < 0)
        goto out;
    if ((prog_fd = load_program(p, err, errlen)) < 0)
        goto out;
    /* The new program first, then the old ones go: there is no moment without a filter. */
    if (attach_program(cgroup_fd, prog_fd, err, errlen) != 0)
        goto out;
    for (int i = 0; i < old_count; i++) {
        if (detach_program(cgroup_fd, old[i], err, errlen) != 0)
            goto out;
    }
    result = 0;
out:
    if (prog_fd >= 0)
        close(prog_fd);
    if (cgroup_fd >= 0)
        close(cgroup_fd);
    free(p);
    return result;
}

int hull_device_filter_count(const char *cgroup_dir, char *err, int errlen)
{
    uint32_t ids[MAX_PROGRAMS];
    int cgroup_fd = open_cgroup(cgroup_dir, err, errlen);
    if (cgroup_fd < 0)
        return -1;
    int count = query_programs(cgroup_fd, ids, MAX_PROGRAMS, err, errlen);
    close(cgroup_fd);
    return count;
}
