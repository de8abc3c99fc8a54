#include "support/power_loss_vfs.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <stdexcept>

namespace depot::testing {

namespace {

constexpr int kSector = 512;

// One open file: the VFS's handle, followed in the same allocation by the real VFS's handle.
struct File {
  sqlite3_file base;
  PowerLossVfs* owner;
  std::string* name;
  sqlite3_file* real;
};

File& file_of(sqlite3_file* file) { return *reinterpret_cast<File*>(file); }
sqlite3_file* real_of(sqlite3_file* file) { return file_of(file).real; }

int close_file(sqlite3_file* file) {
  int rc = real_of(file)->pMethods->xClose(real_of(file));
  delete file_of(file).name;
  return rc;
}
int read_file(sqlite3_file* file, void* data, int amount, sqlite3_int64 offset) {
  return real_of(file)->pMethods->xRead(real_of(file), data, amount, offset);
}
int write_file(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  File& f = file_of(file);
  return f.owner->write(*f.name, f.real, data, amount, offset);
}
int truncate_file(sqlite3_file* file, sqlite3_int64 size) {
  File& f = file_of(file);
  return f.owner->truncate(*f.name, f.real, size);
}
int sync_file(sqlite3_file* file, int flags) {
  File& f = file_of(file);
  return f.owner->sync(*f.name, f.real, flags);
}
int file_size(sqlite3_file* file, sqlite3_int64* size) {
  return real_of(file)->pMethods->xFileSize(real_of(file), size);
}
int lock(sqlite3_file* file, int level) {
  return real_of(file)->pMethods->xLock(real_of(file), level);
}
int unlock(sqlite3_file* file, int level) {
  return real_of(file)->pMethods->xUnlock(real_of(file), level);
}
int check_reserved_lock(sqlite3_file* file, int* out) {
  return real_of(file)->pMethods->xCheckReservedLock(real_of(file), out);
}
int file_control(sqlite3_file* file, int op, void* arg) {
  return real_of(file)->pMethods->xFileControl(real_of(file), op, arg);
}
int sector_size(sqlite3_file* file) { return real_of(file)->pMethods->xSectorSize(real_of(file)); }
int device_characteristics(sqlite3_file* file) {
  return real_of(file)->pMethods->xDeviceCharacteristics(real_of(file));
}
int shm_map(sqlite3_file* file, int region, int size, int extend, void volatile** out) {
  return real_of(file)->pMethods->xShmMap(real_of(file), region, size, extend, out);
}
int shm_lock(sqlite3_file* file, int offset, int n, int flags) {
  return real_of(file)->pMethods->xShmLock(real_of(file), offset, n, flags);
}
void shm_barrier(sqlite3_file* file) { real_of(file)->pMethods->xShmBarrier(real_of(file)); }
int shm_unmap(sqlite3_file* file, int delete_flag) {
  return real_of(file)->pMethods->xShmUnmap(real_of(file), delete_flag);
}

// Version 2: shared memory for WAL, but no xFetch, so SQLite reads through xRead instead of a
// memory map that would bypass the VFS.
const sqlite3_io_methods kMethods = {
    2,
    close_file,
    read_file,
    write_file,
    truncate_file,
    sync_file,
    file_size,
    lock,
    unlock,
    check_reserved_lock,
    file_control,
    sector_size,
    device_characteristics,
    shm_map,
    shm_lock,
    shm_barrier,
    shm_unmap,
    nullptr,
    nullptr,
};

PowerLossVfs& owner_of(sqlite3_vfs* vfs) { return *static_cast<PowerLossVfs*>(vfs->pAppData); }
sqlite3_vfs* real_vfs(sqlite3_vfs* vfs) { return owner_of(vfs).real_vfs(); }

int open_file(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags,
              int* out_flags) {
  File& f = file_of(file);
  f.base.pMethods = nullptr;
  f.owner = &owner_of(vfs);
  f.name = nullptr;
  f.real = reinterpret_cast<sqlite3_file*>(&f + 1);
  int rc = real_vfs(vfs)->xOpen(real_vfs(vfs), name, f.real, flags, out_flags);
  if (rc != SQLITE_OK) return rc;
  f.name = new std::string(name ? name : "");
  f.base.pMethods = &kMethods;
  return SQLITE_OK;
}
int delete_file(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return owner_of(vfs).remove(name, sync_dir);
}
int access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return real_vfs(vfs)->xAccess(real_vfs(vfs), name, flags, out);
}
int full_pathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return real_vfs(vfs)->xFullPathname(real_vfs(vfs), name, size, out);
}
void* dl_open(sqlite3_vfs* vfs, const char* name) {
  return real_vfs(vfs)->xDlOpen(real_vfs(vfs), name);
}
void dl_error(sqlite3_vfs* vfs, int size, char* out) {
  real_vfs(vfs)->xDlError(real_vfs(vfs), size, out);
}
void (*dl_sym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return real_vfs(vfs)->xDlSym(real_vfs(vfs), handle, symbol);
}
void dl_close(sqlite3_vfs* vfs, void* handle) { real_vfs(vfs)->xDlClose(real_vfs(vfs), handle); }
int randomness(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xRandomness(real_vfs(vfs), size, out);
}
int sleep_for(sqlite3_vfs* vfs, int microseconds) {
  return real_vfs(vfs)->xSleep(real_vfs(vfs), microseconds);
}
int current_time(sqlite3_vfs* vfs, double* out) {
  return real_vfs(vfs)->xCurrentTime(real_vfs(vfs), out);
}
int last_error(sqlite3_vfs* vfs, int size, char* out) {
  return real_vfs(vfs)->xGetLastError(real_vfs(vfs), size, out);
}
int current_time_int64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return real_vfs(vfs)->xCurrentTimeInt64(real_vfs(vfs), out);
}

