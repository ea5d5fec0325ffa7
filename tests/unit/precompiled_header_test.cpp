#include "grader/precompiled_header.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "grader/toolchain.hpp"
#include "support/fake_sandbox.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

using testing::FakeSandbox;

std::vector<std::string> names(const std::vector<LeadingInclude>& block) {
  std::vector<std::string> out;
  for (const LeadingInclude& include : block) {
    out.push_back(include.quoted ? "\"" + include.name + "\"" : "<" + include.name + ">");
  }
  return out;
}

using Names = std::vector<std::string>;

TEST(LeadingIncludesTest, TheBlockAfterCommentsAndBlankLines) {
  EXPECT_EQ(names(leading_includes("#include <cmath>\nint x;\n")), Names{"<cmath>"});
  EXPECT_EQ(names(leading_includes("// solution of student 7\n/* a\n   block */\n\n"
                                   "#include \"backprop.hpp\"\n\n#include <cmath>  // exp\n"
                                   "  #  include<iostream>\r\n"
                                   "double forward(double w, double x, double b);\n")),
            (Names{"\"backprop.hpp\"", "<cmath>", "<iostream>"}));
  EXPECT_EQ(names(leading_includes("\xEF\xBB\xBF#include <cmath>\n")), Names{"<cmath>"});
  EXPECT_EQ(names(leading_includes("#include <cmath> /* exp */ // and log\n")), Names{"<cmath>"});
}

TEST(LeadingIncludesTest, StopsAtAnythingElse) {
  // Another directive, code or a macro first: nothing may be precompiled.
  EXPECT_TRUE(leading_includes("#define exp my_exp\n#include <cmath>\n").empty());
  EXPECT_TRUE(leading_includes("using namespace std;\n#include <cmath>\n").empty());
  EXPECT_TRUE(leading_includes("#pragma once\n#include <cmath>\n").empty());
  EXPECT_TRUE(leading_includes("").empty());
  // The block ends at the first line that is not an include.
  EXPECT_EQ(names(leading_includes("#include <cmath>\n#define N 3\n#include <vector>\n")),
            Names{"<cmath>"});
  EXPECT_EQ(names(leading_includes("#include <cmath>\n#include MY_HEADER\n#include <vector>\n")),
            Names{"<cmath>"});
}

TEST(LeadingIncludesTest, RefusesWhatCouldJoinOrHideLines) {
  // A line continuation could join the include with the next line.
  EXPECT_TRUE(leading_includes("// note \\\n#include <cmath>\n").empty());
  EXPECT_TRUE(leading_includes("#include <cmath> \\\nint x;\n").empty());
  EXPECT_TRUE(leading_includes("#include \\\n<cmath>\n").empty());
  // Code after the include on the same line, an unterminated name or comment.
  EXPECT_TRUE(leading_includes("#include <cmath> int x;\n").empty());
  EXPECT_TRUE(leading_includes("#include <cmath\n").empty());
  EXPECT_TRUE(leading_includes("/* never closed\n#include <cmath>\n").empty());
  EXPECT_TRUE(leading_includes("#include <a b>\n").empty());
  EXPECT_TRUE(leading_includes("#include_next <cmath>\n").empty());
  EXPECT_TRUE(leading_includes("#includes <cmath>\n").empty());
}

TEST(LeadingIncludesTest, OnlyGuardedStandardHeadersAreIdempotent) {
  for (const char* name : {"cmath", "math.h", "iostream", "vector", "cstdio", "iomanip"}) {
    EXPECT_TRUE(idempotent_standard_header(name)) << name;
  }
  // <cassert> is meant to be included again under another NDEBUG; the others are not standard.
  for (const char* name :
       {"cassert", "assert.h", "bits/stdc++.h", "backprop.hpp", "unistd.h", ""}) {
    EXPECT_FALSE(idempotent_standard_header(name)) << name;
  }
  EXPECT_EQ(include_lines({{"backprop.hpp", true}, {"cmath", false}}),
            "#include \"backprop.hpp\"\n#include <cmath>\n");
}

