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

// The mistake models in one program: each file as written inside a namespace of its own,
// after the union of their leading includes, and task functions that forward to the model
// GRADER_MODEL names (every signature a model may have used), throwing for a left-out one.
TEST(HarnessTest, CombinedModelsKeepEachFileInItsOwnNamespace) {
  ExerciseSpec spec = two_tasks();
  LanguageSpec cpp;
  cpp.header = "/x/exercises/demo/demo.hpp";
  spec.languages[Language::Cpp] = cpp;
  const std::string first =
      "// mistake: a\n#include \"demo.hpp\"\n#include <cmath>\n"
      "double forward(double w, double x, double b) { return std::exp(w * x); }\n";
  const std::string second =
      "#include <vector>\n\nnamespace {\ndouble twice(double v) { return 2 * v; }\n}\n"
      "double constant() { return twice(1.5); }\n";
  std::string why;
  const std::optional<CombinedModels> combined =
      combined_models(spec, {{"a.cpp", first}, {"b.cpp", second}}, why);
  ASSERT_TRUE(combined) << why;
  const std::string& models = combined->models_source;
  // The headers first, once, in order of first use; then each file whole, after its
  // namespace's weak declarations and a #line that names it in the compiler's messages.
  const std::size_t headers =
      models.find("#include \"demo.hpp\"\n#include <cmath>\n#include <vector>\n");
  const std::size_t a = models.find("namespace grader_model_0 {\n#line 1 \"a.cpp\"\n" + first);
  const std::size_t b = models.find("namespace grader_model_1 {\n#line 1 \"b.cpp\"\n" + second);
  ASSERT_NE(headers, std::string::npos) << models;
  ASSERT_NE(a, std::string::npos) << models;
  ASSERT_NE(b, std::string::npos) << models;
  EXPECT_LT(headers, a);
  EXPECT_LT(a, b);
  EXPECT_NE(models.find("namespace grader_model_1 {\ndouble forward(double, double, double) "
                        "__attribute__((weak));\ndouble constant() __attribute__((weak));\n}"),
            std::string::npos)
      << models;
  const std::string& dispatch = combined->dispatch_source;
  EXPECT_NE(dispatch.find("double forward(double a0, double a1, double a2) {\n"
                          "  switch (grader_model()) {\n    case 0:\n      if (auto f = "
                          "static_cast<double (*)(double, double, double)>(&grader_model_0::"
                          "forward)) return f(a0, a1, a2);\n      break;\n    case 1:"),
            std::string::npos)
      << dispatch;
  EXPECT_NE(dispatch.find("throw grader_model_left_out();"), std::string::npos);
  EXPECT_NE(dispatch.find("std::getenv(\"GRADER_MODEL\")"), std::string::npos);
}

TEST(HarnessTest, ModelsWithMacrosOrOtherHeadersAreNotCombined) {
  ExerciseSpec spec = two_tasks();
  LanguageSpec cpp;
  cpp.header = "/x/exercises/demo/demo.hpp";
  spec.languages[Language::Cpp] = cpp;
  const std::string plain = "#include <cmath>\ndouble constant() { return 1.0; }\n";
  std::string why;
  for (const std::string& odd :
       {std::string("#include <cmath>\n#define exp my_exp\ndouble constant();\n"),
        std::string("#include <cmath>\ndouble constant() {\n#ifdef X\n  return 2;\n#endif\n"
                    "  return 1;\n}\n"),
        std::string("#include \"helpers.hpp\"\ndouble constant();\n"),
        std::string("#include <cassert>\ndouble constant();\n")}) {
    why.clear();
    EXPECT_FALSE(combined_models(spec, {{"plain.cpp", plain}, {"odd.cpp", odd}}, why)) << odd;
    EXPECT_NE(why.find("odd.cpp"), std::string::npos) << why;
  }
  EXPECT_TRUE(combined_models(spec, {{"plain.cpp", plain}, {"plain2.cpp", plain}}, why));
}

}  // namespace
}  // namespace grader
