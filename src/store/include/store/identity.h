// Users, their units, API tokens and sessions (docs/roles.md).
//
// Part of the store (store.h): obtained from Store::Identity(), valid as long as
// the Store it came from, on that Store's connection, so it follows the
// Store's thread rule: one thread at a time.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/error.h"
#include "model/records.h"

namespace cl {

class IdentityRepository {
 public:
  virtual ~IdentityRepository() = default;

  // Users, their units, API tokens and sessions (docs/roles.md). Creating a
  // user, changing its units, issuing and revoking a token are audited (never
  // with a secret); sign-in results update the user's back-off counters.
  virtual Result<int64_t> CreateUser(const UserRecord& user, const Actor& by) = 0;
  virtual Result<std::optional<UserRecord>> GetUser(const std::string& login) = 0;
  virtual Result<std::optional<UserRecord>> GetUserById(int64_t id) = 0;
  virtual Status SetUserUnits(int64_t user_id, const std::vector<std::string>& units,
                              const Actor& by) = 0;
  // Every user, by login, with units (never a password hash).
  virtual Result<std::vector<UserRecord>> ListUsers() = 0;
  // Writes a user's display name, role, organisation and disabled flag,
  // audited as "update" with those four fields.
  virtual Status UpdateUser(const UserRecord& user, const Actor& by) = 0;
  // A new password hash; `temporary_until` non-zero makes it a temporary
  // password (UserRecord::temporary_until). Audited without the hash.
  virtual Status SetPasswordHash(int64_t user_id, const std::string& hash, int64_t temporary_until,
                                 const Actor& by) = 0;
  // The back-off of a login from an address (failures 0 when there is none).
  virtual Result<SignInBackoff> GetSignInBackoff(const std::string& login,
                                                 const std::string& address) = 0;
  virtual Status RecordSignIn(const SignInOutcome& outcome, const Actor& by) = 0;
  virtual Result<int64_t> CreateApiToken(const ApiTokenRecord& token, const Actor& by) = 0;
  virtual Result<std::optional<ApiTokenRecord>> FindApiToken(const std::string& token_hash) = 0;
  virtual Result<std::vector<ApiTokenRecord>> ListApiTokens(int64_t user_id) = 0;
  virtual Result<std::optional<ApiTokenRecord>> GetApiToken(int64_t id) = 0;
  virtual Status RevokeApiToken(int64_t id, int64_t at, const Actor& by) = 0;
  virtual Status CreateSession(const SessionRecord& session) = 0;
  virtual Result<std::optional<SessionRecord>> FindSession(const std::string& token_hash) = 0;
  virtual Status DeleteSession(const std::string& token_hash) = 0;
  // Ends a user's sessions (all but `keep`, a token hash, when given);
  // audited as "end_sessions" with how many. Returns how many ended.
  virtual Result<int> DeleteUserSessions(int64_t user_id, const std::string& keep,
                                         const Actor& by) = 0;
  // How many of a user's sessions last beyond `now` (UTC seconds).
  virtual Result<int> CountSessions(int64_t user_id, int64_t now) = 0;
};

}  // namespace cl
