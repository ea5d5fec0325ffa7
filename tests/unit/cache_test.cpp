#include "grader/cache.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <sstream>

#include "support/temp_dir.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;
using testing::read_file;
using testing::TempDir;

std::string layout_folder_name() { return "v" + std::to_string(kCacheFormat); }

const std::string kExercise(64, 'e');
const std::string kContent(64, 'c');

SubmissionResult sample_result() {
  SubmissionResult s;
  s.id = "student-042";
  s.path = "class/student-042";
  s.language = Language::Cpp;
  s.status = SubmissionStatus::Graded;
  s.score = 1.25;
  s.max_score = 10;
  s.content_hash = kContent;
  s.stdout_text = "debug print\n";
  s.duration_ms = 321;
  TaskResult t;
  t.id = "forward";
  t.title = "Forward pass";
  t.score = 1.25;
  t.max_score = 2.5;
  CaseResult visible;
  visible.id = "forward/F1";
  visible.status = CaseStatus::WrongAnswer;
  visible.inputs = {{"weight", 0.5}, {"input", 1.5}, {"bias", 0.3}};
  visible.expected = 0.7407748991821595;
  visible.actual = 0.1;
  visible.abs_error = 0.6407748991821595;
  visible.rel_error = std::numeric_limits<double>::quiet_NaN();
  visible.message = "wrong";
  CaseResult hidden;
  hidden.id = "forward/hidden-1";
  hidden.visibility = Visibility::Hidden;
  hidden.status = CaseStatus::Passed;
  t.cases = {visible, hidden};
  t.diagnosis = Diagnosis{"mistake", "forward-no-bias", "the bias is missing"};
  s.tasks = {t};
  return s;
}

std::string as_json(const SubmissionResult& result) {
  Report report;
  report.exercise = "x";
  report.submissions = {result};
  std::ostringstream out;
  write_report(*make_json_reporter(out), report);
  return out.str();
}

fs::path result_file(const fs::path& dir) {
  return dir / layout_folder_name() / kExercise / "results" / (kContent + ".json");
}

// Sets an environment variable for one test and restores it afterwards.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value != nullptr) {
      ::setenv(name, value, 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_.c_str(), old_->c_str(), 1);
    } else {
      ::unsetenv(name_.c_str());
    }
  }

 private:
  std::string name_;
  std::optional<std::string> old_;
};

TEST(CacheTest, DefaultDirIsXdgCacheHomeWhenAbsolute) {
  ScopedEnv xdg("XDG_CACHE_HOME", "/var/cache/me");
  ScopedEnv home("HOME", "/home/me");
  EXPECT_EQ(default_cache_dir(), fs::path("/var/cache/me/grader"));
}

TEST(CacheTest, DefaultDirFallsBackToHomeWhenXdgIsUnsetOrRelative) {
  ScopedEnv home("HOME", "/home/me");
  {
    ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
    EXPECT_EQ(default_cache_dir(), fs::path("/home/me/.cache/grader"));
  }
  ScopedEnv xdg("XDG_CACHE_HOME", "relative/cache");
  EXPECT_EQ(default_cache_dir(), fs::path("/home/me/.cache/grader"));
}

TEST(CacheTest, DefaultDirIsEmptyWithoutXdgOrHome) {
  ScopedEnv xdg("XDG_CACHE_HOME", nullptr);
  ScopedEnv home("HOME", nullptr);
  EXPECT_TRUE(default_cache_dir().empty());
}

TEST(CacheTest, MissingResultIsAMiss) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  EXPECT_FALSE(cache.load_result(kExercise, kContent));
}

TEST(CacheTest, ResultRoundTripsAsTheSameReport) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  const SubmissionResult original = sample_result();
  cache.store_result(kExercise, original);
  const std::optional<SubmissionResult> loaded = cache.load_result(kExercise, kContent);
  ASSERT_TRUE(loaded);
  EXPECT_EQ(as_json(*loaded), as_json(original));
  EXPECT_FALSE(loaded->cached);
  EXPECT_TRUE(fs::exists(dir.path() / "cache" / "CACHEDIR.TAG"));
  EXPECT_EQ(cache.count_results(kExercise), 1u);
}

TEST(CacheTest, ResultOfAnotherExerciseIsAMiss) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  cache.store_result(kExercise, sample_result());
  EXPECT_FALSE(cache.load_result(std::string(64, 'f'), kContent));
}

TEST(CacheTest, CorruptEntryIsIgnoredAndRewritten) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  cache.store_result(kExercise, sample_result());
  const fs::path file = result_file(dir.path() / "cache");
  const std::string whole = read_file(file);
  std::ofstream(file, std::ios::trunc) << whole.substr(0, whole.size() / 2);  // torn write
  EXPECT_FALSE(cache.load_result(kExercise, kContent));
  cache.store_result(kExercise, sample_result());
  EXPECT_TRUE(cache.load_result(kExercise, kContent));
}