// The g++ toolchain with a sandbox that pretends: every compile "succeeds" and leaves the file
// its -o names in the copy-out folder; -E runs write `preprocessed` (or, for the second of a
// pair, `preprocessed_twice`).
class PrecompiledBuildTest : public ::testing::Test {
 protected:
  PrecompiledBuildTest() {
    header_ =
        dir_.write("exercise/backprop.hpp", "#ifndef B\n#define B\ndouble f(double);\n#endif\n");
    spec_.id = "backprop";
    spec_.spec_file = dir_.path() / "exercise/exercise.json";
    LanguageSpec cpp;
    cpp.header = header_;
    spec_.languages[Language::Cpp] = cpp;
    TaskSpec task;
    task.id = "f";
    task.params = {"x"};
    spec_.tasks.push_back(task);
  }

  void SetUp() override {
    script_ = [this](const RunRequest& request) {
      RunOutcome outcome;
      const auto& argv = request.argv;
      const auto o = std::find(argv.begin(), argv.end(), "-o");
      if (o == argv.end() || o + 1 == argv.end() || !request.copy_out_dir) return outcome;
      std::string content = "object";
      if (std::find(argv.begin(), argv.end(), "c++-header") != argv.end()) {
        std::ifstream in(request.box_dir / "block.hpp");
        std::stringstream text;
        text << in.rdbuf();
        blocks_.push_back(text.str());
        precompile_slots_.push_back(request.slot);
        ++precompiles_;
        if (!precompile_ok_) {
          outcome.exit_code = 1;
          return outcome;
        }
      }
      if (std::find(argv.begin(), argv.end(), "-E") != argv.end()) {
        std::ifstream in(request.box_dir / "block.hpp");
        std::stringstream text;
        text << in.rdbuf();
        const bool twice = text.str().find('\n') + 1 < text.str().size();
        content = twice ? preprocessed_twice_ : "preprocessed";
      }
      std::filesystem::path relative = o[1];
      if (request.copy_out_from) relative = relative.lexically_relative(*request.copy_out_from);
      const std::filesystem::path out = *request.copy_out_dir / relative;
      std::filesystem::create_directories(out.parent_path());
      std::ofstream(out) << content;
      return outcome;
    };
    for (int i = 0; i < 64; ++i) sandbox_.push(script_);
    toolchain_ = make_gxx_toolchain(spec_, sandbox_);
    toolchain_->prepare(dir_.path() / "work/toolchain-cpp");
    sandbox_.requests.clear();
  }

  Submission submission(const std::string& name, const std::string& source,
                        const std::vector<std::string>& extra_sources = {}) {
    Submission s;
    s.id = name;
    s.root = dir_.path() / "submissions" / name;
    s.language = Language::Cpp;
    dir_.write("submissions/" + name + "/main.cpp", source);
    s.files = {"main.cpp"};
    s.sources = {"main.cpp"};
    for (const std::string& extra : extra_sources) {
      dir_.write("submissions/" + name + "/" + extra, "int helper() { return 1; }\n");
      s.files.push_back(extra);
      s.sources.push_back(extra);
    }
    return s;
  }

  // Builds `source` as a new submission; returns the student compile's request.
  RunRequest build(const std::string& source, const std::vector<std::string>& extra = {}) {
    const std::string name = "s" + std::to_string(++count_);
    const std::size_t before = sandbox_.requests.size();
    const BuildResult result =
        toolchain_->build(submission(name, source, extra), dir_.path() / "work" / name, 0);
    EXPECT_TRUE(result.ok) << result.diagnostics;
    EXPECT_GT(sandbox_.requests.size(), before);
    return sandbox_.requests.back();
  }

  static bool uses_pch(const RunRequest& request) {
    return std::find(request.argv.begin(), request.argv.end(), "-I.grader/pch") !=
           request.argv.end();
  }

