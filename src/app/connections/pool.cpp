#include "connections/pool.h"

#include <utility>

#include "store/store.h"

namespace cl {

StorePool::StorePool(std::string target, int sqlite_cache_mib, StoreOpener open)
    : target_(std::move(target)), sqlite_cache_mib_(sqlite_cache_mib), open_(std::move(open)) {}

StorePool::~StorePool() = default;

StorePool::Lease::Lease(StorePool& pool, std::unique_ptr<Store> store)
    : pool_(&pool), store_(std::move(store)) {}

StorePool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), store_(std::move(other.store_)), discard_(other.discard_) {}

StorePool::Lease::~Lease() {
  if (!store_) return;
  store_->Rollback();
  if (discard_) return;  // closed with store_
  pool_->Return(std::move(store_));
}

Status StorePool::Lease::BeginRead() { return store_->BeginRead(); }

Result<StorePool::Lease> StorePool::Take() {
  {
    std::lock_guard lock(mu_);
    if (!idle_.empty()) {
      auto s = std::move(idle_.back());
      idle_.pop_back();
      return Lease(*this, std::move(s));
    }
  }
  auto s = open_ ? open_() : OpenStore(target_, {sqlite_cache_mib_});
  if (!s.ok()) return s.error();
  return Lease(*this, std::move(s.value()));
}

void StorePool::Return(std::unique_ptr<Store> store) {
  std::lock_guard lock(mu_);
  idle_.push_back(std::move(store));
}

std::string StorePool::Kind(Store& store) { return store.Kind(); }

Result<int> StorePool::SchemaVersion(Store& store) { return store.SchemaVersion(); }

}  // namespace cl