TEST(CacheTest, EntryUnderTheWrongNameIsIgnored) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  cache.store_result(kExercise, sample_result());
  const std::string other(64, 'd');
  fs::copy_file(result_file(dir.path() / "cache"),
                result_file(dir.path() / "cache").parent_path() / (other + ".json"));
  EXPECT_FALSE(cache.load_result(kExercise, other));
}

TEST(CacheTest, InternalErrorsAndResultsWithoutHashAreNotStored) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  SubmissionResult internal = sample_result();
  internal.status = SubmissionStatus::InternalError;
  cache.store_result(kExercise, internal);
  SubmissionResult unhashed = sample_result();
  unhashed.content_hash.clear();
  cache.store_result(kExercise, unhashed);
  EXPECT_EQ(cache.count_results(kExercise), 0u);
}

TEST(CacheTest, KeysThatAreNotHexNeverNameAFile) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  SubmissionResult sneaky = sample_result();
  sneaky.content_hash = "../../escape";
  cache.store_result(kExercise, sneaky);
  EXPECT_FALSE(fs::exists(dir.path() / "escape.json"));
  EXPECT_FALSE(cache.load_result("../x", kContent));
}

TEST(CacheTest, UnwritableCacheWarnsOnceAndNeverThrows) {
  TempDir dir;
  const fs::path blocker = dir.write("not-a-folder", "x");  // a file where the cache should be
  std::ostringstream warnings;
  Cache cache(blocker / "cache", &warnings);
  cache.store_result(kExercise, sample_result());
  cache.store_result(kExercise, sample_result());
  const std::string text = warnings.str();
  EXPECT_NE(text.find("grader: warning: cache"), std::string::npos) << text;
  EXPECT_EQ(text.find("grader: warning", 1), std::string::npos) << "warned twice: " << text;
}

PreparedExercise sample_prepared() {
  PreparedExercise prepared;
  GradedCase c;
  c.spec.id = "forward/hidden-3";
  c.spec.task = 0;
  c.spec.visibility = Visibility::Hidden;
  c.spec.args = {0.1, -2.5, 1e-300};
  c.expected = 0.1 + 0.2;  // 0.30000000000000004: must come back bit for bit
  prepared.cases = {c};
  MistakeModel m;
  m.name = "forward-no-bias";
  m.tasks = {"forward"};
  m.hint = "the bias";
  m.answers = {std::numeric_limits<double>::quiet_NaN()};
  MistakeModel m2 = m;
  m2.name = "other";
  m2.answers = {std::nullopt};
  MistakeModel m3 = m;
  m3.name = "third";
  m3.answers = {-std::numeric_limits<double>::infinity()};
  // Every kind, several answers, and values whose bits are easy to lose.
  MistakeModel m4 = m;
  m4.name = "fourth";
  Value matrix = Value::matrix({{1.5, -0.0}, {5e-324}});
  m4.answers = {Value::scalar(ValueType::Integer, -7),
                Value::scalar(ValueType::Boolean, 1),
                std::nullopt,
                Value::vector({-0.0, 5e-324, 0.1 + 0.2, std::numeric_limits<double>::infinity()}),
                Value::vector({}),
                matrix,
                Value(std::numeric_limits<double>::max())};
  prepared.mistakes = {m, m2, m3, m4};
  prepared.files["toolchain-cpp/harness-out/harness.o"] = std::string(
      "\x7f"
      "ELF\0\1\2",
      7);
  return prepared;
}

