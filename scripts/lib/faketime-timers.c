/*
 * Preloaded before libfaketime by `scripts/test.sh` for the runs with a moved clock: passes
 * timerfd_settime and timerfd_gettime straight to the kernel. libfaketime 0.9.10 (Debian 12) moves
 * timerfd deadlines by its offset, so Dispatch's timers (Task.sleep, asyncAfter, XCTest's waits for
 * async tests) never fire; with DONT_FAKE_MONOTONIC=1 the monotonic clocks those deadlines are read
 * from stay real, and only the calendar (CLOCK_REALTIME, time, gettimeofday) moves.
 */
#define _GNU_SOURCE
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <unistd.h>

int timerfd_settime(int fd, int flags, const struct itimerspec *value, struct itimerspec *old) {
    return (int)syscall(SYS_timerfd_settime, fd, flags, value, old);
}

int timerfd_gettime(int fd, struct itimerspec *value) {
    return (int)syscall(SYS_timerfd_gettime, fd, value);
}