  const RunRequest* precompile_request() const {
    for (const RunRequest& r : sandbox_.requests) {
      if (std::find(r.argv.begin(), r.argv.end(), "c++-header") != r.argv.end()) return &r;
    }
    return nullptr;
  }

  grader::testing::TempDir dir_;
  std::filesystem::path header_;
  ExerciseSpec spec_;
  FakeSandbox sandbox_;
  FakeSandbox::Script script_;
  std::unique_ptr<Toolchain> toolchain_;
  std::vector<std::string> blocks_;
  std::vector<int> precompile_slots_;
  std::atomic<int> precompiles_{0};
  bool precompile_ok_ = true;
  std::string preprocessed_twice_ = "preprocessed";
  int count_ = 0;
};

constexpr const char* kStarter =
    "// my solution\n#include \"backprop.hpp\"\n\n#include <cmath>\n"
    "double f(double x) { return std::exp(x); }\n";

TEST_F(PrecompiledBuildTest, TheSecondCompileOfABlockPrecompilesItWithTheSameFlags) {
  const RunRequest first = build(kStarter);
  EXPECT_FALSE(uses_pch(first));
  EXPECT_EQ(precompile_request(), nullptr);
  const RunRequest second = build(kStarter);
  ASSERT_TRUE(uses_pch(second));
  ASSERT_EQ(blocks_, std::vector<std::string>{"#include \"backprop.hpp\"\n#include <cmath>\n"});
  // Named after the block's first header, where g++ looks first for it.
  EXPECT_TRUE(std::filesystem::is_regular_file(second.box_dir / ".grader/pch/backprop.hpp.gch"));
  // Every flag of the student's compile up to -o, the macro renaming main included, is also a
  // flag of the precompile, and the precompile's box has the exercise header where the
  // student's has it.
  const RunRequest* pre = precompile_request();
  ASSERT_NE(pre, nullptr);
  for (auto it = second.argv.begin(); it != second.argv.end() && *it != "-o"; ++it) {
    if (*it == "-I.grader/pch") continue;
    EXPECT_NE(std::find(pre->argv.begin(), pre->argv.end(), *it), pre->argv.end()) << *it;
  }
  EXPECT_NE(std::find(pre->argv.begin(), pre->argv.end(), "-Dmain=grader_student_main_"),
            pre->argv.end());
  const RunRequest third = build(kStarter);
  EXPECT_TRUE(uses_pch(third));
  EXPECT_EQ(blocks_.size(), 1U);  // built once
}

TEST_F(PrecompiledBuildTest, EachBlockIsItsOwnHeader) {
  build(kStarter);
  // The same first header with another block: not the same precompiled header.
  EXPECT_FALSE(uses_pch(build("#include \"backprop.hpp\"\n#include <cmath>\n#include <vector>\n")));
  EXPECT_FALSE(uses_pch(build("#include <cmath>\n")));
  EXPECT_TRUE(uses_pch(build("#include <cmath>\n")));
  EXPECT_EQ(blocks_, std::vector<std::string>{"#include <cmath>\n"});
}

TEST_F(PrecompiledBuildTest, NothingIsOfferedWhereItCouldChangeTheProgram) {
  for (int i = 0; i < 3; ++i) {
    // A macro before the first include, another program file, a header that is not standard,
    // <cassert> first, the exercise header alone (no standard header: nothing to gain).
    EXPECT_FALSE(uses_pch(build("#define exp my_exp\n#include <cmath>\n")));
    EXPECT_FALSE(uses_pch(build(kStarter, {"helper.cpp"})));
    EXPECT_FALSE(uses_pch(build("#include \"my_helpers.hpp\"\n#include <cmath>\n")));
    EXPECT_FALSE(uses_pch(build("#include <cassert>\n#include <cmath>\n")));
    EXPECT_FALSE(uses_pch(build("#include \"backprop.hpp\"\ndouble exp(double x);\n")));
    EXPECT_FALSE(uses_pch(build("#include <bits/stdc++.h>\n")));
  }
  EXPECT_EQ(precompile_request(), nullptr);
}

