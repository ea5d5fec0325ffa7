#include "grader/store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <map>

#include "grader/error.hpp"
#include "grader/tokens.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

using testing::TempDir;

TEST(StoreTest, UsersAreCreatedAndUpdated) {
  TempDir dir;
  auto store = open_sqlite_store(dir.path());
  store->put_user({"s1", "Ada", "ada@example.org", false});
  store->put_user({"s1", "Ada L.", "", true});
  const std::optional<User> user = store->find_user("s1");
  ASSERT_TRUE(user);
  EXPECT_EQ(user->name, "Ada L.");
  EXPECT_TRUE(user->instructor);
  EXPECT_FALSE(store->find_user("nobody"));
}

TEST(StoreTest, RevokedTokensAreNotFound) {
  TempDir dir;
  auto store = open_sqlite_store(dir.path());
  store->put_user({"s1", "", "", false});
  const NewToken token = make_token();
  store->add_token("s1", token.selector, token.hash);
  auto found = store->find_token(token.selector);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->first, token.hash);
  EXPECT_EQ(found->second.id, "s1");
  EXPECT_EQ(store->revoke_tokens("s1"), 1);
  EXPECT_FALSE(store->find_token(token.selector));
}

TEST(StoreTest, JobsGoQueuedRunningDoneInOrder) {
  TempDir dir;
  auto store = open_sqlite_store(dir.path());
  store->put_user({"s1", "", "", false});
  const StoredSubmission a = store->add_submission("s1", "backprop", 100, {{"main.py", "aa"}});
  const StoredSubmission b = store->add_submission("s1", "backprop", 101, {{"main.py", "bb"}});
  EXPECT_NE(a.id, b.id);
  EXPECT_EQ(store->queued_count(), 2u);
  std::optional<StoredSubmission> first = store->claim_next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->id, a.id);
  EXPECT_EQ(first->state, JobState::Running);
  ASSERT_EQ(first->files.size(), 1u);
  EXPECT_EQ(first->files[0].hash, "aa");
  store->finish(a.id, "{\"score\": 1}", 200);
  const std::optional<StoredSubmission> done = store->find_submission(a.id);
  ASSERT_TRUE(done);
  EXPECT_EQ(done->state, JobState::Done);
  EXPECT_EQ(done->result_json, "{\"score\": 1}");
  EXPECT_EQ(store->list_submissions("backprop", "s1").size(), 2u);
  EXPECT_EQ(store->list_submissions("backprop", "s2").size(), 0u);
}

TEST(StoreTest, RunningJobsGoBackToTheQueueOnReopen) {
  TempDir dir;
  std::string id;
  {
    auto store = open_sqlite_store(dir.path());
    store->put_user({"s1", "", "", false});
    id = store->add_submission("s1", "backprop", 100, {}).id;
    ASSERT_TRUE(store->claim_next());
    EXPECT_FALSE(store->claim_next());
  }
  auto store = open_sqlite_store(dir.path());
  EXPECT_EQ(store->requeue_running(), 1);
  const std::optional<StoredSubmission> again = store->claim_next();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->id, id);
  EXPECT_EQ(again->attempts, 2);
}

TEST(StoreTest, FinishIgnoresAJobThatIsNotRunning) {
  TempDir dir;
  auto store = open_sqlite_store(dir.path());
  store->put_user({"s1", "", "", false});
  const std::string id = store->add_submission("s1", "backprop", 100, {}).id;
  store->finish(id, "{}", 1);
  EXPECT_EQ(store->find_submission(id)->state, JobState::Queued);
}

TEST(StoreTest, ExtensionsReplaceEarlierOnes) {
  TempDir dir;
  auto store = open_sqlite_store(dir.path());
  store->put_user({"s1", "", "", false});
  EXPECT_FALSE(store->find_extension("s1", "backprop"));
  store->set_extension("s1", "backprop", 10);
  store->set_extension("s1", "backprop", 20);
  EXPECT_EQ(store->find_extension("s1", "backprop"), 20);
}

TEST(StoreTest, RefusesANewerSchema) {
  TempDir dir;
  { open_sqlite_store(dir.path()); }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "grader.sqlite3").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  try {
    open_sqlite_store(dir.path());
    FAIL() << "a newer schema was opened";
  } catch (const StoreError& e) {
    EXPECT_NE(std::string(e.what()).find("schema version 99, newer than this grader's 2"),
              std::string::npos)
        << e.what();
  }
}

TEST(StoreTest, AChoiceReplacesTheEarlierOne) {
  TempDir dir;
  auto store = open_sqlite_store(dir.path());
  store->put_user({"s1", "", "", false});
  const std::string a = store->add_submission("s1", "backprop", 100, {}).id;
  const std::string b = store->add_submission("s1", "backprop", 101, {}).id;
  EXPECT_TRUE(store->choices("backprop").empty());
  store->choose("s1", "backprop", a);
  store->choose("s1", "backprop", b);
  EXPECT_EQ(store->choices("backprop"), (std::map<std::string, std::string>{{"s1", b}}));
  EXPECT_TRUE(store->choices("backprop-network").empty());
}

TEST(StoreTest, MigratesAVersionOneDatabase) {
  TempDir dir;
  std::string id;
  {
    auto store = open_sqlite_store(dir.path());
    store->put_user({"s1", "", "", false});
    id = store->add_submission("s1", "backprop", 1, {}).id;
  }
  // What a grader of schema version 1 left: no choices table, user_version 1.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() / "grader.sqlite3").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(
      sqlite3_exec(db, "DROP TABLE choices; PRAGMA user_version = 1", nullptr, nullptr, nullptr),
      SQLITE_OK);
  sqlite3_close(db);
  auto store = open_sqlite_store(dir.path());
  EXPECT_EQ(store->find_submission(id)->user, "s1");
  store->choose("s1", "backprop", id);
  EXPECT_EQ(store->choices("backprop").at("s1"), id);
}

TEST(FileStoreTest, KeepsContentByHash) {
  TempDir dir;
  FileStore files(dir.path());
  const std::string hash = files.put("print(1)\n");
  EXPECT_EQ(hash.size(), 64u);
  EXPECT_EQ(files.put("print(1)\n"), hash);
  EXPECT_EQ(files.get(hash), "print(1)\n");
  EXPECT_THROW(files.get(std::string(64, '0')), StoreError);
}

}  // namespace
}  // namespace grader
