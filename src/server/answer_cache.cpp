#include "answer_cache.h"

#include <fmt/format.h>

#include <functional>

namespace cl::api {

std::shared_ptr<const ApiResponse> AnswerCache::Find(const std::string& key, int64_t head) const {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end() || it->second.head != head) return nullptr;
  return it->second.answer;
}

std::shared_ptr<const ApiResponse> AnswerCache::Put(const std::string& key, int64_t head,
                                                    ApiResponse r) {
  // Weak validator: the same key at the same head is the same answer.
  r.headers.emplace_back("ETag", fmt::format("W/\"{:x}-{}\"", std::hash<std::string>{}(key), head));
  // Any cache may keep it but must ask again before using it; the answer
  // depends on who asks (programme roles see more), hence Vary.
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("Vary", "Cookie, Authorization");
  auto kept = std::make_shared<const ApiResponse>(std::move(r));
  std::lock_guard lock(mu_);
  // The keys are bounded by the routes' checked parameters; a full cache
  // starts again rather than tracking use.
  if (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) entries_.clear();
  entries_[key] = Entry{head, kept};
  return kept;
}

ApiResponse AnswerCache::Answer(const ApiRequest& req, const ApiResponse& kept) {
  std::string etag;
  for (const auto& [k, v] : kept.headers)
    if (k == "ETag") etag = v;
  const std::string asked = req.Header("If-None-Match");
  if (!etag.empty() && (asked == etag || asked == "*" || asked.find(etag) != std::string::npos)) {
    ApiResponse not_modified{304, "", "", {}};
    for (const auto& [k, v] : kept.headers)
      if (k == "ETag" || k == "Cache-Control" || k == "Vary")
        not_modified.headers.emplace_back(k, v);
    return not_modified;
  }
  return kept;
}

}  // namespace cl::api
