// The programme key and the checkpoint file (docs/decisions/0011).
#include "access/audit_anchor.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/timestamp.h"
#include "store/audit_payload.h"
#include "store/store.h"

namespace cl {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kKeyFile = "audit.key";
constexpr const char* kCheckpointFile = "audit-checkpoints.jsonl";

std::string Hex(const unsigned char* bytes, size_t n) {
  std::string out(n * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), bytes, n);
  out.resize(n * 2);
  return out;
}

bool Unhex(const std::string& hex, unsigned char* out, size_t n) {
  size_t len = 0;
  return hex.size() == n * 2 &&
         sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

// "0644"
std::string ModeText(mode_t mode) {
  std::string out = "0000";
  unsigned bits = mode & 07777;
  for (size_t i = out.size(); i-- > 0; bits >>= 3U) out[i] = static_cast<char>('0' + (bits & 7U));
  return out;
}

// Creates the key pair with mode 0600; O_EXCL so that two processes never
// both write one.
Status CreateKey(const fs::path& file) {
  std::error_code ec;
  fs::create_directories(file.parent_path(), ec);
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  crypto_sign_keypair(pk, sk);
  std::string text = Hex(sk, sizeof sk) + "\n";
  sodium_memzero(sk, sizeof sk);
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return Ok{};
    return Error::Io("cannot create the audit key " + file.string());
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  sodium_memzero(text.data(), text.size());
  if (!ok) return Error::Io("cannot write the audit key " + file.string());
  return Ok{};
}

// The secret key, after checking that only its owner may read the file.
Status LoadKey(const fs::path& dir, unsigned char (&sk)[crypto_sign_SECRETKEYBYTES]) {
  if (sodium_init() < 0) return Error::Internal("libsodium failed to start");
  fs::path file = dir / kKeyFile;
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) {
    CL_RETURN_IF_ERROR(CreateKey(file));
    if (::stat(file.c_str(), &st) != 0)
      return Error::Io("cannot read the audit key " + file.string());
  }
  if ((st.st_mode & 077) != 0)
    return Error::InvalidInput("the audit key " + file.string() + " has mode " +
                               ModeText(st.st_mode) +
                               ": it must be readable by its owner only (chmod 600)");
  std::ifstream in(file);
  std::string hex;
  std::getline(in, hex);
  bool ok = Unhex(hex, sk, crypto_sign_SECRETKEYBYTES);
  sodium_memzero(hex.data(), hex.size());
  if (!ok) return Error::InvalidInput("the audit key " + file.string() + " is not an Ed25519 key");
  return Ok{};
}

std::optional<AuditCheckpoint> ParseCheckpoint(const std::string& line) {
  auto j = json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return std::nullopt;
  AuditCheckpoint c;
  try {
    c.store = j.at("store").get<std::string>();
    c.seq = j.at("seq").get<int64_t>();
    c.hash = j.at("hash").get<std::string>();
    c.at = j.at("at").get<std::string>();
    c.public_key = j.at("public_key").get<std::string>();
    c.signature = j.at("signature").get<std::string>();
  } catch (const json::exception&) {
    return std::nullopt;
  }
  return c;
}

struct CheckpointFile {
  std::vector<std::string> problems;    // unreadable or badly signed lines
  std::optional<AuditCheckpoint> last;  // the newest good one of this store
};

Result<CheckpointFile> ReadCheckpoints(const AuditAnchor& anchor, const std::string& public_key) {
  CheckpointFile out;
  std::ifstream in(anchor.dir / kCheckpointFile);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty()) continue;
    std::string where = "checkpoint line " + std::to_string(n) + ": ";
    auto c = ParseCheckpoint(line);
    if (!c) {
      out.problems.push_back(where + "not a checkpoint");
      continue;
    }
    if (c->store != anchor.store) continue;
    if (!AuditCheckpointSigned(*c)) {
      out.problems.push_back(where + "its signature does not verify (forged or edited)");
    } else if (c->public_key != public_key) {
      out.problems.push_back(where + "signed by another key than the programme's");
    } else if (!out.last || c->seq >= out.last->seq) {
      out.last = *c;
    }
  }
  return out;
}

// Whether the store still holds the checkpoint's entry; a problem line if not.
Result<std::optional<std::string>> Compare(Store& store, const AuditCheckpoint& c) {
  if (c.seq == 0) return std::optional<std::string>();
  auto entries = store.Audit().ListAudit(c.seq - 1, 1);
  if (!entries.ok()) return entries.error();
  std::string cp = "the checkpoint of " + c.at + " (entry " + std::to_string(c.seq) + ")";
  if (entries->empty() || entries->front().seq != c.seq) {
    auto head = store.Audit().Head();
    if (!head.ok()) return head.error();
    return std::optional<std::string>("the audit log ends at entry " + std::to_string(head->seq) +
                                      " but " + cp +
                                      " recorded more: entries were removed (truncated or wiped)");
  }
  if (entries->front().hash != c.hash)
    return std::optional<std::string>("audit entry " + std::to_string(c.seq) + " differs from " +
                                      cp + ": the log was rewritten");
  return std::optional<std::string>();
}

