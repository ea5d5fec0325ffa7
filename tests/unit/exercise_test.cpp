#include "grader/exercise.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "grader/error.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

using testing::TempDir;

// A small valid spec; tests replace one piece of it to make one defect.
const char* kValidSpec = R"({
  "schema_version": 1,
  "id": "demo",
  "seed": 7,
  "languages": {"cpp": {"header": "demo.hpp"}},
  "limits": {"cpu_time_ms": 1000, "wall_time_ms": 3000},
  "tasks": [
    {"id": "twice", "params": ["x", "y"], "points": 2,
     "tolerance": {"rtol": 1e-6},
     "cases": [{"name": "one", "visibility": "visible", "inputs": {"x": 1.5, "y": 2}}],
     "generated": {"count": 5, "params": {"x": {"min": -2, "max": 2, "decimals": 2, "nonzero": true},
                                          "y": {"min": 0, "max": 1, "decimals": 1}},
                   "min_abs_difference": [["x", "y", 0.25]]}}
  ]
})";

class ExerciseTest : public ::testing::Test {
 protected:
  std::filesystem::path write_spec(const std::string& text) {
    dir_.write("exercises/demo/demo.hpp", "// header\n");
    dir_.write("exercises/demo/exercise.json", text);
    return dir_.path() / "exercises" / "demo";
  }

  // Loads a spec that must fail and returns the error text with the temp path stripped.
  std::string error_of(const std::string& text) {
    const auto dir = write_spec(text);
    try {
      load_exercise(dir);
    } catch (const SpecError& e) {
      std::string message = e.what();
      const std::string prefix = (dir / "exercise.json").string() + ": ";
      if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
      return message;
    }
    ADD_FAILURE() << "no SpecError for:\n" << text;
    return {};
  }

  static std::string replace(std::string text, const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  }

  TempDir dir_;
};

TEST_F(ExerciseTest, LoadsAValidSpec) {
  const ExerciseSpec spec = load_exercise(write_spec(kValidSpec));
  EXPECT_EQ(spec.id, "demo");
  EXPECT_EQ(spec.seed, 7u);
  EXPECT_EQ(spec.limits.cpu_time_ms, 1000);
  EXPECT_EQ(spec.limits.memory_mib, ExerciseLimits{}.memory_mib);  // default kept
  ASSERT_EQ(spec.tasks.size(), 1u);
  const TaskSpec& task = spec.tasks[0];
  EXPECT_EQ(task.cases.at(0).id, "twice/one");
  EXPECT_EQ(task.cases[0].args, (std::vector<Value>{1.5, 2.0}));
  EXPECT_DOUBLE_EQ(task.tolerance.rtol, 1e-6);
  EXPECT_DOUBLE_EQ(task.tolerance.atol, Tolerance{}.atol);
  ASSERT_TRUE(task.generation.has_value());
  EXPECT_EQ(task.generation->count, 5);
  EXPECT_EQ(task.generation->visibility, Visibility::Hidden);
  EXPECT_EQ(spec.reference_dir, (dir_.path() / "reference" / "demo").lexically_normal());
}

TEST_F(ExerciseTest, MalformedJsonNamesTheFile) {
  EXPECT_NE(error_of("{ \"id\": ").find("malformed JSON"), std::string::npos);
}

TEST_F(ExerciseTest, WrongTypeNamesPathAndValue) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"rtol\": 1e-6", "\"rtol\": \"abc\"")),
            "/tasks/0/tolerance/rtol: expected a number, got \"abc\"");
}

TEST_F(ExerciseTest, UnknownFieldIsRejected) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"seed\": 7,", "\"seed\": 7, \"sede\": 1,")),
            "/sede: unknown field \"sede\"");
}

TEST_F(ExerciseTest, MissingInputIsNamed) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"x\": 1.5, \"y\": 2", "\"x\": 1.5")),
            "/tasks/0/cases/0/inputs: missing input \"y\"");
}

TEST_F(ExerciseTest, MissingHeaderFileIsNamed) {
  const std::string message = error_of(replace(kValidSpec, "demo.hpp", "nope.hpp"));
  EXPECT_NE(message.find("/languages/cpp/header: file \""), std::string::npos) << message;
  EXPECT_NE(message.find("nope.hpp\" does not exist"), std::string::npos) << message;
}

TEST_F(ExerciseTest, PathOutsideTheExerciseIsRejected) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"demo.hpp\"", "\"../../secret.hpp\"")),
            "/languages/cpp/header: expected a path inside the exercise folder, got "
            "\"../../secret.hpp\"");
}