TEST(CacheTest, PreparedExerciseRoundTripsBitForBit) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  cache.store_prepared(kExercise, "prepared", sample_prepared());
  std::optional<PreparedExercise> loaded = cache.load_prepared(kExercise, "prepared");
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->cases.size(), 1u);
  EXPECT_EQ(loaded->cases[0].spec.id, "forward/hidden-3");
  EXPECT_EQ(loaded->cases[0].spec.visibility, Visibility::Hidden);
  EXPECT_EQ(loaded->cases[0].spec.args, (std::vector<Value>{0.1, -2.5, 1e-300}));
  EXPECT_EQ(loaded->cases[0].expected, 0.1 + 0.2);
  ASSERT_EQ(loaded->mistakes.size(), 4u);
  // The models' answers are apart, read by load_answers with the hash the entry recorded.
  for (const MistakeModel& m : loaded->mistakes) EXPECT_TRUE(m.answers.empty()) << m.name;
  ASSERT_FALSE(loaded->answers_sha256.empty());
  EXPECT_FALSE(cache.load_answers(kExercise, "prepared", loaded->answers_sha256, 3))
      << "the entry has 4 models";
  std::optional<std::vector<std::vector<std::optional<Value>>>> answers =
      cache.load_answers(kExercise, "prepared", loaded->answers_sha256, 4);
  ASSERT_TRUE(answers);
  for (std::size_t m = 0; m < 4; ++m) loaded->mistakes[m].answers = (*answers)[m];
  const std::vector<std::optional<Value>>& typed = loaded->mistakes[3].answers;
  const PreparedExercise sample = sample_prepared();
  ASSERT_EQ(typed.size(), sample.mistakes[3].answers.size());
  for (std::size_t i = 0; i < typed.size(); ++i) {
    const std::optional<Value>& want = sample.mistakes[3].answers[i];
    ASSERT_EQ(typed[i].has_value(), want.has_value()) << i;
    if (!want) continue;
    EXPECT_EQ(typed[i]->type, want->type) << i;
    EXPECT_EQ(typed[i]->row_lengths, want->row_lengths) << i;
    ASSERT_EQ(typed[i]->elements.size(), want->elements.size()) << i;
    for (std::size_t k = 0; k < want->elements.size(); ++k) {
      EXPECT_EQ(std::memcmp(&typed[i]->elements[k], &want->elements[k], sizeof(double)), 0)
          << i << " " << k;
    }
  }
  EXPECT_TRUE(std::isnan(loaded->mistakes[0].answers[0]->number()));
  EXPECT_FALSE(loaded->mistakes[1].answers[0]);
  EXPECT_EQ(*loaded->mistakes[2].answers[0], -std::numeric_limits<double>::infinity());
  EXPECT_EQ(loaded->mistakes[0].hint, "the bias");
  EXPECT_EQ(loaded->files, sample_prepared().files);
  EXPECT_FALSE(cache.load_prepared(kExercise, "prepared-no-diagnose"));
}

TEST(CacheTest, AnswersThatChangedSinceTheEntryAreAMiss) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  cache.store_prepared(kExercise, "prepared", sample_prepared());
  const std::optional<PreparedExercise> loaded = cache.load_prepared(kExercise, "prepared");
  ASSERT_TRUE(loaded);
  const fs::path file =
      dir.path() / "cache" / layout_folder_name() / kExercise / "prepared-answers.txt";
  ASSERT_TRUE(fs::exists(file));
  std::ofstream(file, std::ios::app) << "n:0x1p+0\n";
  EXPECT_FALSE(cache.load_answers(kExercise, "prepared", loaded->answers_sha256, 4));
  fs::remove(file);
  EXPECT_FALSE(cache.load_answers(kExercise, "prepared", loaded->answers_sha256, 4));
  EXPECT_TRUE(cache.load_prepared(kExercise, "prepared")) << "the rest of the entry still holds";
}

TEST(CacheTest, PreparedExerciseWithAChangedProductIsAMiss) {
  TempDir dir;
  Cache cache(dir.path() / "cache");
  cache.store_prepared(kExercise, "prepared", sample_prepared());
  std::ofstream(dir.path() / "cache" / layout_folder_name() / kExercise / "files" /
                    "toolchain-cpp" / "harness-out" / "harness.o",
                std::ios::trunc)
      << "garbage";
  EXPECT_FALSE(cache.load_prepared(kExercise, "prepared"));
}

TEST(CacheTest, ClearRemovesEntriesButNotOtherFiles) {
  TempDir dir;
  const fs::path root = dir.path() / "cache";
  Cache cache(root);
  cache.store_result(kExercise, sample_result());
  cache.store_prepared(kExercise, "prepared", sample_prepared());
  dir.write("cache/notes.txt", "mine");
  dir.write("cache/sandbox/probe-0123", "mode=root\ncgroup_limits=1\n");  // the sandbox's memo
  // CACHEDIR.TAG, one result, prepared.json, its answers, harness.o, the memo
  EXPECT_EQ(cache.clear(), 6u);
  EXPECT_FALSE(cache.load_result(kExercise, kContent));
  EXPECT_FALSE(fs::exists(root / layout_folder_name()));
  EXPECT_FALSE(fs::exists(root / "sandbox"));
  EXPECT_TRUE(fs::exists(root / "notes.txt"));
  EXPECT_EQ(Cache(dir.path() / "never-made").clear(), 0u);
}

TEST(CacheTest, AtomicWriteLeavesNoTemporaryFiles) {
  TempDir dir;
  write_file_atomically(dir.path() / "a" / "b.json", "one");
  write_file_atomically(dir.path() / "a" / "b.json", "two");
  EXPECT_EQ(read_file(dir.path() / "a" / "b.json"), "two");
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir.path() / "a")) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 1u);
}

}  // namespace
}  // namespace grader
