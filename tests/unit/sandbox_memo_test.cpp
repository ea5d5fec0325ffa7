// The box sandbox's memo of its probe: taken on trust until this run's probe answers, checked
// then, and rewritten when it was wrong. The launcher here is a script that answers `--mode`
// only once the test opens a gate, so that "did not wait for the probe" is a fact, not a time.

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "grader/error.hpp"
#include "grader/sandbox.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

class SandboxMemoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // --mode: waits for the gate, then prints the truth file; a gate still shut after 5 s is a
    // probe that found nothing, so that a sandbox that waited where it should not fails the
    // test. A run: writes a result record where --result says.
    launcher_ = dir_.write("launcher.sh",
                           "#!/bin/sh\n"
                           "here=$(dirname \"$0\")\n"
                           "if [ \"$1\" = --mode ]; then\n"
                           "  i=0\n"
                           "  while [ ! -e \"$here/gate\" ] && [ $i -lt 100 ]; do\n"
                           "    sleep 0.05; i=$((i + 1))\n"
                           "  done\n"
                           "  [ -e \"$here/gate\" ] || exit 1\n"
                           "  cat \"$here/truth\"\n"
                           "  exit 0\n"
                           "fi\n"
                           "while [ $# -gt 0 ]; do\n"
                           "  if [ \"$1\" = --result ]; then\n"
                           "    printf 'verdict=exited\\nexit_code=0\\n' > \"$2\"\n"
                           "  fi\n"
                           "  shift\n"
                           "done\n");
    ::chmod(launcher_.c_str(), 0755);
    set_truth("root", true);
    memo_dir_ = dir_.path() / "memo";
  }

  void set_truth(const std::string& mode, bool cgroups) {
    dir_.write("truth", "mode=" + mode + "\ncgroup_limits=" + (cgroups ? "1" : "0") + "\n");
  }
  void open_gate() { dir_.write("gate", ""); }
  std::vector<fs::path> memos() const {
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(memo_dir_, ec)) files.push_back(entry.path());
    return files;
  }
  static std::string read(const fs::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  RunOutcome run_true(Sandbox& sandbox) {
    RunRequest request;
    request.argv = {"/bin/true"};
    request.box_dir = dir_.path() / "box";
    request.io_dir = dir_.path() / "io";
    fs::create_directories(request.box_dir);
    fs::create_directories(request.io_dir);
    return sandbox.run(request);
  }

  testing::TempDir dir_;
  fs::path launcher_;
  fs::path memo_dir_;
};

TEST_F(SandboxMemoTest, WithoutAMemoTheProbeIsAwaitedAndRemembered) {
  open_gate();
  auto sandbox = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
  EXPECT_NE(sandbox->description().find("(root mode)"), std::string::npos)
      << sandbox->description();
  EXPECT_TRUE(sandbox->confirm());
  ASSERT_EQ(memos().size(), 1u);
  EXPECT_EQ(read(memos()[0]), "mode=root\ncgroup_limits=1\n");
}

TEST_F(SandboxMemoTest, ARightMemoIsUsedBeforeTheProbeAnswersAndThenConfirmed) {
  open_gate();
  make_box_sandbox(launcher_, Isolation::Full, memo_dir_)->confirm();  // writes the memo
  fs::remove(dir_.path() / "gate");
  auto sandbox = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
  // The probe is held at the gate: these answer from the memo alone.
  EXPECT_NE(sandbox->description().find("(root mode)"), std::string::npos);
  EXPECT_EQ(run_true(*sandbox).termination, Termination::Exited);
  open_gate();
  EXPECT_TRUE(sandbox->confirm());
  EXPECT_EQ(memos().size(), 1u);
}

TEST_F(SandboxMemoTest, AWrongMemoIsCaughtAndReplaced) {
  open_gate();
  make_box_sandbox(launcher_, Isolation::Full, memo_dir_)->confirm();
  ASSERT_EQ(memos().size(), 1u);
  fs::remove(dir_.path() / "gate");
  set_truth("user-namespace", false);  // the machine changed; the memo did not
  auto sandbox = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
  EXPECT_NE(sandbox->description().find("(root mode)"), std::string::npos);
  open_gate();
  EXPECT_FALSE(sandbox->confirm());
  EXPECT_FALSE(sandbox->confirm()) << "a miss stays a miss";
  EXPECT_NE(sandbox->description().find("user-namespace mode; no cgroup"), std::string::npos)
      << sandbox->description();
  ASSERT_EQ(memos().size(), 1u);
  EXPECT_EQ(read(memos()[0]), "mode=user-namespace\ncgroup_limits=0\n");
  // The next sandbox takes the corrected memo, and it holds.
  auto next = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
  EXPECT_NE(next->description().find("user-namespace mode"), std::string::npos);
  EXPECT_TRUE(next->confirm());
}

TEST_F(SandboxMemoTest, AMemoThatNamesNoUsableModeIsIgnored) {
  open_gate();
  make_box_sandbox(launcher_, Isolation::Full, memo_dir_)->confirm();
  ASSERT_EQ(memos().size(), 1u);
  for (const std::string junk : {"mode=none\ncgroup_limits=1\n", "garbage", ""}) {
    std::ofstream(memos()[0]) << junk;
    auto sandbox = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
    EXPECT_NE(sandbox->description().find("(root mode)"), std::string::npos) << junk;
    EXPECT_TRUE(sandbox->confirm()) << "nothing was taken on trust: " << junk;
    EXPECT_EQ(read(memos()[0]), "mode=root\ncgroup_limits=1\n") << junk;
  }
}

TEST_F(SandboxMemoTest, AnotherLauncherHasAMemoOfItsOwn) {
  open_gate();
  make_box_sandbox(launcher_, Isolation::Full, memo_dir_)->confirm();
  const fs::path other = dir_.path() / "other-launcher.sh";
  fs::copy_file(launcher_, other);
  make_box_sandbox(other, Isolation::Full, memo_dir_)->confirm();
  EXPECT_EQ(memos().size(), 2u);
}

TEST_F(SandboxMemoTest, WhenNoSandboxIsLeftTheMissSaysSoAndTheRetryFails) {
  open_gate();
  make_box_sandbox(launcher_, Isolation::Full, memo_dir_)->confirm();
  set_truth("none", false);
  auto sandbox = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
  EXPECT_FALSE(sandbox->confirm());
  EXPECT_TRUE(memos().empty()) << "a memo of a sandbox that is gone is removed";
  // What the retry without a memo (or any later run) says: no sandbox here.
  auto retry = make_box_sandbox(launcher_, Isolation::Full, memo_dir_);
  EXPECT_THROW(retry->description(), SandboxUnavailableError);
}

}  // namespace
}  // namespace grader
