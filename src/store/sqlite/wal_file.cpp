#include "store/sqlite/wal_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

namespace depot::sqlite {

namespace {

// A new file's name is durable only once its directory is synced.
void sync_directory_of(const std::string& path) {
  std::string directory = std::filesystem::path(path).parent_path().string();
  int fd = ::open(directory.empty() ? "." : directory.c_str(), O_RDONLY | O_DIRECTORY);
  if (fd < 0) throw SqliteError("open the directory of " + path, SQLITE_IOERR_DIR_FSYNC);
  int rc = ::fsync(fd);
  ::close(fd);
  if (rc != 0) throw SqliteError("fsync the directory of " + path, SQLITE_IOERR_DIR_FSYNC);
}

}  // namespace

WalFile::WalFile(Connection& db) {
  sqlite3_filename database = sqlite3_db_filename(db.handle(), "main");
  sqlite3_vfs* vfs = nullptr;
  if (sqlite3_file_control(db.handle(), "main", SQLITE_FCNTL_VFS_POINTER, &vfs) != SQLITE_OK ||
      !database || !vfs) {
    throw SqliteError("the write-ahead log of a database without a file");
  }
  // The name object SQLite itself opened the log with, so the VFS sees the same file.
  sqlite3_filename wal = sqlite3_filename_wal(database);
  path_ = wal;
  storage_ = std::make_unique<unsigned char[]>(static_cast<std::size_t>(vfs->szOsFile));
  auto* file = reinterpret_cast<sqlite3_file*>(storage_.get());
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_WAL;
  if (int rc = vfs->xOpen(vfs, wal, file, flags, &flags); rc != SQLITE_OK) {
    // A failed xOpen may still have set pMethods, and then wants xClose.
    if (file->pMethods) file->pMethods->xClose(file);
    throw SqliteError("open " + path_, rc);
  }
  file_ = file;
  if (int rc = sync(); rc != SQLITE_OK) throw SqliteError("fsync " + path_, rc);
  sync_directory_of(path_);
}

WalFile::~WalFile() {
  if (file_) file_->pMethods->xClose(file_);
}

int WalFile::sync() { return file_->pMethods->xSync(file_, SQLITE_SYNC_NORMAL); }

}  // namespace depot::sqlite
