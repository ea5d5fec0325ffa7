// The SQLite store: one connection, serialised by a mutex, in WAL mode so that readers of
// the file (backups, sqlite3 on the command line) never block the server.

#include <fmt/format.h>
#include <sqlite3.h>

#include <mutex>

#include "../files.hpp"
#include "grader/error.hpp"
#include "grader/hash.hpp"
#include "grader/store.hpp"
#include "grader/tokens.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// Each entry migrates the schema from version i to i + 1; never edit one that has shipped.
const char* const kMigrations[] = {
    R"sql(
CREATE TABLE users (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  instructor INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tokens (
  selector TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  revoked INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX tokens_user ON tokens(user_id);
CREATE TABLE submissions (
  id TEXT PRIMARY KEY,
  seq INTEGER NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users(id),
  exercise TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done')),
  submitted_at INTEGER NOT NULL,
  graded_at INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  result_json TEXT NOT NULL DEFAULT ''
);
CREATE INDEX submissions_state ON submissions(state, seq);
CREATE INDEX submissions_exercise_user ON submissions(exercise, user_id, seq);
CREATE TABLE submission_files (
  submission_id TEXT NOT NULL REFERENCES submissions(id),
  name TEXT NOT NULL,
  hash TEXT NOT NULL,
  PRIMARY KEY (submission_id, name)
);
CREATE TABLE extensions (
  user_id TEXT NOT NULL REFERENCES users(id),
  exercise TEXT NOT NULL,
  due INTEGER NOT NULL,
  PRIMARY KEY (user_id, exercise)
);
)sql",
    // 2: the submission a student chose to count (else the latest counts).
    R"sql(
CREATE TABLE choices (
  user_id TEXT NOT NULL REFERENCES users(id),
  exercise TEXT NOT NULL,
  submission_id TEXT NOT NULL REFERENCES submissions(id),
  PRIMARY KEY (user_id, exercise)
);
)sql",
};
constexpr int kMigrationCount = static_cast<int>(sizeof(kMigrations) / sizeof(kMigrations[0]));
static_assert(kMigrationCount == kStoreSchemaVersion);

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr) != SQLITE_OK) {
      throw StoreError(fmt::format("database: cannot prepare \"{}\": {}", sql, sqlite3_errmsg(db)));
    }
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& bind(int index, const std::string& text) {
    check(sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()),
                            SQLITE_TRANSIENT));
    return *this;
  }
  Statement& bind(int index, std::int64_t value) {
    check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }
  /// Steps once: true when a row is available.
  bool step() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(fmt::format("database: {}", sqlite3_errmsg(db_)));
  }
  std::string text(int column) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return p == nullptr
               ? std::string()
               : std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
  }
  std::int64_t integer(int column) const { return sqlite3_column_int64(stmt_, column); }

 private:
  void check(int rc) const {
    if (rc != SQLITE_OK) throw StoreError(fmt::format("database: {}", sqlite3_errmsg(db_)));
  }
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