TEST_F(PrecompiledBuildTest, TheBlockStopsBeforeAHeaderThatMayChange) {
  build("#include <cmath>\n#include <cassert>\n");
  EXPECT_TRUE(uses_pch(build("#include <cmath>\n#include <cassert>\n")));
  EXPECT_EQ(blocks_, std::vector<std::string>{"#include <cmath>\n"});
}

TEST_F(PrecompiledBuildTest, AnExerciseHeaderWithoutGuardIsNeverPrecompiled) {
  preprocessed_twice_ = "preprocessed twice";  // a second inclusion adds something
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(uses_pch(build(kStarter)));
  EXPECT_TRUE(blocks_.empty());
  // Blocks of standard headers only are not affected.
  build("#include <cmath>\n");
  EXPECT_TRUE(uses_pch(build("#include <cmath>\n")));
}

TEST_F(PrecompiledBuildTest, ARunPrecompilesADozenBlocksAtMost) {
  // Blocks of one standard header each, every one compiled twice.
  const std::vector<std::string> headers = {"cmath", "vector", "string",  "iostream", "map",
                                            "set",   "array",  "cstdio",  "cstdlib",  "list",
                                            "deque", "queue",  "numeric", "random"};
  int offered = 0;
  for (const std::string& header : headers) {
    build("#include <" + header + ">\n");
    offered += uses_pch(build("#include <" + header + ">\n")) ? 1 : 0;
  }
  EXPECT_EQ(offered, 12);
  EXPECT_EQ(blocks_.size(), 12U);
}

TEST_F(PrecompiledBuildTest, AFailedPrecompileOnlyCostsTheSpeedUp) {
  precompile_ok_ = false;
  for (int i = 0; i < 4; ++i) EXPECT_FALSE(uses_pch(build(kStarter)));
  EXPECT_EQ(blocks_.size(), 1U);  // tried once, not for every compile
}

// A batch names its submissions first: the blocks at least two of them share are precompiled
// on the spare slot while the toolchain prepares (before any of them is built), the others
// not; the compiles then use them without building them again.
TEST_F(PrecompiledBuildTest, ABatchPrecompilesTheBlocksItsSubmissionsShareWhilePreparing) {
  std::vector<Submission> expected = {
      submission("a", kStarter), submission("b", kStarter), submission("c", "#include <vector>\n"),
      submission("d", "#include <cmath>\n"), submission("e", "#include <cmath>\n")};
  Submission python = submission("p", "#include <vector>\n");
  python.language = Language::Python;
  expected.push_back(python);
  auto batch_toolchain = make_gxx_toolchain(spec_, sandbox_);
  batch_toolchain->expect(expected, 1);
  batch_toolchain->prepare(dir_.path() / "work/batch-toolchain");
  // Bounded wait for the background builds (they start at once with this sandbox).
  for (int i = 0; i < 5000 && precompiles_ < 2; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ASSERT_EQ(precompiles_, 2);
  EXPECT_EQ(precompile_slots_, (std::vector<int>{1, 1}));
  std::vector<std::string> blocks = blocks_;
  std::sort(blocks.begin(), blocks.end());
  EXPECT_EQ(blocks, (std::vector<std::string>{"#include \"backprop.hpp\"\n#include <cmath>\n",
                                              "#include <cmath>\n"}));
  bool used = false;
  for (int i = 0; i < 5000 && !used; ++i) {
    const BuildResult result = batch_toolchain->build(
        expected[i % 2], dir_.path() / "work" / ("b" + std::to_string(i)), 0);
    ASSERT_TRUE(result.ok);
    used = uses_pch(sandbox_.requests.back());
    if (!used) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(used);
  // Wanted by one submission only: compiled as it is, however often it is built.
  const BuildResult once = batch_toolchain->build(expected[2], dir_.path() / "work/c", 0);
  ASSERT_TRUE(once.ok);
  EXPECT_FALSE(uses_pch(sandbox_.requests.back()));
  EXPECT_EQ(precompiles_, 2);
}

}  // namespace
}  // namespace grader