TEST_F(ExerciseTest, AllowedModulesAreForPythonAndNamedByTopLevelName) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"header\": \"demo.hpp\"",
                             "\"header\": \"demo.hpp\", \"modules\": [\"numpy\"]")),
            "/languages/cpp/modules: modules are for Python only");
  EXPECT_EQ(error_of(replace(kValidSpec, "\"cpp\": {\"header\": \"demo.hpp\"}",
                             "\"python\": {\"modules\": [\"numpy.linalg\"]}")),
            "/languages/python/modules/0: expected a top-level module name, got \"numpy.linalg\"");
}

TEST_F(ExerciseTest, AHarnessOfTheExerciseIsRefusedWithTheReason) {
  const std::string message =
      error_of(replace(kValidSpec, "\"header\": \"demo.hpp\"", "\"harness\": \"harness.cpp\""));
  EXPECT_NE(message.find("/languages/cpp/harness: an exercise carries no harness"),
            std::string::npos)
      << message;
}

TEST_F(ExerciseTest, WallBelowCpuIsRejected) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"wall_time_ms\": 3000", "\"wall_time_ms\": 10")),
            "/limits/wall_time_ms: wall_time_ms (10) must be at least cpu_time_ms (1000)");
}

TEST_F(ExerciseTest, NegativeLimitIsRejected) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"cpu_time_ms\": 1000", "\"cpu_time_ms\": -5")),
            "/limits/cpu_time_ms: expected a positive integer, got -5");
}

TEST_F(ExerciseTest, DuplicateCaseNameIsRejected) {
  const std::string twice =
      replace(kValidSpec,
              "\"cases\": [{\"name\": \"one\", \"visibility\": \"visible\", \"inputs\": {\"x\": "
              "1.5, \"y\": 2}}]",
              "\"cases\": [{\"name\": \"one\", \"visibility\": \"visible\", \"inputs\": {\"x\": 1, "
              "\"y\": 2}},"
              "{\"name\": \"one\", \"visibility\": \"hidden\", \"inputs\": {\"x\": 1, \"y\": 2}}]");
  EXPECT_EQ(error_of(twice), "/tasks/0/cases/1/name: duplicate case id \"twice/one\"");
}

TEST_F(ExerciseTest, IdMustMatchFolder) {
  EXPECT_EQ(error_of(replace(kValidSpec, "\"id\": \"demo\"", "\"id\": \"other\"")),
            "/id: \"other\" does not match the folder name \"demo\"");
}

TEST_F(ExerciseTest, MissingSpecFile) {
  TempDir empty;
  try {
    load_exercise(empty.path());
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_EQ(std::string(e.what()),
              (empty.path() / "exercise.json").string() + ": cannot open the exercise spec");
  }
}

TEST_F(ExerciseTest, UnknownExerciseListsTheKnownOnes) {
  write_spec(kValidSpec);
  try {
    find_exercise(dir_.path() / "exercises", "nope");
    FAIL() << "no error";
  } catch (const SpecError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown exercise \"nope\""), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("(known: demo)"), std::string::npos);
  }
  EXPECT_EQ(find_exercise(dir_.path() / "exercises", "").id, "demo");
}

TEST_F(ExerciseTest, CandidatesAreDeterministicAndWithinRanges) {
  const ExerciseSpec spec = load_exercise(write_spec(kValidSpec));
  const auto first = draw_candidates(spec, 0, 50);
  const auto second = draw_candidates(spec, 0, 50);
  ASSERT_EQ(first.size(), 50u);
  EXPECT_EQ(first, second);
  for (const auto& args : first) {
    EXPECT_GE(args[0], -2.0);
    EXPECT_LE(args[0], 2.0);
    EXPECT_NE(args[0], 0.0);
    EXPECT_GE(args[1], 0.0);
    EXPECT_LE(args[1], 1.0);
    EXPECT_GE(std::fabs(args[0] - args[1]), 0.25);
    EXPECT_DOUBLE_EQ(args[0], std::round(args[0] * 100) / 100);
  }
}

TEST_F(ExerciseTest, ImpossibleConstraintsEndWithoutHanging) {
  const ExerciseSpec spec = load_exercise(
      write_spec(replace(kValidSpec, "[[\"x\", \"y\", 0.25]]", "[[\"x\", \"y\", 100]]")));
  EXPECT_TRUE(draw_candidates(spec, 0, 5).empty());
}

