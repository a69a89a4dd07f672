/* Making the running process's executable a read-only file without re-executing it (the
 * CVE-2019-5736 defence of sealed_exe.c, at the cost of a few system calls).
 *
 * What a container can reach is /proc/PID/exe of a clone of hull (the init, an exec'd process),
 * and through a "#!/proc/self/exe" script, the file the kernel executes then: mm->exe_file,
 * which a clone inherits from hull's process. So it is enough that hull's own mm->exe_file is a
 * file on a read-only, detached mount before it clones anything. Re-executing hull from such a
 * mount does that, but costs an execve of a 30 MB binary, the dynamic loader, the Swift
 * runtime's start-up and a few hundred page faults again (about 3 ms of a `run`).
 *
 * prctl(PR_SET_MM, PR_SET_MM_MAP) with an exe_fd replaces mm->exe_file in place. It needs
 * CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE), not CAP_SYS_RESOURCE as PR_SET_MM_EXE_FILE does,
 * and the kernel refuses it (EBUSY) while any mapping still comes from the old file. So first
 * every mapping of the binary is replaced by the same bytes from the read-only clone (the same
 * inode, so the same page cache): pages never written (the text, read-only data, most of
 * .data) are mapped again from the clone with mmap(MAP_FIXED); runs of written pages (found in
 * /proc/self/pagemap: RELRO, relocated and written data, about 130 pages) are copied into an
 * anonymous mapping that one mremap moves over them. Every address holds the same bytes before
 * and after each step, so nothing running ever sees a changed byte, and the peak RSS does not
 * grow (the copies replace the private pages they were made from).
 *
 * Runs in hull's single-threaded process before anything is cloned; on any failure it returns
 * -1 and the caller re-executes instead (the mappings it replaced hold the same bytes). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/prctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include "hull_shim.h"

#define MAX_EXE_MAPPINGS 32
#define PAGEMAP_PRESENT (1ULL << 63)
#define PAGEMAP_SWAPPED (1ULL << 62)
#define PAGEMAP_FILE (1ULL << 61)

struct exe_mapping {
    uintptr_t start, end;
    int prot;
    off_t offset;
};

/* Reads a whole (small) procfs file into buf, NUL-terminated; its length, or -1. */
static ssize_t read_small_file(const char *path, char *buf, size_t size)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t len = 0;
    for (;;) {
        if (len + 1 >= size) {
            close(fd);
            errno = EFBIG;
            return -1;
        }
        ssize_t n = read(fd, buf + len, size - 1 - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            int saved = errno;
            close(fd);
            errno = saved;
            return -1;
        }
        if (n == 0)
            break;
        len += (size_t)n;
    }
    close(fd);
    buf[len] = '\0';
    return (ssize_t)len;
}

/* The mappings of the file (dev, ino) in /proc/self/maps; their number, or -1. */
static int find_exe_mappings(dev_t dev, ino_t ino, struct exe_mapping *out)
{
    char maps[32768];
    if (read_small_file("/proc/self/maps", maps, sizeof maps) < 0)
        return -1;
    int count = 0;
    for (char *line = maps; *line;) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        else
            next = line + strlen(line);
        unsigned long start, end, offset, inode;
        unsigned int major_no, minor_no;
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &start, &end, perms, &offset, &major_no, &minor_no, &inode) == 7
            && inode == (unsigned long)ino && makedev(major_no, minor_no) == dev) {
            if (count == MAX_EXE_MAPPINGS || perms[3] != 'p') {
                errno = E2BIG; /* a shared mapping of the binary is nothing hull makes */
                return -1;
            }
            out[count].start = start;
            out[count].end = end;
            out[count].offset = (off_t)offset;
            out[count].prot = (perms[0] == 'r' ? PROT_READ : 0) | (perms[1] == 'w' ? PROT_WRITE : 0)
                              | (perms[2] == 'x' ? PROT_EXEC : 0);
            count++;
        }
        line = next;
    }
    return count;
}

/* Whether the page's pagemap entry says it was written (a private copy, in memory or swap). */
static int page_written(uint64_t entry)
{
    return (entry & PAGEMAP_SWAPPED) || ((entry & PAGEMAP_PRESENT) && !(entry & PAGEMAP_FILE));
}

/* Maps pages [first, first + count) of mapping m from `exe` again, over themselves. 0, or -1. */
static int remap_unwritten(const struct exe_mapping *m, int exe, size_t first, size_t count, size_t page)
{
    void *at = (void *)(m->start + first * page);
    return mmap(at, count * page, m->prot, MAP_PRIVATE | MAP_FIXED, exe, m->offset + (off_t)(first * page)) == at ? 0 : -1;
}

/* Copies n words from the binary's own data. Not memcpy: AddressSanitizer (make test-sanitize)
 * would check the whole range, redzones between globals included, and report an overflow;
 * the volatile reads keep the compiler from turning the loop back into a memcpy call. */
