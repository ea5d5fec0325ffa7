#pragma once
/// \file
/// The server's storage: accounts, tokens, submissions and their job state, behind one
/// interface. The SQLite implementation keeps everything in one file under the data folder; a
/// PostgreSQL one could replace it for a whole university (docs/server.md).
///
/// A submission's job goes `queued` -> `running` -> `done`. `claim_next` moves the oldest queued
/// job to running atomically, `finish` stores the result and marks the job done in one
/// transaction, and `requeue_running` (called on start) puts back the jobs of a server that
/// stopped or was killed, so that every accepted submission ends graded exactly once.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace grader {

/// An account. Students and instructors differ only by `instructor`.
struct User {
  std::string id;     ///< e.g. the student number; the id used in reports
  std::string name;   ///< may be empty
  std::string email;  ///< may be empty
  bool instructor = false;
};

/// One file of a submission: its name (relative, '/' separated) and the SHA-256 of its bytes,
/// under which the bytes are kept beside the database.
struct StoredFile {
  std::string name;
  std::string hash;
};

/// Job state of a submission.
enum class JobState { Queued, Running, Done };
std::string to_string(JobState state);

/// A submission as stored.
struct StoredSubmission {
  std::string id;        ///< random, unguessable
  std::string user;      ///< User::id
  std::string exercise;  ///< exercise id
  JobState state = JobState::Queued;
  std::int64_t submitted_at = 0;  ///< Unix seconds, by the server's clock
  std::int64_t graded_at = 0;     ///< Unix seconds; 0 until done
  std::vector<StoredFile> files;
  std::string result_json;  ///< the report's submission object, once done
  int attempts = 0;         ///< how many times a worker started it (1 unless a run was cut short)
};

/// Where the data lives. Every method is safe to call from several threads at once.
/// \throws StoreError (exit code 4) when the storage itself fails.
class Store {
 public:
  virtual ~Store() = default;

  /// Creates the user or updates its name, email and role.
  virtual void put_user(const User& user) = 0;
  /// The user `id`, if there is one.
  virtual std::optional<User> find_user(const std::string& id) = 0;

  /// Records a token of `user` by its selector (the public first part of the token, used to find
  /// it) and the SHA-256 of the whole token (never the token itself).
  virtual void add_token(const std::string& user, const std::string& selector,
                         const std::string& token_hash) = 0;
  /// Revokes every token of `user`; returns how many were live.
  virtual int revoke_tokens(const std::string& user) = 0;
  /// The stored hash and user of the live token with `selector`, if any.
  virtual std::optional<std::pair<std::string, User>> find_token(const std::string& selector) = 0;

  /// Stores a new queued submission and returns it (with a fresh id).
  virtual StoredSubmission add_submission(const std::string& user, const std::string& exercise,
                                          std::int64_t submitted_at,
                                          const std::vector<StoredFile>& files) = 0;
  /// The submission `id`, with its files and result.
  virtual std::optional<StoredSubmission> find_submission(const std::string& id) = 0;
  /// The submissions of `exercise` (of `user` only, when not empty), oldest first, with their
  /// results but without their files.
  virtual std::vector<StoredSubmission> list_submissions(const std::string& exercise,
                                                         const std::string& user) = 0;

  /// Moves the oldest queued submission to running (counting the attempt) and returns it.
  virtual std::optional<StoredSubmission> claim_next() = 0;
  /// Stores the result of a running submission and marks it done, in one transaction.
  virtual void finish(const std::string& id, const std::string& result_json,
                      std::int64_t graded_at) = 0;
  /// Puts every running submission back in the queue; returns how many. Called on start.
  virtual int requeue_running() = 0;
  /// How many submissions are queued.
  virtual std::size_t queued_count() = 0;

  /// Makes submission `id` the one of `user` that counts for `exercise` in class reports.
  virtual void choose(const std::string& user, const std::string& exercise,
                      const std::string& id) = 0;
  /// The chosen submission of each user of `exercise` that chose one: user -> submission id.
  virtual std::map<std::string, std::string> choices(const std::string& exercise) = 0;

  /// Grants `user` a new due time for `exercise` (Unix seconds).
  virtual void set_extension(const std::string& user, const std::string& exercise,
                             std::int64_t due) = 0;
  /// The extension of `user` for `exercise`, if granted.
  virtual std::optional<std::int64_t> find_extension(const std::string& user,
                                                     const std::string& exercise) = 0;
};

/// Opens (creating if needed) the SQLite store `dir/grader.sqlite3` in WAL mode, migrating its
/// schema to the current version. File contents are kept by the caller (see FileStore).
/// \throws StoreError when the file cannot be opened or has a newer schema than this grader.
std::unique_ptr<Store> open_sqlite_store(const std::filesystem::path& dir);

/// Schema version the SQLite store migrates to.
inline constexpr int kStoreSchemaVersion = 2;

/// The uploaded files, kept by content hash under `dir/files/ab/abcdef...`.
class FileStore {
 public:
  explicit FileStore(std::filesystem::path dir);
  /// Stores `bytes` (atomically, once per content) and returns their SHA-256.
  std::string put(const std::string& bytes);
  /// The bytes stored under `hash`. \throws StoreError when missing.
  std::string get(const std::string& hash) const;

 private:
  std::filesystem::path path_of(const std::string& hash) const;
  std::filesystem::path dir_;
};

}  // namespace grader