void write_back(int fd, const std::string& bytes, sqlite3_int64 offset) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::pwrite(fd, bytes.data() + done, bytes.size() - done,
                         static_cast<off_t>(offset) + static_cast<off_t>(done));
    if (n <= 0) throw std::runtime_error("power-loss VFS: cannot restore a file");
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

PowerLossVfs::PowerLossVfs() : real_(sqlite3_vfs_find("unix")) {
  if (real_ == nullptr) throw std::runtime_error("power-loss VFS: no unix VFS");
  vfs_.iVersion = 2;
  vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
  vfs_.mxPathname = real_->mxPathname;
  vfs_.zName = "depot-power-loss";
  vfs_.pAppData = this;
  vfs_.xOpen = open_file;
  vfs_.xDelete = delete_file;
  vfs_.xAccess = access;
  vfs_.xFullPathname = full_pathname;
  vfs_.xDlOpen = dl_open;
  vfs_.xDlError = dl_error;
  vfs_.xDlSym = dl_sym;
  vfs_.xDlClose = dl_close;
  vfs_.xRandomness = randomness;
  vfs_.xSleep = sleep_for;
  vfs_.xCurrentTime = current_time;
  vfs_.xGetLastError = last_error;
  vfs_.xCurrentTimeInt64 = current_time_int64;
  if (sqlite3_vfs_register(&vfs_, 1) != SQLITE_OK) {
    throw std::runtime_error("power-loss VFS: cannot register");
  }
}

PowerLossVfs::~PowerLossVfs() {
  sqlite3_vfs_unregister(&vfs_);
  sqlite3_vfs_register(real_, 1);
}

void PowerLossVfs::cut_power_at(std::int64_t n) { arm(n, false); }

void PowerLossVfs::cut_power_at_sync(std::int64_t n) { arm(n, true); }

void PowerLossVfs::arm(std::int64_t n, bool count_syncs) {
  std::lock_guard lock(mutex_);
  operations_ = 0;
  syncs_ = 0;
  syncs_by_file_.clear();
  cut_at_ = n;
  cut_counts_syncs_ = count_syncs;
}

std::int64_t PowerLossVfs::syncs() const {
  std::lock_guard lock(mutex_);
  return syncs_;
}

std::int64_t PowerLossVfs::syncs_of(const std::string& name) const {
  std::lock_guard lock(mutex_);
  auto found = syncs_by_file_.find(name);
  return found == syncs_by_file_.end() ? 0 : found->second;
}

void PowerLossVfs::lie_about_sync(bool lie) {
  std::lock_guard lock(mutex_);
  lying_ = lie;
}

void PowerLossVfs::hold_syncs(bool hold) {
  {
    std::lock_guard lock(mutex_);
    holding_syncs_ = hold;
  }
  sync_released_.notify_all();
}

int PowerLossVfs::syncs_held() const {
  std::lock_guard lock(mutex_);
  return syncs_held_;
}

bool PowerLossVfs::power_lost() const {
  std::lock_guard lock(mutex_);
  return lost_;
}

std::int64_t PowerLossVfs::operations() const {
  std::lock_guard lock(mutex_);
  return operations_;
}

