#pragma once
// A handle of its own on a connection's write-ahead log, opened through the same VFS, so that
// another thread can make the log durable while the connection goes on writing to it: an fsync
// concerns the file, not the descriptor it is called on.

#include <sqlite3.h>

#include <memory>
#include <string>

#include "store/sqlite/connection.h"

namespace depot::sqlite {

class WalFile {
 public:
  // Opens the log of `db`'s main database, which must be in WAL mode with its log open, and makes
  // it durable with its directory entry (the log may have just been created). Throws SqliteError.
  explicit WalFile(Connection& db);
  WalFile(const WalFile&) = delete;
  WalFile& operator=(const WalFile&) = delete;
  ~WalFile();

  // Makes everything written to the log so far durable: SQLITE_OK, or the VFS's I/O error code.
  int sync();

 private:
  std::string path_;
  std::unique_ptr<unsigned char[]> storage_;  // the VFS's file object, of its own size
  sqlite3_file* file_ = nullptr;
};

}  // namespace depot::sqlite
