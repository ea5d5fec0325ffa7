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

TEST(HarnessTest, BindingsDeclareEachTaskWeakAndCallItWithItsArity) {
  const std::string text = cpp_bindings(two_tasks());
  EXPECT_NE(text.find("double forward(double, double, double) __attribute__((weak));"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("double constant() __attribute__((weak));"), std::string::npos) << text;
  EXPECT_NE(text.find("{\"forward\", 3,"), std::string::npos) << text;
  EXPECT_NE(text.find("return forward(a[0], a[1], a[2]);"), std::string::npos) << text;
  EXPECT_NE(text.find("{\"constant\", 0,"), std::string::npos) << text;
  EXPECT_NE(text.find("return constant();"), std::string::npos) << text;
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
