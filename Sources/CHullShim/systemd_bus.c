/* The systemd cgroup driver's D-Bus calls (parent side): StartTransientUnit, SetUnitProperties,
 * StopUnit and ResetFailedUnit on org.freedesktop.systemd1, through libsystemd's sd-bus.
 *
 * libsystemd is loaded with dlopen() here, on the --systemd-cgroup path only, and never linked:
 * every hull process pays the dynamic loader for each shared library it links (relocating
 * libstdc++ was 2.6 M of the 3.0 M instructions of `hull --version`, docs/performance.md), and
 * libsystemd.so.0 brings libcap, libgcrypt, liblzma, libzstd and liblz4 with it. The header
 * (libsystemd-dev) gives the prototypes; the function pointers are resolved by name.
 *
 * As runc (go-systemd), root talks to the system bus, or to systemd's private socket
 * /run/systemd/private when no bus daemon runs. A job's end is its JobRemoved signal: systemd
 * sends it to the client that queued the job, and to every direct (private socket) client. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <systemd/sd-bus.h>
#include "hull_shim.h"

#define SD_DESTINATION "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_PRIVATE_ADDRESS "unix:path=/run/systemd/private"

/* The sd-bus functions used, resolved from libsystemd.so.0 by load_sd_bus(). */
static struct {
    int loaded;
    __typeof__(sd_bus_open_system) *open_system;
    __typeof__(sd_bus_new) *bus_new;
    __typeof__(sd_bus_set_address) *set_address;
    __typeof__(sd_bus_start) *start;
    __typeof__(sd_bus_flush_close_unref) *close_unref;
    __typeof__(sd_bus_message_new_method_call) *new_method_call;
    __typeof__(sd_bus_message_append) *append;
    __typeof__(sd_bus_message_append_array) *append_array;
    __typeof__(sd_bus_message_open_container) *open_container;
    __typeof__(sd_bus_message_close_container) *close_container;
    __typeof__(sd_bus_message_read) *read;
    __typeof__(sd_bus_message_unref) *message_unref;
    __typeof__(sd_bus_call) *call;
    __typeof__(sd_bus_match_signal) *match_signal;
    __typeof__(sd_bus_slot_unref) *slot_unref;
    __typeof__(sd_bus_process) *process;
    __typeof__(sd_bus_wait) *wait;
    __typeof__(sd_bus_error_free) *error_free;
} sd;

static void set_err(char *err, int errlen, const char *fmt, const char *a, const char *b)
{
    if (err && errlen > 0) snprintf(err, (size_t)errlen, fmt, a, b);
}

#define RESOLVE(field, name)                                                              \
    do {                                                                                  \
        *(void **)(&sd.field) = dlsym(lib, name);                                         \
        if (!sd.field) {                                                                  \
            set_err(err, errlen, "libsystemd.so.0 has no %s%s", name, "");                \
            return -1;                                                                    \
        }                                                                                 \
    } while (0)

static int load_sd_bus(char *err, int errlen)
{
    if (sd.loaded) return 0;
    void *lib = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        const char *why = dlerror();
        set_err(err, errlen, "cannot load libsystemd.so.0 (the systemd cgroup driver needs it): %s%s",
                why ? why : "unknown error", "");
        return -1;
    }
    RESOLVE(open_system, "sd_bus_open_system");
    RESOLVE(bus_new, "sd_bus_new");
    RESOLVE(set_address, "sd_bus_set_address");
    RESOLVE(start, "sd_bus_start");
    RESOLVE(close_unref, "sd_bus_flush_close_unref");
    RESOLVE(new_method_call, "sd_bus_message_new_method_call");
    RESOLVE(append, "sd_bus_message_append");
    RESOLVE(append_array, "sd_bus_message_append_array");
    RESOLVE(open_container, "sd_bus_message_open_container");
    RESOLVE(close_container, "sd_bus_message_close_container");
    RESOLVE(read, "sd_bus_message_read");
    RESOLVE(message_unref, "sd_bus_message_unref");
    RESOLVE(call, "sd_bus_call");
    RESOLVE(match_signal, "sd_bus_match_signal");
    RESOLVE(slot_unref, "sd_bus_slot_unref");
    RESOLVE(process, "sd_bus_process");
    RESOLVE(wait, "sd_bus_wait");
    RESOLVE(error_free, "sd_bus_error_free");
    sd.loaded = 1;
    return 0;
}

