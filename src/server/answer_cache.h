// Answers derived from published data only (the public figures), kept while
// the store's audit head is where it was when they were computed: every
// change to a record moves the head (store/audit.h), so a cached answer is
// never stale, and checking costs one row read instead of the whole
// computation. Each answer carries an ETag; a client that has it gets 304.
// Internal to src/server.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/api.h"

namespace cl::api {

class AnswerCache {
 public:
  explicit AnswerCache(size_t max_entries) : max_entries_(max_entries) {}

  // The answer kept for `key` at audit head `head`, or nullptr.
  std::shared_ptr<const ApiResponse> Find(const std::string& key, int64_t head) const;
  // Keeps `r` (a 200 answer) for `key` at `head` with its ETag and
  // Cache-Control; returns it as kept.
  std::shared_ptr<const ApiResponse> Put(const std::string& key, int64_t head, ApiResponse r);
  // `kept`, or 304 without a body when the request's If-None-Match names it.
  static ApiResponse Answer(const ApiRequest& req, const ApiResponse& kept);

 private:
  struct Entry {
    int64_t head = 0;
    std::shared_ptr<const ApiResponse> answer;
  };
  const size_t max_entries_;
  mutable std::mutex mu_;  // guards entries_
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace cl::api
