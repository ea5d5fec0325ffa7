#include "grader/submission.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "grader/error.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

using testing::TempDir;

TEST(SubmissionTest, SingleCppFile) {
  TempDir dir;
  const auto file = dir.write("student-7.cpp", "double forward(double, double, double);\n");
  const Submission s = discover_submission(file);
  EXPECT_EQ(s.id, "student-7");
  EXPECT_TRUE(s.problem.empty());
  EXPECT_EQ(s.language, Language::Cpp);
  EXPECT_EQ(s.files, std::vector<std::filesystem::path>{"student-7.cpp"});
}

TEST(SubmissionTest, FolderWithHeadersAndSpaces) {
  TempDir dir;
  dir.write("my work/neuron.hpp", "#pragma once\n");
  dir.write("my work/neuron.cpp", "\n");
  dir.write("my work/train main.cpp", "\n");
  dir.write("my work/notes.txt", "not a source\n");
  dir.write("my work/.git/config", "ignored\n");
  const Submission s = discover_submission(dir.path() / "my work");
  EXPECT_EQ(s.id, "my work");
  EXPECT_TRUE(s.problem.empty()) << s.problem;
  EXPECT_EQ(s.language, Language::Cpp);
  EXPECT_EQ(s.files,
            (std::vector<std::filesystem::path>{"neuron.cpp", "neuron.hpp", "train main.cpp"}));
  EXPECT_EQ(s.sources, (std::vector<std::filesystem::path>{"neuron.cpp", "train main.cpp"}));
}

TEST(SubmissionTest, PythonPicksMainWhenSeveral) {
  TempDir dir;
  dir.write("s/main.py", "import helpers\n");
  dir.write("s/helpers.py", "\n");
  const Submission s = discover_submission(dir.path() / "s");
  EXPECT_EQ(s.language, Language::Python);
  EXPECT_EQ(s.sources, std::vector<std::filesystem::path>{"main.py"});
}

TEST(SubmissionTest, InvalidCasesSayWhatToHandIn) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty");
  EXPECT_EQ(discover_submission(dir.path() / "empty").problem,
            "the folder is empty: hand in .cpp files (C++) or one .py file (Python)");

  dir.write("notes/readme.txt", "hello\n");
  EXPECT_EQ(discover_submission(dir.path() / "notes").problem,
            "no source files: hand in .cpp files (C++) or one .py file (Python)");

  dir.write("mixed/a.py", "\n");
  dir.write("mixed/b.cpp", "\n");
  const Submission mixed = discover_submission(dir.path() / "mixed");
  EXPECT_EQ(mixed.problem, "both C++ (b.cpp) and Python (a.py) sources: hand in one language only");
  EXPECT_FALSE(mixed.language.has_value());

  dir.write("two/a.py", "\n");
  dir.write("two/b.py", "\n");
  EXPECT_EQ(discover_submission(dir.path() / "two").problem,
            "2 .py files and no main.py: put the functions of the exercise in main.py (other .py "
            "files may "
            "be imported from it)");

  dir.write("bin/x.cpp", std::string("int x;\0\0\x7f", 9));
  EXPECT_EQ(discover_submission(dir.path() / "bin").problem,
            "\"x.cpp\" is not a text file (it contains NUL bytes)");

  const auto other = dir.write("report.pdf", "%PDF");
  EXPECT_EQ(discover_submission(other).problem,
            "\"report.pdf\" is neither a C++ source (.cpp) nor a Python file (.py)");
}

TEST(SubmissionTest, UnreadableFileIsInvalidNotACrash) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads every file";
  TempDir dir;
  const auto file = dir.write("s/a.cpp", "int x;\n");
  ::chmod(file.c_str(), 0);
  EXPECT_NE(discover_submission(dir.path() / "s").problem.find("cannot read \"a.cpp\""),
            std::string::npos);
}

TEST(SubmissionTest, SymlinkedEntryIsNeverFollowed) {
  TempDir dir;
  const auto secret = dir.write("secret.txt", "top secret\n");
  std::filesystem::create_directories(dir.path() / "class");
  std::filesystem::create_symlink(secret, dir.path() / "class" / "evil.cpp");
  std::filesystem::create_directory_symlink(dir.path(), dir.path() / "class" / "evil-dir");
  const Submission file = discover_submission(dir.path() / "class" / "evil.cpp");
  EXPECT_EQ(file.problem, "\"evil.cpp\" is a symbolic link; hand in regular files and folders");
  EXPECT_EQ(file.id, "evil");
  EXPECT_TRUE(file.files.empty());
  const Submission folder = discover_submission(dir.path() / "class" / "evil-dir");
  EXPECT_NE(folder.problem.find("symbolic link"), std::string::npos);
  EXPECT_TRUE(folder.files.empty());
}

TEST(SubmissionTest, MissingPathIsAUsageError) {
  TempDir dir;
  EXPECT_THROW(discover_submission(dir.path() / "nope"), UsageError);
}

TEST(SubmissionTest, BatchSkipsDotEntriesAndSorts) {
  TempDir dir;
  dir.write("b/x.cpp", "\n");
  dir.write("a.py", "\n");
  dir.write(".manifest.json", "{}\n");
  const auto entries = list_batch(dir.path());
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].filename(), "a.py");
  EXPECT_EQ(entries[1].filename(), "b");
}

TEST(SubmissionTest, HashFollowsContent) {
  TempDir dir;
  dir.write("a/x.cpp", "int a;\n");
  dir.write("b/x.cpp", "int a;\n");
  dir.write("c/x.cpp", "int b;\n");
  EXPECT_EQ(content_hash(discover_submission(dir.path() / "a")),
            content_hash(discover_submission(dir.path() / "b")));
  EXPECT_NE(content_hash(discover_submission(dir.path() / "a")),
            content_hash(discover_submission(dir.path() / "c")));
}

}  // namespace
}  // namespace grader