// The message signed with the programme key, hex.
Result<std::string> Sign(const fs::path& dir, const std::string& m) {
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  CL_RETURN_IF_ERROR(LoadKey(dir, sk));
  unsigned char sig[crypto_sign_BYTES];
  crypto_sign_detached(sig, nullptr, reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                       sk);
  sodium_memzero(sk, sizeof sk);
  return Hex(sig, sizeof sig);
}

Status Append(const fs::path& file, const std::string& line) {
  int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) return Error::Io("cannot open the checkpoint file " + file.string());
  std::string text = line + "\n";
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
            ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) return Error::Io("cannot write the checkpoint file " + file.string());
  return Ok{};
}

}  // namespace

fs::path DefaultAuditDir() {
  const char* home = std::getenv("CARBONLEDGER_HOME");
  return home && *home ? fs::path(home) : fs::current_path();
}

std::string AuditStoreIdentity(const std::string& target) {
  if (sodium_init() < 0) return target;
  bool postgres = target.find('=') != std::string::npos || target.rfind("postgres", 0) == 0;
  std::error_code ec;
  std::string name = postgres ? target : fs::weakly_canonical(fs::absolute(target), ec).string();
  if (ec) name = target;
  return Sha256Hex(name).substr(0, 16);
}

Result<std::string> AuditPublicKey(const fs::path& dir) {
  unsigned char sk[crypto_sign_SECRETKEYBYTES];
  CL_RETURN_IF_ERROR(LoadKey(dir, sk));
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  crypto_sign_ed25519_sk_to_pk(pk, sk);
  sodium_memzero(sk, sizeof sk);
  return Hex(pk, sizeof pk);
}

std::string AuditCheckpointMessage(const AuditCheckpoint& c) {
  return "carbonledger audit checkpoint v1\n" + c.store + "\n" + std::to_string(c.seq) + "\n" +
         c.hash + "\n" + c.at + "\n";
}

bool AuditCheckpointSigned(const AuditCheckpoint& c) {
  if (sodium_init() < 0) return false;
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  unsigned char sig[crypto_sign_BYTES];
  if (!Unhex(c.public_key, pk, sizeof pk) || !Unhex(c.signature, sig, sizeof sig)) return false;
  std::string m = AuditCheckpointMessage(c);
  return crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(m.data()),
                                     m.size(), pk) == 0;
}

std::string AuditCheckpointJson(const AuditCheckpoint& c) {
  return json{{"store", c.store},
              {"seq", c.seq},
              {"hash", c.hash},
              {"at", c.at},
              {"public_key", c.public_key},
              {"signature", c.signature}}
      .dump();
}

Result<AuditCheckpoint> WriteAuditCheckpoint(Store& store, const AuditAnchor& anchor,
                                             std::optional<AuditCheckpoint>* known) {
  auto pk = AuditPublicKey(anchor.dir);
  if (!pk.ok()) return pk.error();
  std::optional<AuditCheckpoint> read;
  std::optional<AuditCheckpoint>& last = known ? *known : read;
  if (!last) {
    auto file = ReadCheckpoints(anchor, *pk);
    if (!file.ok()) return file.error();
    last = file->last;
  }
  auto head = store.Audit().Head();
  if (!head.ok()) return head.error();
  if (last) {
    auto problem = Compare(store, *last);
    if (!problem.ok()) return problem.error();
    if (*problem) return Error::Conflict("not checkpointing a tampered audit log: " + **problem);
    if (last->seq == head->seq) return *last;
  }
  AuditCheckpoint c{anchor.store, head->seq, head->hash, NowUtc(), *pk, ""};
  auto signature = Sign(anchor.dir, AuditCheckpointMessage(c));
  if (!signature.ok()) return signature.error();
  c.signature = *signature;
  CL_RETURN_IF_ERROR(Append(anchor.dir / kCheckpointFile, AuditCheckpointJson(c)));
  last = c;
  return c;
}

Result<std::optional<AuditCheckpoint>> LatestAuditCheckpoint(const AuditAnchor& anchor) {
  auto pk = AuditPublicKey(anchor.dir);
  if (!pk.ok()) return pk.error();
  auto file = ReadCheckpoints(anchor, *pk);
  if (!file.ok()) return file.error();
  return file->last;
}

Result<std::vector<std::string>> CheckAuditAnchor(Store& store, const AuditAnchor& anchor) {
  auto pk = AuditPublicKey(anchor.dir);
  if (!pk.ok()) return pk.error();
  auto file = ReadCheckpoints(anchor, *pk);
  if (!file.ok()) return file.error();
  std::vector<std::string> problems = std::move(file->problems);
  if (file->last) {
    auto compared = Compare(store, *file->last);
    if (!compared.ok()) return compared.error();
    if (*compared) problems.push_back(**compared);
  }
  return problems;
}

}  // namespace cl
