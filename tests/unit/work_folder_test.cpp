// The grader's work folders: where they go, their lock, and the sweep of those a killed grader
// left behind.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "../grader/src/files.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// Sets TMPDIR for one test and restores it afterwards.
class TmpdirOverride {
 public:
  explicit TmpdirOverride(const fs::path& value) {
    if (const char* old = std::getenv("TMPDIR")) old_ = old;
    ::setenv("TMPDIR", value.c_str(), 1);
  }
  ~TmpdirOverride() {
    if (old_) {
      ::setenv("TMPDIR", old_->c_str(), 1);
    } else {
      ::unsetenv("TMPDIR");
    }
  }
  TmpdirOverride(const TmpdirOverride&) = delete;
  TmpdirOverride& operator=(const TmpdirOverride&) = delete;

 private:
  std::optional<std::string> old_;
};

void write_file(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

// A folder as a killed grader leaves it: the lock file is there, nobody holds it.
fs::path abandoned_folder(const fs::path& base, const std::string& name) {
  const fs::path folder = base / name;
  fs::create_directories(folder / "job-0" / "program");
  write_file(folder / ".owner", "");
  write_file(folder / "job-0" / "program" / "main.cpp", "int main() {}\n");
  return folder;
}

TEST(WorkFolderTest, FollowsTmpdirAndHoldsItsLockWhileItLives) {
  testing::TempDir base;
  const TmpdirOverride tmpdir(base.path());
  EXPECT_EQ(detail::temp_base(), base.path());
  fs::path made;
  {
    detail::TempDir work("grader-");
    made = work.path();
    EXPECT_EQ(made.parent_path(), base.path());
    ASSERT_TRUE(fs::is_regular_file(made / ".owner"));
    // Another process (here: another open file description) cannot take the lock.
    const int other = ::open((made / ".owner").c_str(), O_RDONLY | O_CLOEXEC);
    ASSERT_GE(other, 0);
    EXPECT_NE(::flock(other, LOCK_EX | LOCK_NB), 0);
    ::close(other);
    // So a sweep leaves the living folder alone.
    detail::sweep_abandoned_work_folders(base.path());
    EXPECT_TRUE(fs::is_directory(made));
  }
  EXPECT_FALSE(fs::exists(made));
}

TEST(WorkFolderTest, SweepRemovesOnlyAbandonedFoldersOfThisUser) {
  testing::TempDir base;
  const fs::path abandoned = abandoned_folder(base.path(), "grader-abc123");
  const fs::path abandoned_check = abandoned_folder(base.path(), "grader-check-xyz789");
  // Without a lock file: made by something else, or by a grader from before locks.
  const fs::path unlocked = base.path() / "grader-old000";
  fs::create_directories(unlocked / "toolchain-cpp");
  // Not a grader work folder, even with a lock file.
  const fs::path other = abandoned_folder(base.path(), "project-build");
  // A symlink named like a work folder, to a folder that looks abandoned.
  testing::TempDir elsewhere;
  const fs::path target = abandoned_folder(elsewhere.path(), "grader-target");
  fs::create_directory_symlink(target, base.path() / "grader-link00");
  // A folder whose lock is held by a living grader.
  const fs::path living = abandoned_folder(base.path(), "grader-live00");
  const int held = ::open((living / ".owner").c_str(), O_RDONLY | O_CLOEXEC);
  ASSERT_GE(held, 0);
  ASSERT_EQ(::flock(held, LOCK_EX), 0);

  detail::sweep_abandoned_work_folders(base.path());

  EXPECT_FALSE(fs::exists(abandoned));
  EXPECT_FALSE(fs::exists(abandoned_check));
  EXPECT_TRUE(fs::is_directory(unlocked / "toolchain-cpp"));
  EXPECT_TRUE(fs::is_regular_file(other / ".owner"));
  EXPECT_TRUE(fs::is_symlink(base.path() / "grader-link00"));
  EXPECT_TRUE(fs::is_regular_file(target / "job-0" / "program" / "main.cpp"));
  EXPECT_TRUE(fs::is_regular_file(living / "job-0" / "program" / "main.cpp"));
  ::close(held);
}

TEST(WorkFolderTest, SweepOfAMissingBaseOrAFileDoesNothing) {
  testing::TempDir base;
  EXPECT_NO_THROW(detail::sweep_abandoned_work_folders(base.path() / "missing"));
  write_file(base.path() / "file", "kept");
  EXPECT_NO_THROW(detail::sweep_abandoned_work_folders(base.path() / "file"));
  EXPECT_EQ(testing::read_file(base.path() / "file"), "kept");
}

}  // namespace
}  // namespace grader
