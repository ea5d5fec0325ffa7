#include <gtest/gtest.h>

#include "grader/toolchain.hpp"

namespace grader {
namespace {

// What `nm --demangle --defined-only` lists for a program, trimmed to the interesting lines.
const std::vector<std::string> kDefined = {
    "main",
    "forward(float, float, float)",
    "neuron::gradient(double, double, double, double)",
    "loss",
    "(anonymous namespace)::update_weight(double, double, double)",
    "helper(std::vector<double, std::allocator<double> > const&, forward_tag)",
    "forward_pass(double)",
    "std::forward<double>(double&)",
};

TEST(NearDefinitionsTest, OtherParametersAreFound) {
  EXPECT_EQ(near_definitions(kDefined, "forward"),
            std::vector<std::string>{"forward(float, float, float)"});
}

TEST(NearDefinitionsTest, CLinkageIsTheBareName) {
  EXPECT_EQ(near_definitions(kDefined, "loss"), std::vector<std::string>{"loss"});
}

TEST(NearDefinitionsTest, ScopedFunctionsAreFoundButNotParameterTypes) {
  EXPECT_EQ(near_definitions(kDefined, "gradient"),
            std::vector<std::string>{"neuron::gradient(double, double, double, double)"});
  EXPECT_EQ(
      near_definitions(kDefined, "update_weight"),
      std::vector<std::string>{"(anonymous namespace)::update_weight(double, double, double)"});
}

TEST(NearDefinitionsTest, LongerNamesAndTemplatesAreNotTheFunction) {
  EXPECT_TRUE(near_definitions(kDefined, "forward_pass").size() == 1);
  EXPECT_TRUE(near_definitions({"forward_pass(double)", "std::forward<double>(double&)"}, "forward")
                  .empty());
  EXPECT_TRUE(near_definitions(kDefined, "sigmoid").empty());
}

}  // namespace
}  // namespace grader
