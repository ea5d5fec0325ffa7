// The pure parts of pull-request grading: git's output parsed, the scope of a pull request, the
// files of its submission, the roster. The git-driven whole is tested in tests/ci.

#include "grader/pull_request.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace grader {
namespace {

using namespace std::string_literals;

ChangedPath added(const std::string& path) { return {'A', "000000", "100644", path}; }

TreeFile blob(const std::string& path, std::uintmax_t size = 10, std::string mode = "100644") {
  return {std::move(mode), "blob", std::string(40, 'a'), size, path};
}

std::vector<std::string> paths_of(const std::vector<Refusal>& refusals) {
  std::vector<std::string> paths;
  for (const Refusal& r : refusals) paths.push_back(r.path);
  return paths;
}

TEST(PullRequestTest, ParsesRawDiffWithBothNamesOfARename) {
  const std::string text =
      ":000000 100644 0000000 1111111 A\0submissions/alice/main.py\0"
      ":100644 000000 2222222 0000000 D\0submissions/alice/old name.py\0"
      ":100644 120000 3333333 4444444 T\0submissions/alice/link\0"s;
  const std::vector<ChangedPath> changes = parse_raw_diff(text);
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].status, 'A');
  EXPECT_EQ(changes[0].new_mode, "100644");
  EXPECT_EQ(changes[1].path, "submissions/alice/old name.py");
  EXPECT_EQ(changes[2].status, 'T');
  EXPECT_EQ(changes[2].new_mode, "120000");
  EXPECT_TRUE(parse_raw_diff("").empty());
}

TEST(PullRequestTest, RejectsTextThatIsNotARawDiff) {
  try {
    parse_raw_diff("diff --git a/x b/x\0"s);
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              "pull request: unexpected output of git diff: \"diff --git a/x b/x\"");
  }
}

TEST(PullRequestTest, ParsesLsTreeWithPaddedSizesAndSubmodules) {
  const std::string text =
      "100644 blob 1111111111111111111111111111111111111111     120\tmain.py\0"
      "120000 blob 2222222222222222222222222222222222222222      14\tref\0"
      "160000 commit 3333333333333333333333333333333333333333       -\tsub\0"s;
  const std::vector<TreeFile> files = parse_ls_tree(text);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0].size, 120u);
  EXPECT_EQ(files[0].path, "main.py");
  EXPECT_EQ(files[1].mode, "120000");
  EXPECT_EQ(files[2].type, "commit");
  EXPECT_EQ(files[2].size, 0u);
  EXPECT_THROW(parse_ls_tree("100644 blob abc\0"s), UsageError);
}

TEST(PullRequestTest, OneSubmissionFolderIsAccepted) {
  const PullRequestScope scope = check_pull_request_scope(
      {added("submissions/alice/main.cpp"), added("submissions/alice/src/helpers.hpp")},
      "submissions", nullptr, "");
  EXPECT_EQ(scope.entry, "alice");
  EXPECT_TRUE(scope.refusals.empty());
}

TEST(PullRequestTest, EveryFileOutsideTheFolderIsNamed) {
  const PullRequestScope scope = check_pull_request_scope(
      {added(".github/workflows/grade-submissions.yml"), added("grader/src/compare.cpp"),
       added("reference/backprop/solution.cpp"), added("submissions/alice/main.cpp"),
       added("submissions/.roster.csv"), added("submissionsX/a.cpp")},
      "submissions", nullptr, "");
  EXPECT_EQ(paths_of(scope.refusals),
            (std::vector<std::string>{".github/workflows/grade-submissions.yml",
                                      "grader/src/compare.cpp", "reference/backprop/solution.cpp",
                                      "submissions/.roster.csv", "submissionsX/a.cpp"}));
  EXPECT_EQ(scope.refusals[0].reason, "outside submissions/");
  EXPECT_EQ(scope.refusals[3].reason,
            "a file of the course (its name starts with '.'), not a submission");
}

TEST(PullRequestTest, TwoSubmissionsAreRefusedFileByFile) {
  const PullRequestScope scope =
      check_pull_request_scope({added("submissions/alice/main.cpp"), added("submissions/bob.py")},
                               "submissions", nullptr, "");
  EXPECT_EQ(scope.entry, "");
  ASSERT_EQ(scope.refusals.size(), 2u);
  EXPECT_EQ(scope.refusals[1].path, "submissions/bob.py");
  EXPECT_EQ(scope.refusals[1].reason,
            "one of 2 submissions changed (\"submissions/alice\", \"submissions/bob.py\")");
}