JobState parse_state(const std::string& text) {
  if (text == "running") return JobState::Running;
  if (text == "done") return JobState::Done;
  return JobState::Queued;
}

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const fs::path& file) {
    if (sqlite3_open_v2(file.c_str(), &db_,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                        nullptr) != SQLITE_OK) {
      const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StoreError(fmt::format("{}: cannot open the database: {}", file.string(), why));
    }
    file_ = file.string();
    sqlite3_busy_timeout(db_, 5000);
    exec("PRAGMA journal_mode=WAL");
    // NORMAL is durable in WAL mode across a crash of the process (kill -9); only a power
    // loss may drop the last transactions.
    exec("PRAGMA synchronous=NORMAL");
    exec("PRAGMA foreign_keys=ON");
    migrate();
  }
  ~SqliteStore() override { sqlite3_close(db_); }

  void put_user(const User& user) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement(db_,
              "INSERT INTO users(id, name, email, instructor) VALUES(?1, ?2, ?3, ?4) "
              "ON CONFLICT(id) DO UPDATE SET name = excluded.name, email = excluded.email, "
              "instructor = excluded.instructor")
        .bind(1, user.id)
        .bind(2, user.name)
        .bind(3, user.email)
        .bind(4, std::int64_t{user.instructor ? 1 : 0})
        .step();
  }

  std::optional<User> find_user(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT id, name, email, instructor FROM users WHERE id = ?1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return User{s.text(0), s.text(1), s.text(2), s.integer(3) != 0};
  }

  void add_token(const std::string& user, const std::string& selector,
                 const std::string& token_hash) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement(db_,
              "INSERT INTO tokens(selector, user_id, token_hash, created_at) "
              "VALUES(?1, ?2, ?3, strftime('%s','now'))")
        .bind(1, selector)
        .bind(2, user)
        .bind(3, token_hash)
        .step();
  }

  int revoke_tokens(const std::string& user) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement(db_, "UPDATE tokens SET revoked = 1 WHERE user_id = ?1 AND revoked = 0")
        .bind(1, user)
        .step();
    return sqlite3_changes(db_);
  }

  std::optional<std::pair<std::string, User>> find_token(const std::string& selector) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_,
                "SELECT t.token_hash, u.id, u.name, u.email, u.instructor FROM tokens t "
                "JOIN users u ON u.id = t.user_id WHERE t.selector = ?1 AND t.revoked = 0");
    s.bind(1, selector);
    if (!s.step()) return std::nullopt;
    return std::make_pair(s.text(0), User{s.text(1), s.text(2), s.text(3), s.integer(4) != 0});
  }

  StoredSubmission add_submission(const std::string& user, const std::string& exercise,
                                  std::int64_t submitted_at,
                                  const std::vector<StoredFile>& files) override {
    StoredSubmission s;
    s.id = random_hex(12);
    s.user = user;
    s.exercise = exercise;
    s.submitted_at = submitted_at;
    s.files = files;
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(*this);
    Statement(db_,
              "INSERT INTO submissions(id, seq, user_id, exercise, state, submitted_at) VALUES(?1, "
              "(SELECT COALESCE(MAX(seq), 0) + 1 FROM submissions), ?2, ?3, 'queued', ?4)")
        .bind(1, s.id)
        .bind(2, user)
        .bind(3, exercise)
        .bind(4, submitted_at)
        .step();
    for (const StoredFile& f : files) {
      Statement(db_, "INSERT INTO submission_files(submission_id, name, hash) VALUES(?1, ?2, ?3)")
          .bind(1, s.id)
          .bind(2, f.name)
          .bind(3, f.hash)
          .step();
    }
    tx.commit();
    return s;
  }

  std::optional<StoredSubmission> find_submission(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, std::string(kSelect).append(" WHERE id = ?1").c_str());
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    StoredSubmission found = row(s);
    found.files = files_of(found.id);
    return found;
  }

  std::vector<StoredSubmission> list_submissions(const std::string& exercise,
                                                 const std::string& user) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, std::string(kSelect)
                         .append(" WHERE exercise = ?1 AND (?2 = '' OR user_id = ?2) ORDER BY seq")
                         .c_str());
    s.bind(1, exercise).bind(2, user);
    std::vector<StoredSubmission> out;
    while (s.step()) out.push_back(row(s));
    return out;
  }

  std::optional<StoredSubmission> claim_next() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Transaction tx(*this);
    Statement s(
        db_, std::string(kSelect).append(" WHERE state = 'queued' ORDER BY seq LIMIT 1").c_str());
    if (!s.step()) return std::nullopt;
    StoredSubmission found = row(s);
    Statement(db_,
              "UPDATE submissions SET state = 'running', attempts = attempts + 1 WHERE id = ?1")
        .bind(1, found.id)
        .step();
    found.files = files_of(found.id);
    tx.commit();
    found.state = JobState::Running;
    found.attempts += 1;
    return found;
  }

  void finish(const std::string& id, const std::string& result_json,
              std::int64_t graded_at) override {
    std::lock_guard<std::mutex> lock(mutex_);
    // One statement, so one transaction: the result and the state change land together.
    Statement(db_,
              "UPDATE submissions SET state = 'done', result_json = ?2, graded_at = ?3 "
              "WHERE id = ?1 AND state = 'running'")
        .bind(1, id)
        .bind(2, result_json)
        .bind(3, graded_at)
        .step();
  }

  int requeue_running() override {
    std::lock_guard<std::mutex> lock(mutex_);
    exec("UPDATE submissions SET state = 'queued' WHERE state = 'running'");
    return sqlite3_changes(db_);
  }

  std::size_t queued_count() override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT COUNT(*) FROM submissions WHERE state = 'queued'");
    s.step();
    return static_cast<std::size_t>(s.integer(0));
  }

  void choose(const std::string& user, const std::string& exercise,
              const std::string& id) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement(db_,
              "INSERT INTO choices(user_id, exercise, submission_id) VALUES(?1, ?2, ?3) "
              "ON CONFLICT(user_id, exercise) DO UPDATE SET submission_id = excluded.submission_id")
        .bind(1, user)
        .bind(2, exercise)
        .bind(3, id)
        .step();
  }

  std::map<std::string, std::string> choices(const std::string& exercise) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT user_id, submission_id FROM choices WHERE exercise = ?1");
    s.bind(1, exercise);
    std::map<std::string, std::string> out;
    while (s.step()) out[s.text(0)] = s.text(1);
    return out;
  }

  void set_extension(const std::string& user, const std::string& exercise,
                     std::int64_t due) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement(db_,
              "INSERT INTO extensions(user_id, exercise, due) VALUES(?1, ?2, ?3) "
              "ON CONFLICT(user_id, exercise) DO UPDATE SET due = excluded.due")
        .bind(1, user)
        .bind(2, exercise)
        .bind(3, due)
        .step();
  }

  std::optional<std::int64_t> find_extension(const std::string& user,
                                             const std::string& exercise) override {
    std::lock_guard<std::mutex> lock(mutex_);
    Statement s(db_, "SELECT due FROM extensions WHERE user_id = ?1 AND exercise = ?2");
    s.bind(1, user).bind(2, exercise);
    if (!s.step()) return std::nullopt;
    return s.integer(0);
  }

 private:
  static constexpr const char* kSelect =
      "SELECT id, user_id, exercise, state, submitted_at, graded_at, attempts, result_json "
      "FROM submissions";

  // BEGIN IMMEDIATE ... COMMIT, rolled back unless committed.
  class Transaction {
   public:
    explicit Transaction(SqliteStore& store) : store_(store) { store_.exec("BEGIN IMMEDIATE"); }
    ~Transaction() {
      if (!done_) sqlite3_exec(store_.db_, "ROLLBACK", nullptr, nullptr, nullptr);
    }
    void commit() {
      store_.exec("COMMIT");
      done_ = true;
    }

   private:
    SqliteStore& store_;
    bool done_ = false;
  };

  static StoredSubmission row(const Statement& s) {
    StoredSubmission out;
    out.id = s.text(0);
    out.user = s.text(1);
    out.exercise = s.text(2);
    out.state = parse_state(s.text(3));
    out.submitted_at = s.integer(4);
    out.graded_at = s.integer(5);
    out.attempts = static_cast<int>(s.integer(6));
    out.result_json = s.text(7);
    return out;
  }

  std::vector<StoredFile> files_of(const std::string& id) {
    Statement s(db_,
                "SELECT name, hash FROM submission_files WHERE submission_id = ?1 ORDER BY name");
    s.bind(1, id);
    std::vector<StoredFile> out;
    while (s.step()) out.push_back({s.text(0), s.text(1)});
    return out;
  }

  void exec(const char* sql) {
    char* message = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &message) != SQLITE_OK) {
      const std::string why = message ? message : sqlite3_errmsg(db_);
      sqlite3_free(message);
      throw StoreError(fmt::format("{}: {}", file_, why));
    }
  }

  void migrate() {
    Statement version_query(db_, "PRAGMA user_version");
    version_query.step();
    const int version = static_cast<int>(version_query.integer(0));
    if (version > kStoreSchemaVersion) {
      throw StoreError(fmt::format(
          "{}: the database has schema version {}, newer than this grader's {}; use a newer grader",
          file_, version, kStoreSchemaVersion));
    }
    for (int v = version; v < kStoreSchemaVersion; ++v) {
      exec("BEGIN IMMEDIATE");
      try {
        exec(kMigrations[v]);
        exec(fmt::format("PRAGMA user_version = {}", v + 1).c_str());
        exec("COMMIT");
      } catch (...) {
        sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
        throw;
      }
    }
  }

  sqlite3* db_ = nullptr;
  std::string file_;
  std::mutex mutex_;
};

}  // namespace

