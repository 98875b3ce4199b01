// The store connections of a server, as a use case: a pool of connections to
// one store (SQLite file or PostgreSQL), each lent to one request at a time,
// with the request's read snapshot. The server reaches the store only through
// this pool and the use cases it passes the lent connection to.
//
// Threads: StorePool may be shared by every thread (its mutex guards the idle
// connections); a Lease and the Store it lends belong to one thread.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/error.h"

namespace cl {

class Store;  // store/store.h

// Opens one new connection of a pool: kIo/kInternal when it cannot. The
// default opens `target` with OpenStore; tests pass their own to put a
// FakeStore or a fault-injecting FailingStore under a server
// (tests/support, docs/store.md "Test doubles").
using StoreOpener = std::function<Result<std::unique_ptr<Store>>()>;

class StorePool {
 public:
  // `target` as for OpenStore; `sqlite_cache_mib`: the page cache of each
  // pooled SQLite connection; `open`, when set, opens connections instead.
  StorePool(std::string target, int sqlite_cache_mib, StoreOpener open = {});
  ~StorePool();

  // A connection lent to one request. On destruction, whatever transaction
  // the request left open is rolled back (a handler that failed half-way
  // never hands its write lock to the next request) and the connection goes
  // back to the pool, unless it was discarded.
  class Lease {
   public:
    Lease(StorePool& pool, std::unique_ptr<Store> store);
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Store& store() { return *store_; }
    // A read-only snapshot for the rest of the request (Store::BeginRead).
    Status BeginRead();
    // The connection failed (a dropped PostgreSQL connection, an I/O error):
    // it is closed when the lease ends, never lent again; the next request
    // opens a new one.
    void Discard() { discard_ = true; }

   private:
    StorePool* pool_;
    std::unique_ptr<Store> store_;
    bool discard_ = false;
  };

  // An idle connection, or a new one (opened and migrated): kIo/kInternal
  // when the store cannot be opened.
  Result<Lease> Take();
  // The store's kind ("sqlite", "postgres") and schema version, for /healthz.
  static std::string Kind(Store& store);
  static Result<int> SchemaVersion(Store& store);

 private:
  void Return(std::unique_ptr<Store> store);

  const std::string target_;
  const int sqlite_cache_mib_;
  const StoreOpener open_;
  std::mutex mu_;                             // guards idle_
  std::vector<std::unique_ptr<Store>> idle_;  // connections no request holds
};

}  // namespace cl
