// A disk that fills up or fails on demand, for tests that cannot mount a small filesystem (no
// root): loaded with LD_PRELOAD into `depot serve`, it acts on files under $DEPOT_DISK_FAULT_DIR
// while the file $DEPOT_DISK_FAULT_SWITCH exists:
//   - empty switch file: the disk is full. Every write of data fails with ENOSPC.
//   - "eio" in the switch file: the disk fails. Writes are accepted, and every fsync/fdatasync
//     fails with EIO, as a disk that lost what it had accepted reports it.
// Every other call, and every call on other files (the log on stdout, sockets, pipes), is passed
// through untouched.
//
// It wraps the calls that write file data: SQLite's (pwrite64, write, ftruncate64, fdatasync,
// seen with `nm -D libsqlite3.so`) and the others a file of the data directory may be written
// with. A truncation that shrinks a file still succeeds (a full disk frees space on it).
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

enum fault { no_fault, disk_full, disk_failing };

// The fault that applies to `fd` now. The switch is looked at first, so the file's path is
// resolved only while a fault is on.
static enum fault fault_for(int fd) {
  const char* switch_path = getenv("DEPOT_DISK_FAULT_SWITCH");
  const char* dir = getenv("DEPOT_DISK_FAULT_DIR");
  if (!switch_path || !dir) return no_fault;
  int switch_fd = open(switch_path, O_RDONLY | O_CLOEXEC);
  if (switch_fd < 0) return no_fault;
  char mode[4] = {0};
  ssize_t mode_length = read(switch_fd, mode, sizeof mode - 1);
  close(switch_fd);

  char link[64];
  char target[4096];
  snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t length = readlink(link, target, sizeof target - 1);
  if (length <= 0) return no_fault;
  target[length] = '\0';
  size_t dir_length = strlen(dir);
  if (strncmp(target, dir, dir_length) != 0 ||
      (target[dir_length] != '/' && target[dir_length] != '\0')) {
    return no_fault;
  }
  return mode_length == 3 && strcmp(mode, "eio") == 0 ? disk_failing : disk_full;
}

// Sets `*next` to the next definition of `name` (libc's, or a sanitizer's interceptor in front
// of it). ISO C has no cast from dlsym's object pointer to a function pointer: copy its bytes.
static void find_next(void* next, size_t size, const char* name) {
  void* function = dlsym(RTLD_NEXT, name);
  if (!function || size != sizeof function) abort();
  memcpy(next, &function, size);
}

// Calls the next definition of `name` with the arguments that follow.
#define CALL_NEXT(name, ...)                                \
  do {                                                      \
    static __typeof__(&name) next;                          \
    if (!next) find_next((void*)&next, sizeof next, #name); \
    return next(__VA_ARGS__);                               \
  } while (0)

#define FAIL_WHEN(condition, error) \
  do {                              \
    if (condition) {                \
      errno = (error);              \
      return -1;                    \
    }                               \
  } while (0)

ssize_t write(int fd, const void* data, size_t size) {
  FAIL_WHEN(size > 0 && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(write, fd, data, size);
}

ssize_t pwrite(int fd, const void* data, size_t size, off_t offset) {
  FAIL_WHEN(size > 0 && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(pwrite, fd, data, size, offset);
}

ssize_t pwrite64(int fd, const void* data, size_t size, off64_t offset) {
  FAIL_WHEN(size > 0 && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(pwrite64, fd, data, size, offset);
}

ssize_t writev(int fd, const struct iovec* parts, int count) {
  FAIL_WHEN(count > 0 && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(writev, fd, parts, count);
}

ssize_t pwritev(int fd, const struct iovec* parts, int count, off_t offset) {
  FAIL_WHEN(count > 0 && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(pwritev, fd, parts, count, offset);
}

// Growing a file takes space; shrinking it does not.
static int grows(int fd, off64_t length) {
  struct stat64 now;
  return fstat64(fd, &now) != 0 || length > now.st_size;
}

int ftruncate(int fd, off_t length) {
  FAIL_WHEN(grows(fd, length) && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(ftruncate, fd, length);
}

int ftruncate64(int fd, off64_t length) {
  FAIL_WHEN(grows(fd, length) && fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(ftruncate64, fd, length);
}

int fallocate(int fd, int mode, off_t offset, off_t length) {
  FAIL_WHEN(fault_for(fd) == disk_full, ENOSPC);
  CALL_NEXT(fallocate, fd, mode, offset, length);
}

int posix_fallocate(int fd, off_t offset, off_t length) {
  if (fault_for(fd) == disk_full) return ENOSPC;
  CALL_NEXT(posix_fallocate, fd, offset, length);
}

int fsync(int fd) {
  FAIL_WHEN(fault_for(fd) == disk_failing, EIO);
  CALL_NEXT(fsync, fd);
}

int fdatasync(int fd) {
  FAIL_WHEN(fault_for(fd) == disk_failing, EIO);
  CALL_NEXT(fdatasync, fd);
}