/* The system bus, or else systemd's private socket (no bus daemon: early boot, minimal hosts). */
static sd_bus *connect_bus(char *err, int errlen)
{
    if (load_sd_bus(err, errlen) < 0) return NULL;
    sd_bus *bus = NULL;
    int r = sd.open_system(&bus);
    if (r >= 0) return bus;
    int system_error = -r;
    bus = NULL;
    r = sd.bus_new(&bus);
    if (r >= 0) r = sd.set_address(bus, SD_PRIVATE_ADDRESS);
    if (r >= 0) r = sd.start(bus);
    if (r >= 0) return bus;
    if (bus) sd.close_unref(bus);
    char detail[160];
    snprintf(detail, sizeof(detail), "system bus: %s; ", strerror(system_error));
    set_err(err, errlen, "cannot connect to systemd (%s/run/systemd/private: %s)", detail, strerror(-r));
    return NULL;
}

/* A D-Bus error as "NAME: MESSAGE" (systemd's own words), after `what`. */
static void bus_err(char *err, int errlen, const char *what, const sd_bus_error *e, int r)
{
    if (!err || errlen <= 0) return;
    if (e && e->message)
        snprintf(err, (size_t)errlen, "%s: %s", what, e->message);
    else if (e && e->name)
        snprintf(err, (size_t)errlen, "%s: %s", what, e->name);
    else
        snprintf(err, (size_t)errlen, "%s: %s", what, strerror(r < 0 ? -r : EIO));
}

static int append_value(sd_bus_message *m, const struct hull_unit_property *p)
{
    int r;
    size_t i;
    switch (p->type) {
    case 's': return sd.append(m, "v", "s", p->string);
    case 'b': return sd.append(m, "v", "b", (int)(p->number != 0));
    case 't': return sd.append(m, "v", "t", p->number);
    case 'x': return sd.append(m, "v", "x", (int64_t)p->number);
    case 'u': return sd.append(m, "v", "u", (uint32_t)p->number);
    case 'i': return sd.append(m, "v", "i", (int32_t)p->number);
    case 'd': return sd.append(m, "v", "d", p->real);
    case 'Y':
        if ((r = sd.open_container(m, 'v', "ay")) < 0) return r;
        if ((r = sd.append_array(m, 'y', p->items, p->count)) < 0) return r;
        return sd.close_container(m);
    case 'U':
        if ((r = sd.open_container(m, 'v', "au")) < 0) return r;
        if ((r = sd.append_array(m, 'u', p->items, p->count * sizeof(uint32_t))) < 0) return r;
        return sd.close_container(m);
    case 'S': {
        const char *const *strings = p->items;
        if ((r = sd.open_container(m, 'v', "as")) < 0) return r;
        if ((r = sd.open_container(m, 'a', "s")) < 0) return r;
        for (i = 0; i < p->count; i++)
            if ((r = sd.append(m, "s", strings[i])) < 0) return r;
        if ((r = sd.close_container(m)) < 0) return r;
        return sd.close_container(m);
    }
    case 'D': {
        const char *const *pairs = p->items;
        if ((r = sd.open_container(m, 'v', "a(ss)")) < 0) return r;
        if ((r = sd.open_container(m, 'a', "(ss)")) < 0) return r;
        for (i = 0; i < p->count; i++)
            if ((r = sd.append(m, "(ss)", pairs[2 * i], pairs[2 * i + 1])) < 0) return r;
        if ((r = sd.close_container(m)) < 0) return r;
        return sd.close_container(m);
    }
    default:
        return -EINVAL;
    }
}

/* The a(sv) array of unit properties. */
static int append_properties(sd_bus_message *m, const struct hull_unit_property *props, int count)
{
    int r = sd.open_container(m, 'a', "(sv)");
    for (int i = 0; r >= 0 && i < count; i++) {
        r = sd.open_container(m, 'r', "sv");
        if (r >= 0) r = sd.append(m, "s", props[i].name);
        if (r >= 0) r = append_value(m, &props[i]);
        if (r >= 0) r = sd.close_container(m);
    }
    if (r >= 0) r = sd.close_container(m);
    return r;
}