std::string to_string(JobState state) {
  switch (state) {
    case JobState::Queued:
      return "queued";
    case JobState::Running:
      return "running";
    case JobState::Done:
      return "done";
  }
  return "queued";
}

std::unique_ptr<Store> open_sqlite_store(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    throw StoreError(
        fmt::format("cannot create the data folder \"{}\": {}", dir.string(), ec.message()));
  }
  return std::make_unique<SqliteStore>(dir / "grader.sqlite3");
}

FileStore::FileStore(fs::path dir) : dir_(std::move(dir)) {}

fs::path FileStore::path_of(const std::string& hash) const {
  return dir_ / "files" / hash.substr(0, 2) / hash;
}

std::string FileStore::put(const std::string& bytes) {
  const std::string hash = sha256_hex(bytes);
  const fs::path path = path_of(hash);
  std::error_code ec;
  if (fs::exists(path, ec)) return hash;
  try {
    detail::write_atomically(path, bytes);
  } catch (const std::exception& e) {
    throw StoreError(
        fmt::format("cannot store an uploaded file in {}: {}", path.string(), e.what()));
  }
  return hash;
}

std::string FileStore::get(const std::string& hash) const {
  std::optional<std::string> bytes = detail::read_text(path_of(hash));
  if (!bytes) {
    throw StoreError(
        fmt::format("uploaded file {} is missing from {}", hash, (dir_ / "files").string()));
  }
  return *bytes;
}

}  // namespace grader
