// Must NOT compile under `clang++ -Wthread-safety -Werror=thread-safety` (make lint checks that it
// fails): it proves the annotations in src/concurrency/ are live on clang, not empty macros.
#include "concurrency/mutex.h"

namespace depot {

class Counter {
 public:
  void bump() { ++count_; }  // writes count_ without holding mutex_

 private:
  Mutex mutex_;
  int count_ GUARDED_BY(mutex_) = 0;
};

void use() { Counter().bump(); }

}  // namespace depot