/* The JobRemoved signal of one job: (id u, job o, unit s, result s). */
struct job_wait {
    char job[256];
    char result[64];
    int done;
};

static int on_job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
    (void)ret_error;
    struct job_wait *w = userdata;
    uint32_t id;
    const char *job = NULL, *unit = NULL, *result = NULL;
    if (sd.read(m, "uoss", &id, &job, &unit, &result) < 0 || !job || !result) return 0;
    if (!w->done && strcmp(job, w->job) == 0) {
        snprintf(w->result, sizeof(w->result), "%s", result);
        w->done = 1;
    }
    return 0;
}

static uint64_t now_usec(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) return 0;
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* Dispatches messages until the job's JobRemoved arrived or `timeout_ms` passed. */
static int wait_for_job(sd_bus *bus, struct job_wait *w, int timeout_ms, const char *what, char *err, int errlen)
{
    uint64_t deadline = now_usec() + (uint64_t)timeout_ms * 1000u;
    while (!w->done) {
        int r = sd.process(bus, NULL);
        if (r < 0) {
            bus_err(err, errlen, what, NULL, r);
            return -1;
        }
        if (r > 0) continue;
        uint64_t now = now_usec();
        if (now >= deadline) {
            set_err(err, errlen, "%s: timed out waiting for systemd's job %s", what, w->job);
            return -1;
        }
        r = sd.wait(bus, deadline - now);
        if (r < 0 && r != -EINTR) {
            bus_err(err, errlen, what, NULL, r);
            return -1;
        }
    }
    return 0;
}

/* Calls a Manager method; the reply in *reply. -1 with "what: systemd's message" in err. */
static int call_manager(sd_bus *bus, sd_bus_message *m, sd_bus_message **reply, sd_bus_error *e,
                        const char *what, char *err, int errlen)
{
    int r = sd.call(bus, m, 30 * 1000000ull, e, reply);
    if (r < 0) {
        bus_err(err, errlen, what, e, r);
        return -1;
    }
    return 0;
}

static int new_call(sd_bus *bus, sd_bus_message **m, const char *member)
{
    return sd.new_method_call(bus, m, SD_DESTINATION, SD_PATH, SD_MANAGER, member);
}

static void reset_failed(sd_bus *bus, const char *unit)
{
    sd_bus_message *m = NULL, *reply = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    if (new_call(bus, &m, "ResetFailedUnit") >= 0 && sd.append(m, "s", unit) >= 0)
        (void)sd.call(bus, m, 30 * 1000000ull, &e, &reply);
    sd.error_free(&e);
    if (reply) sd.message_unref(reply);
    if (m) sd.message_unref(m);
}

/* Sends a job-queueing call (StartTransientUnit, StopUnit) and waits for the job's result.
 * Returns 0, 1 when systemd answered with the D-Bus error `tolerated`, or -1. */
static int run_job(sd_bus *bus, sd_bus_message *m, const char *tolerated, int timeout_ms,
                   const char *what, char *result, int resultlen, char *err, int errlen)
{
    struct job_wait w = {0};
    sd_bus_slot *slot = NULL;
    sd_bus_message *reply = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int rc = -1;
    /* No sender: on the private socket messages carry none. Signals that arrive while the
     * call waits for its reply are queued and dispatched only by sd_bus_process(). */
    int r = sd.match_signal(bus, &slot, NULL, SD_PATH, SD_MANAGER, "JobRemoved", on_job_removed, &w);
    if (r < 0) {
        bus_err(err, errlen, what, NULL, r);
        goto out;
    }
    r = sd.call(bus, m, 30 * 1000000ull, &e, &reply);
    if (r < 0) {
        if (tolerated && e.name && strcmp(e.name, tolerated) == 0) {
            rc = 1;
        } else {
            bus_err(err, errlen, what, &e, r);
        }
        goto out;
    }
    const char *job = NULL;
    r = sd.read(reply, "o", &job);
    if (r < 0 || !job) {
        bus_err(err, errlen, what, NULL, r < 0 ? r : -EBADMSG);
        goto out;
    }
    snprintf(w.job, sizeof(w.job), "%s", job);
    if (wait_for_job(bus, &w, timeout_ms, what, err, errlen) < 0) goto out;
    snprintf(result, (size_t)resultlen, "%s", w.result);
    rc = 0;
out:
    sd.error_free(&e);
    if (reply) sd.message_unref(reply);
    if (slot) sd.slot_unref(slot);
    return rc;
}