TEST(PullRequestTest, RosterLimitsAnAuthorToTheirOwnSubmission) {
  const Roster roster =
      parse_roster("# course roster\nlogin,submission\nAlice-GH, alice\nbob,bob\n", "r.csv");
  const PullRequestScope mine = check_pull_request_scope({added("submissions/alice/main.cpp")},
                                                         "submissions", &roster, "alice-gh");
  EXPECT_EQ(mine.entry, "alice");
  EXPECT_TRUE(mine.refusals.empty());
  // A single file counts by its id, the name without the extension.
  EXPECT_TRUE(
      check_pull_request_scope({added("submissions/alice.py")}, "submissions", &roster, "ALICE-gh")
          .refusals.empty());

  const PullRequestScope theirs = check_pull_request_scope({added("submissions/bob/main.cpp")},
                                                           "submissions", &roster, "alice-gh");
  EXPECT_EQ(theirs.entry, "");
  ASSERT_EQ(theirs.refusals.size(), 1u);
  EXPECT_EQ(theirs.refusals[0].path, "submissions/bob/main.cpp");
  EXPECT_EQ(theirs.refusals[0].reason,
            "in \"submissions/bob\", which the roster r.csv does not give to \"alice-gh\" "
            "(theirs: alice)");

  const PullRequestScope stranger = check_pull_request_scope(
      {added("submissions/mallory/main.cpp")}, "submissions", &roster, "mallory");
  ASSERT_EQ(stranger.refusals.size(), 1u);
  EXPECT_EQ(stranger.refusals[0].path, "");
  EXPECT_EQ(stranger.refusals[0].reason,
            "the author \"mallory\" is not in the roster r.csv, so no submission of submissions/ "
            "is theirs to change");
}

TEST(PullRequestTest, MalformedRosterLinesNameFileAndLine) {
  try {
    parse_roster("alice,alice\nbob\n", "roster.csv");
    FAIL() << "no exception";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "roster.csv:2: expected \"login,submission\", got \"bob\"");
  }
  EXPECT_THROW(parse_roster("not a login!,x\n", "r"), UsageError);
  EXPECT_THROW(parse_roster("alice,../reference\n", "r"), UsageError);
  EXPECT_THROW(parse_roster("alice,.roster\n", "r"), UsageError);
}

TEST(PullRequestTest, SymlinksSubmodulesAndReservedNamesAreRefused) {
  const std::vector<TreeFile> files = {
      blob("main.cpp"),
      blob("ref", 14, "120000"),
      {"160000", "commit", std::string(40, 'b'), 0, "vendor"},
      blob("harness.py"),
      blob("src/Bindings.inc"),
      blob(".grader/harness.o"),
      blob("run.sh", 10, "100755"),
  };
  const std::vector<Refusal> refusals = check_submission_files(files, "submissions/alice");
  EXPECT_EQ(paths_of(refusals),
            (std::vector<std::string>{
                "submissions/alice/ref", "submissions/alice/vendor", "submissions/alice/harness.py",
                "submissions/alice/src/Bindings.inc", "submissions/alice/.grader/harness.o"}));
  EXPECT_EQ(refusals[0].reason, "a symbolic link");
  EXPECT_EQ(refusals[2].reason, "named like the grader's own \"harness.py\"; rename it");
  EXPECT_EQ(refusals[4].reason, "named like the grader's own \".grader\"; rename it");
}

TEST(PullRequestTest, SingleFileSubmissionIsCheckedByItsOwnName) {
  TreeFile file = blob("");
  EXPECT_TRUE(check_submission_files({file}, "submissions/alice.py").empty());
  const std::vector<Refusal> refusals = check_submission_files({file}, "submissions/harness.py");
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].path, "submissions/harness.py");
  file.mode = "120000";
  EXPECT_EQ(check_submission_files({file}, "submissions/alice.py").size(), 1u);
}

TEST(PullRequestTest, DotDotAndTooMuchAreRefused) {
  EXPECT_EQ(check_submission_files({blob("a/../x.cpp")}, "submissions/alice").size(), 1u);
  EXPECT_EQ(check_submission_files({blob(".GIT/config")}, "submissions/alice").size(), 1u);
  const std::vector<Refusal> big =
      check_submission_files({blob("a.cpp", kMaxPullRequestBytes + 1)}, "submissions/alice");
  ASSERT_EQ(big.size(), 1u);
  EXPECT_EQ(big[0].path, "submissions/alice");
  std::vector<TreeFile> many(kMaxPullRequestFiles + 1, blob("x.cpp", 1));
  EXPECT_EQ(check_submission_files(many, "submissions/alice").size(), 1u);
}

TEST(PullRequestTest, RefusalMessageListsEveryPathQuoted) {
  const std::string message = refusal_message({{"README.md", "outside submissions/"},
                                               {"", "the author is unknown"},
                                               {"submissions/a\n::error::x", "a symbolic link"}});
  EXPECT_EQ(message,
            "pull request refused: it may change one submission, made of regular files, and "
            "nothing else; 3 problems:\n"
            "  \"README.md\": outside submissions/\n"
            "  the author is unknown\n"
            "  \"submissions/a\\n::error::x\": a symbolic link");
}

TEST(PullRequestTest, RefusalMessageCountsWhatItDoesNotList) {
  const std::vector<Refusal> many(kMaxListedRefusals + 3, Refusal{"README.md", "outside"});
  const std::string message = refusal_message(many);
  EXPECT_EQ(message.substr(message.rfind('\n') + 1), "  ... and 3 more");
  std::size_t listed = 0;
  for (std::size_t at = message.find("\"README.md\""); at != std::string::npos;
       at = message.find("\"README.md\"", at + 1)) {
    ++listed;
  }
  EXPECT_EQ(listed, kMaxListedRefusals);
}

}  // namespace
}  // namespace grader