bool PowerLossVfs::powered(bool sync) {
  if (lost_) return false;
  ++operations_;
  if (sync) ++syncs_;
  std::int64_t counted = cut_counts_syncs_ ? syncs_ : operations_;
  if (cut_at_ > 0 && counted >= cut_at_) lost_ = true;
  return !lost_;
}

int PowerLossVfs::write(const std::string& name, sqlite3_file* real, const void* data, int amount,
                        sqlite3_int64 offset) {
  std::lock_guard lock(mutex_);
  if (!powered(false)) return SQLITE_IOERR_WRITE;
  Undo undo{offset, {}, 0, amount};
  if (int rc = real->pMethods->xFileSize(real, &undo.size_before); rc != SQLITE_OK) return rc;
  if (offset < undo.size_before) {
    undo.replaced.resize(
        static_cast<std::size_t>(std::min<sqlite3_int64>(amount, undo.size_before - offset)));
    int rc = real->pMethods->xRead(real, undo.replaced.data(),
                                   static_cast<int>(undo.replaced.size()), offset);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = real->pMethods->xWrite(real, data, amount, offset);
  if (rc == SQLITE_OK) unsynced_[name].push_back(std::move(undo));
  return rc;
}

int PowerLossVfs::truncate(const std::string& name, sqlite3_file* real, sqlite3_int64 size) {
  std::lock_guard lock(mutex_);
  if (!powered(false)) return SQLITE_IOERR_TRUNCATE;
  Undo undo{size, {}, 0, 0};
  if (int rc = real->pMethods->xFileSize(real, &undo.size_before); rc != SQLITE_OK) return rc;
  if (size < undo.size_before) {
    undo.replaced.resize(static_cast<std::size_t>(undo.size_before - size));
    int rc = real->pMethods->xRead(real, undo.replaced.data(),
                                   static_cast<int>(undo.replaced.size()), size);
    if (rc != SQLITE_OK) return rc;
  }
  int rc = real->pMethods->xTruncate(real, size);
  if (rc == SQLITE_OK) unsynced_[name].push_back(std::move(undo));
  return rc;
}

int PowerLossVfs::sync(const std::string& name, sqlite3_file* real, int flags) {
  std::unique_lock lock(mutex_);
  ++syncs_held_;
  sync_released_.wait(lock, [this] { return !holding_syncs_; });
  --syncs_held_;
  if (!powered(true)) return SQLITE_IOERR_FSYNC;
  ++syncs_by_file_[name];
  int rc = real->pMethods->xSync(real, flags);
  if (rc == SQLITE_OK && !lying_) unsynced_.erase(name);
  return rc;
}

int PowerLossVfs::remove(const char* name, int sync_dir) {
  std::lock_guard lock(mutex_);
  if (lost_) return SQLITE_IOERR_DELETE;
  int rc = real_->xDelete(real_, name, sync_dir);
  if (rc == SQLITE_OK) unsynced_.erase(name);
  return rc;
}

void PowerLossVfs::lose_unsynced(Loss loss, std::mt19937& random) {
  std::lock_guard lock(mutex_);
  for (const auto& [name, history] : unsynced_) {
    std::size_t keep = 0;
    if (loss == Loss::torn_tail) {
      keep = std::uniform_int_distribution<std::size_t>(0, history.size())(random);
    }
    restore(name, history, keep, random, loss == Loss::torn_tail);
  }
  unsynced_.clear();
}

// Undoes history[keep..] newest first; with `tear`, history[keep] keeps a sector-aligned head.
void PowerLossVfs::restore(const std::string& name, const std::vector<Undo>& history,
                           std::size_t keep, std::mt19937& random, bool tear) {
  int fd = ::open(name.c_str(), O_RDWR);
  if (fd < 0) throw std::runtime_error("power-loss VFS: cannot open " + name);
  for (std::size_t i = history.size(); i-- > keep;) {
    const Undo& undo = history[i];
    std::int64_t survives = 0;  // bytes at the head of this write that reached the disk
    if (tear && i == keep && undo.length > kSector) {
      survives = kSector * std::uniform_int_distribution<std::int64_t>(
                               0, (undo.length - 1) / kSector)(random);
    }
    auto head = static_cast<std::size_t>(survives);
    if (head < undo.replaced.size()) {
      write_back(fd, undo.replaced.substr(head), undo.offset + survives);
    }
    if (::ftruncate(fd, std::max<off_t>(undo.size_before, undo.offset + survives)) != 0) {
      ::close(fd);
      throw std::runtime_error("power-loss VFS: cannot truncate " + name);
    }
  }
  ::close(fd);
}

}  // namespace depot::testing