int hull_systemd_start_transient_unit(const char *unit, const struct hull_unit_property *props, int count,
                                      int timeout_ms, char *err, int errlen)
{
    char what[320];
    snprintf(what, sizeof(what), "systemd: start unit %s", unit);
    sd_bus *bus = connect_bus(err, errlen);
    if (!bus) return -1;
    int rc = -1;
    for (int attempt = 0; attempt < 2; attempt++) {
        sd_bus_message *m = NULL;
        int r = new_call(bus, &m, "StartTransientUnit");
        if (r >= 0) r = sd.append(m, "ss", unit, "replace");
        if (r >= 0) r = append_properties(m, props, count);
        if (r >= 0) r = sd.append(m, "a(sa(sv))", 0);
        if (r < 0) {
            bus_err(err, errlen, what, NULL, r);
            if (m) sd.message_unref(m);
            break;
        }
        char result[64] = "";
        /* A unit of that name may be a failed leftover: reset it and try once more (runc). */
        rc = run_job(bus, m, attempt == 0 ? "org.freedesktop.systemd1.UnitExists" : NULL, timeout_ms,
                     what, result, sizeof(result), err, errlen);
        sd.message_unref(m);
        if (rc == 1) {
            reset_failed(bus, unit);
            continue;
        }
        if (rc == 0 && strcmp(result, "done") != 0) {
            set_err(err, errlen, "%s: the job ended with \"%s\"", what, result);
            reset_failed(bus, unit);
            rc = -1;
        }
        break;
    }
    if (rc == 1) rc = -1;
    sd.close_unref(bus);
    return rc;
}

int hull_systemd_set_unit_properties(const char *unit, const struct hull_unit_property *props, int count,
                                     char *err, int errlen)
{
    char what[320];
    snprintf(what, sizeof(what), "systemd: set properties of unit %s", unit);
    sd_bus *bus = connect_bus(err, errlen);
    if (!bus) return -1;
    sd_bus_message *m = NULL, *reply = NULL;
    sd_bus_error e = SD_BUS_ERROR_NULL;
    int rc = -1;
    int r = new_call(bus, &m, "SetUnitProperties");
    if (r >= 0) r = sd.append(m, "sb", unit, 1);
    if (r >= 0) r = append_properties(m, props, count);
    if (r < 0)
        bus_err(err, errlen, what, NULL, r);
    else
        rc = call_manager(bus, m, &reply, &e, what, err, errlen);
    sd.error_free(&e);
    if (reply) sd.message_unref(reply);
    if (m) sd.message_unref(m);
    sd.close_unref(bus);
    return rc;
}

int hull_systemd_stop_unit(const char *unit, int timeout_ms, char *err, int errlen)
{
    char what[320];
    snprintf(what, sizeof(what), "systemd: stop unit %s", unit);
    sd_bus *bus = connect_bus(err, errlen);
    if (!bus) return -1;
    sd_bus_message *m = NULL;
    int r = new_call(bus, &m, "StopUnit");
    if (r >= 0) r = sd.append(m, "ss", unit, "replace");
    int rc = -1;
    if (r < 0) {
        bus_err(err, errlen, what, NULL, r);
    } else {
        char result[64] = "";
        /* A unit that is gone already (its processes exited) is stopped. */
        rc = run_job(bus, m, "org.freedesktop.systemd1.NoSuchUnit", timeout_ms, what, result,
                     sizeof(result), err, errlen);
        if (rc == 1) rc = 0;
    }
    if (m) sd.message_unref(m);
    /* A unit that failed stays loaded until reset. */
    if (rc == 0) reset_failed(bus, unit);
    sd.close_unref(bus);
    return rc;
}
