// A Store for tests that wraps a real one and injects faults, as leveldb's
// fault-injection Env does: every repository is a forwarding decorator that
// counts writes (any repository method that changes something, and Commit),
// so a test can make the Nth write of an operation fail and loop N over all
// of them.
//
// Two faults (FaultPlan):
// - kFailWrite: the Nth write returns kIo "store unavailable" without
//   reaching the real store; later calls go through (the caller decides
//   what to do with its open transaction).
// - kDropConnection: the connection drops at the Nth write: the write is
//   not acknowledged (kIo), the real store's open transaction is rolled
//   back, and every later call (read, write, Begin, Commit) fails with kIo.
//   A Commit that meets either fault never commits, and (as the SQL
//   store's failed Commit) leaves no transaction open on the real store.
//
// Threads: a FaultPlan may be shared by the FailingStores of a pool (its
// mutex guards the counters); each FailingStore, like any Store, is used by
// one thread at a time.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "store/store.h"

namespace cl::testing {

class FaultPlan {
 public:
  enum class Mode { kFailWrite, kDropConnection };

  // Fails the `n`th write from now (1-based); 0 never fails. Resets the count
  // and starts a new episode: connections dropped before reconnect (as a
  // server's pooled connection would be reopened).
  void Arm(int n, Mode mode);
  void Disarm() { Arm(0, Mode::kFailWrite); }
  // Writes counted since the last Arm (the failing one included).
  int writes() const;
  // Whether the armed fault has happened.
  bool fired() const;

  // For FailingStore: counts one write; true when it is the one to fail.
  bool CountWrite(Mode* mode);
  int episode() const;

 private:
  mutable std::mutex mu_;  // guards the fields below
  int fail_at_ = 0;
  Mode mode_ = Mode::kFailWrite;
  int writes_ = 0;
  bool fired_ = false;
  int episode_ = 0;
};

// Owns the real store. `plan` decides which write fails; several stores may
// share one plan (a server's pool), so writes are counted across them.
std::unique_ptr<Store> MakeFailingStore(std::unique_ptr<Store> real,
                                        std::shared_ptr<FaultPlan> plan);
// The same over a store the caller keeps (and may inspect after a fault);
// it must outlive the wrapper.
std::unique_ptr<Store> MakeFailingStore(Store& real, std::shared_ptr<FaultPlan> plan);

// The error an injected fault returns.
Error StoreUnavailable(const std::string& what);

}  // namespace cl::testing