// A task with every kind of parameter, and a result of its own kind.
const char* kTypedSpec = R"({
  "schema_version": 1,
  "id": "demo",
  "languages": {"cpp": {"header": "demo.hpp"}},
  "tasks": [
    {"id": "fit", "points": 1, "returns": "matrix",
     "params": ["rate", {"name": "epochs", "type": "integer"}, {"name": "shuffle", "type": "boolean"},
                {"name": "xs", "type": "vector"}, {"name": "w", "type": "matrix"}],
     "cases": [{"name": "one", "visibility": "visible",
                "inputs": {"rate": 0.5, "epochs": 3, "shuffle": true, "xs": [1, 2.5],
                           "w": [[1, 2], [3, 4], [5, 6]]}}]}
  ]
})";

TEST_F(ExerciseTest, TypedParametersAndResult) {
  const ExerciseSpec spec = load_exercise(write_spec(kTypedSpec));
  const TaskSpec& task = spec.tasks.at(0);
  EXPECT_EQ(task.returns, ValueType::Matrix);
  EXPECT_EQ(task.param_types,
            (std::vector<ValueType>{ValueType::Number, ValueType::Integer, ValueType::Boolean,
                                    ValueType::Vector, ValueType::Matrix}));
  const std::vector<Value>& args = task.cases.at(0).args;
  EXPECT_EQ(args[1], Value::scalar(ValueType::Integer, 3));
  EXPECT_EQ(args[2], Value::scalar(ValueType::Boolean, 1));
  EXPECT_EQ(args[3], Value::vector({1, 2.5}));
  EXPECT_EQ(args[4], Value::matrix({{1, 2}, {3, 4}, {5, 6}}));
}

TEST_F(ExerciseTest, TypedInputsOfTheWrongKindNameThePath) {
  EXPECT_EQ(error_of(replace(kTypedSpec, "\"epochs\": 3", "\"epochs\": 3.5")),
            "/tasks/0/cases/0/inputs/epochs: expected an integer (an int of C++), got 3.5");
  EXPECT_EQ(error_of(replace(kTypedSpec, "\"xs\": [1, 2.5]", "\"xs\": [1, \"a\"]")),
            "/tasks/0/cases/0/inputs/xs/1: expected a number, got \"a\"");
  EXPECT_EQ(error_of(replace(kTypedSpec, "[5, 6]]", "[5]]")),
            "/tasks/0/cases/0/inputs/w/2: a row of 1 numbers in a matrix whose first row has 2");
  EXPECT_EQ(error_of(replace(kTypedSpec, "\"returns\": \"matrix\"", "\"returns\": \"tensor\"")),
            "/tasks/0/returns: unknown type \"tensor\" (number, integer, boolean, vector, matrix)");
}

TEST_F(ExerciseTest, GeneratedCasesDrawNumbersOnly) {
  const std::string spec =
      replace(kTypedSpec, "\"cases\": [",
              "\"generated\": {\"count\": 2, \"params\": {\"rate\": {\"min\": 0, \"max\": 1}, "
              "\"epochs\": {\"min\": 1, \"max\": 5}}}, \"cases\": [");
  EXPECT_EQ(error_of(spec),
            "/tasks/0/generated: generated cases draw numbers and integers only, and \"shuffle\" "
            "is a boolean: write its cases out under \"cases\"");
}

TEST_F(ExerciseTest, ExpectedValuesOnlyInAStudentKit) {
  const std::string with_expected = replace(kValidSpec, "\"inputs\": {\"x\": 1.5, \"y\": 2}}",
                                            "\"inputs\": {\"x\": 1.5, \"y\": 2}, \"expected\": 3}");
  EXPECT_EQ(error_of(with_expected),
            "/tasks/0/cases/0/expected: expected values come from the reference solution; only a "
            "student kit (\"scope\": \"visible\") carries them");
  // A kit: visible cases with their answers, nothing generated.
  std::string kit = replace(with_expected, "\"seed\": 7,", "\"scope\": \"visible\",");
  EXPECT_EQ(error_of(kit), "/tasks/0/generated: a student kit has no generated cases");
  const auto at = kit.find(",\n     \"generated\"");
  kit = kit.substr(0, at) + kit.substr(kit.find("}}\n  ]", at) + 1);
  const ExerciseSpec spec = load_exercise(write_spec(kit));
  EXPECT_TRUE(spec.kit);
  ASSERT_TRUE(spec.tasks.at(0).cases.at(0).expected);
  EXPECT_EQ(*spec.tasks[0].cases[0].expected, Value(3.0));
  EXPECT_EQ(error_of(replace(kit, "\"visibility\": \"visible\"", "\"visibility\": \"hidden\"")),
            "/tasks/0/cases/0/visibility: a student kit has visible cases only");
}

}  // namespace
}  // namespace grader