__attribute__((no_sanitize("address")))
static void copy_words(uint64_t *to, const volatile uint64_t *from, size_t n)
{
    for (size_t i = 0; i < n; i++)
        to[i] = from[i];
}

/* Replaces pages [first, first + count) of mapping m, which were written, by an anonymous copy
 * moved over them in one mremap. 0, or -1. */
static int replace_written(const struct exe_mapping *m, size_t first, size_t count, size_t page)
{
    char *at = (char *)(m->start + first * page);
    size_t len = count * page;
    if (!(m->prot & PROT_READ)) {
        errno = EACCES;
        return -1;
    }
    char *copy = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
    if (copy == MAP_FAILED)
        return -1;
    copy_words((uint64_t *)copy, (const volatile uint64_t *)at, len / sizeof(uint64_t));
    if ((m->prot != (PROT_READ | PROT_WRITE) && mprotect(copy, len, m->prot) < 0)
        || mremap(copy, len, len, MREMAP_MAYMOVE | MREMAP_FIXED, at) != at) {
        munmap(copy, len);
        return -1;
    }
    return 0;
}

/* Replaces one mapping of the binary, run by run of written or unwritten pages, by the same
 * bytes from `exe`: every address holds the same bytes before and after each step. 0, or -1. */
static int remap_from(const struct exe_mapping *m, int exe, int pagemap, uint64_t *entries, size_t page)
{
    size_t pages = (m->end - m->start) / page;
    ssize_t want = (ssize_t)(pages * sizeof *entries);
    if (pread(pagemap, entries, (size_t)want, (off_t)(m->start / page * sizeof *entries)) != want)
        return -1;
    for (size_t first = 0; first < pages;) {
        int written = page_written(entries[first]);
        size_t count = 1;
        while (first + count < pages && page_written(entries[first + count]) == written)
            count++;
        if ((written ? replace_written(m, first, count, page) : remap_unwritten(m, exe, first, count, page)) < 0)
            return -1;
        first += count;
    }
    return 0;
}

/* The fields of /proc/self/stat that PR_SET_MM_MAP sets again (it sets all of them). 0, or -1. */
static int current_mm_map(struct prctl_mm_map *map)
{
    char stat[4096];
    if (read_small_file("/proc/self/stat", stat, sizeof stat) < 0)
        return -1;
    char *p = strrchr(stat, ')'); /* the command name may hold anything but ends there */
    if (!p)
        return -1;
    unsigned long long field[53] = { 0 };
    int n = 3; /* p + 2 is field 3, the state */
    for (p = strchr(p + 2, ' '); p && n < 52; p = strchr(p + 1, ' '))
        field[++n] = strtoull(p + 1, NULL, 10);
    if (n < 51)
        return -1;
    if (field[20] != 1) { /* num_threads: another thread could move brk meanwhile */
        errno = EBUSY;
        return -1;
    }
    memset(map, 0, sizeof *map);
    map->start_code = field[26];
    map->end_code = field[27];
    map->start_stack = field[28];
    map->start_data = field[45];
    map->end_data = field[46];
    map->start_brk = field[47];
    map->arg_start = field[48];
    map->arg_end = field[49];
    map->env_start = field[50];
    map->env_end = field[51];
    map->brk = (uint64_t)syscall(SYS_brk, 0);
    return 0;
}

int hull_exe_swap(int exe)
{
    struct stat st;
    int own = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
    if (own < 0)
        return -1;
    int ok = fstat(own, &st);
    close(own);
    if (ok < 0)
        return -1;
    struct exe_mapping maps[MAX_EXE_MAPPINGS];
    int count = find_exe_mappings(st.st_dev, st.st_ino, maps);
    if (count <= 0)
        return -1;
    size_t page = (size_t)sysconf(_SC_PAGESIZE), most = 0;
    for (int i = 0; i < count; i++)
        if (maps[i].end - maps[i].start > most)
            most = maps[i].end - maps[i].start;
    size_t entries_len = most / page * sizeof(uint64_t);
    uint64_t *entries = mmap(NULL, entries_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    int pagemap = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
    int result = entries == MAP_FAILED || pagemap < 0 ? -1 : 0;
    for (int i = 0; i < count && result == 0; i++)
        result = remap_from(&maps[i], exe, pagemap, entries, page);
    int saved = errno;
    if (pagemap >= 0)
        close(pagemap);
    if (entries != MAP_FAILED)
        munmap(entries, entries_len);
    errno = saved;
    if (result < 0)
        return -1;
    struct prctl_mm_map map;
    if (current_mm_map(&map) < 0)
        return -1;
    map.exe_fd = (uint32_t)exe;
    return prctl(PR_SET_MM, PR_SET_MM_MAP, (unsigned long)&map, sizeof map, 0) < 0 ? -1 : 0;
}
