#include "grader/harness.hpp"

#include <gtest/gtest.h>

namespace grader {
namespace {

ExerciseSpec two_tasks() {
  ExerciseSpec spec;
  spec.spec_file = "/x/exercises/demo/exercise.json";
  TaskSpec a;
  a.id = "forward";
  a.params = {"weight", "input", "bias"};
  TaskSpec b;
  b.id = "constant";
  spec.tasks = {a, b};
  return spec;
}

TEST(HarnessTest, BindingsDeclareEachTaskWeakAndCallItWithItsKinds) {
  const std::string text = cpp_bindings(two_tasks());
  EXPECT_NE(text.find("double forward(double, double, double) __attribute__((weak));"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("double constant() __attribute__((weak));"), std::string::npos) << text;
  EXPECT_NE(text.find("{\"forward\", \"nnn:n\","), std::string::npos) << text;
  EXPECT_NE(text.find("return encode(f(a[0].number, a[1].number, a[2].number));"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("{\"constant\", \":n\","), std::string::npos) << text;
  EXPECT_NE(text.find("return encode(f());"), std::string::npos) << text;
}

TEST(HarnessTest, VectorParametersAreAcceptedByValueAndByConstReference) {
  ExerciseSpec spec;
  spec.spec_file = "/x/exercises/demo/exercise.json";
  TaskSpec t;
  t.id = "train";
  t.params = {"inputs", "epochs", "weights"};
  t.param_types = {ValueType::Vector, ValueType::Integer, ValueType::Matrix};
  t.returns = ValueType::Vector;
  spec.tasks = {t};
  const std::string text = cpp_bindings(spec);
  EXPECT_NE(text.find("{\"train\", \"vim:v\","), std::string::npos) << text;
  for (const char* declaration :
       {"std::vector<double> train(std::vector<double>, int, std::vector<std::vector<double>>)",
        "std::vector<double> train(const std::vector<double>&, int, "
        "std::vector<std::vector<double>>)",
        "std::vector<double> train(std::vector<double>, int, "
        "const std::vector<std::vector<double>>&)",
        "std::vector<double> train(const std::vector<double>&, int, "
        "const std::vector<std::vector<double>>&)"}) {
    EXPECT_NE(text.find(std::string(declaration) + " __attribute__((weak));"), std::string::npos)
        << declaration << "\n"
        << text;
  }
  EXPECT_NE(text.find("f(a[0].vector, a[1].integer, a[2].matrix)"), std::string::npos) << text;
}

TEST(HarnessTest, TheHarnessesKnowNoExercise) {
  // Built into the grader from grader/harness/: nothing of backprop in them.
  for (const std::string_view source : {cpp_harness_source(), python_harness_source()}) {
    EXPECT_GT(source.size(), 1000u);
    for (const char* name : {"update_weight", "gradient", "backprop"}) {
      EXPECT_EQ(source.find(name), std::string_view::npos) << name;
    }
  }
  EXPECT_NE(cpp_harness_source().find("#include \"bindings.inc\""), std::string_view::npos);
}

}  // namespace
}  // namespace grader
