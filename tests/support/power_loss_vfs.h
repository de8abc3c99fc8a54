#pragma once
// A SQLite VFS that simulates a power cut, in the manner of LevelDB's fault-injection environment.
//
// While registered it is the process's default VFS, wrapping the real "unix" VFS, so the store
// under test uses it without knowing. Every write reaches the real file at once (as it reaches the
// page cache), and the VFS remembers what each write replaced until an fsync of that file makes it
// durable. `cut_power_at(n)` arms the cut: the n-th write or fsync from then on, and every one
// after it, fails as if the device were gone. Once the store is closed, `lose_unsynced` puts each
// file back as a disk would hold it after the power came back: every unsynced write undone, or a
// prefix of them kept with the next one torn at a sector boundary. `lie_about_sync` makes fsync
// answer success without making anything durable — a disk that acknowledges early, for the control
// that proves the checks can fail. `hold_syncs` makes every fsync wait until released — a slow
// disk, to see what runs while a commit is on its way to it.
//
// Files are tracked by name, so every connection's handle of one file shares its history. The
// shared-memory index (`-shm`) is not durable on a real disk either; the caller removes it.
#include <sqlite3.h>

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

namespace depot::testing {

class PowerLossVfs {
 public:
  enum class Loss {
    everything_unsynced,  // every write since the file's last fsync is gone
    torn_tail,            // a random prefix of them survives, the next one torn at 512 bytes
  };

  PowerLossVfs();   // registers as the default VFS
  ~PowerLossVfs();  // unregisters; the real VFS is the default again
  PowerLossVfs(const PowerLossVfs&) = delete;
  PowerLossVfs& operator=(const PowerLossVfs&) = delete;

  // The power fails at the n-th write or fsync counted from now (n >= 1).
  void cut_power_at(std::int64_t n);
  // The power fails at the n-th fsync counted from now (n >= 1): the moment a commit is to become
  // durable, where a commit path that answers before its fsync loses what it answered.
  void cut_power_at_sync(std::int64_t n);
  void lie_about_sync(bool lie);
  // While held, every fsync waits (before it counts or happens) until the hold is lifted.
  void hold_syncs(bool hold);
  // How many fsyncs are waiting for the hold to be lifted.
  int syncs_held() const;
  bool power_lost() const;
  // Writes and fsyncs seen since the last cut_power_at (or since registration).
  std::int64_t operations() const;
  // Of which fsyncs.
  std::int64_t syncs() const;
  // Fsyncs of the file `name` since the last cut_power_at (or since registration).
  std::int64_t syncs_of(const std::string& name) const;
  // Puts every file back as the disk holds it after the cut; call with every handle closed.
  void lose_unsynced(Loss loss, std::mt19937& random);

  // The VFS's callbacks; public so the C callbacks can reach them.
  int write(const std::string& name, sqlite3_file* real, const void* data, int amount,
            sqlite3_int64 offset);
  int truncate(const std::string& name, sqlite3_file* real, sqlite3_int64 size);
  int sync(const std::string& name, sqlite3_file* real, int flags);
  int remove(const char* name, int sync_dir);
  sqlite3_vfs* real_vfs() const { return real_; }

 private:
  // What one write or truncate replaced: the bytes it overwrote and the file's size before it.
  struct Undo {
    sqlite3_int64 offset = 0;
    std::string replaced;
    sqlite3_int64 size_before = 0;
    std::int64_t length = 0;  // bytes the write put at offset (0 for a truncate)
  };

  // Starts counting from zero, to cut at the n-th operation (or fsync, with `count_syncs`).
  void arm(std::int64_t n, bool count_syncs);
  // Counts one write or fsync; false once the power is gone.
  bool powered(bool sync);
  static void restore(const std::string& name, const std::vector<Undo>& history, std::size_t keep,
                      std::mt19937& random, bool tear);

  sqlite3_vfs* real_;
  sqlite3_vfs vfs_{};
  mutable std::mutex mutex_;
  std::condition_variable sync_released_;
  bool holding_syncs_ = false;
  int syncs_held_ = 0;
  std::map<std::string, std::vector<Undo>> unsynced_;
  std::int64_t operations_ = 0;
  std::int64_t syncs_ = 0;
  std::map<std::string, std::int64_t> syncs_by_file_;
  std::int64_t cut_at_ = 0;  // 0: not armed
  bool cut_counts_syncs_ = false;
  bool lost_ = false;
  bool lying_ = false;
};

}  // namespace depot::testing
