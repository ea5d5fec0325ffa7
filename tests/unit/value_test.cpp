#include "grader/value.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace grader {
namespace {

const Tolerance kTolerance{1e-9, 1e-12};

TEST(ValueTest, TypesSpellAsInTheSpec) {
  for (ValueType type : {ValueType::Number, ValueType::Integer, ValueType::Boolean,
                         ValueType::Vector, ValueType::Matrix}) {
    EXPECT_EQ(parse_value_type(to_string(type)), type);
  }
  EXPECT_FALSE(parse_value_type("float"));
  EXPECT_EQ(cpp_type(ValueType::Matrix), "std::vector<std::vector<double>>");
}

TEST(ValueTest, WireFormRoundTripsEveryKind) {
  const Value values[] = {
      Value(0.1),
      Value(-0.0),
      Value::scalar(ValueType::Integer, -42),
      Value::scalar(ValueType::Boolean, 1),
      Value::vector({0.1, -2.5, 1e-300, 5e-324}),
      Value::vector({}),
      Value::matrix({{1.5, 2.0, -3.25}, {0.0, 1e308, 7.0}}),
      Value::matrix({}),
  };
  for (const Value& v : values) {
    const std::optional<Value> back = parse_wire(to_wire(v), v.type);
    ASSERT_TRUE(back) << to_wire(v);
    EXPECT_EQ(*back, v) << to_wire(v);
    EXPECT_EQ(to_wire(*back), to_wire(v));
  }
  EXPECT_EQ(to_wire(Value::matrix({{1, 2}, {3, 4}})), "[[0x1p+0,0x1p+1],[0x1.8p+1,0x1p+2]]");
}

TEST(ValueTest, WireReaderKeepsWhatAHarnessSentEvenOfTheWrongShape) {
  // A ragged matrix and a list where a number was declared are read as they are: the
  // comparison names the shape.
  const std::optional<Value> ragged = parse_wire("[[1,2],[3]]", ValueType::Matrix);
  ASSERT_TRUE(ragged);
  EXPECT_FALSE(ragged->rectangular());
  const std::optional<Value> list = parse_wire("[1,2]", ValueType::Number);
  ASSERT_TRUE(list);
  EXPECT_EQ(list->type, ValueType::Vector);
  const std::optional<Value> flat = parse_wire("[1,2]", ValueType::Matrix);
  ASSERT_TRUE(flat);
  EXPECT_EQ(flat->type, ValueType::Vector);
  EXPECT_TRUE(std::isnan(parse_wire("[nan]", ValueType::Vector)->elements[0]));
}

TEST(ValueTest, WireReaderRejectsMalformedText) {
  for (const char* text : {"", "[", "]", "[1,", "[1,,2]", "[[1],2]", "[1]x", "[[[1]]]", "abc",
                           "[1 2]", "0x1p+0 ", "[[1],[2]"}) {
    EXPECT_FALSE(parse_wire(text, ValueType::Vector)) << text;
  }
}

TEST(ValueTest, VectorsCompareElementWiseAndNameTheFirstDifference) {
  const Value expected = Value::vector({0.5, 0.25, -1.0});
  const ValueComparison same =
      compare_values(Value::vector({0.5, 0.25 + 1e-14, -1.0}), expected, kTolerance);
  EXPECT_TRUE(same.passed);
  const ValueComparison off = compare_values(Value::vector({0.5, 0.3, -1.5}), expected, kTolerance);
  EXPECT_FALSE(off.passed);
  ASSERT_TRUE(off.first_mismatch);
  EXPECT_EQ(*off.first_mismatch, 1u);
  EXPECT_EQ(expected.index_text(*off.first_mismatch), "[1]");
  EXPECT_DOUBLE_EQ(off.abs_error, 0.5);  // the worst element, beyond its bound the most
}

TEST(ValueTest, MatrixIndexNamesRowAndColumn) {
  const Value expected = Value::matrix({{1, 2, 3}, {4, 5, 6}});
  const ValueComparison c =
      compare_values(Value::matrix({{1, 2, 3}, {4, 5.5, 6}}), expected, kTolerance);
  ASSERT_TRUE(c.first_mismatch);
  EXPECT_EQ(expected.index_text(*c.first_mismatch), "[1][1]");
}

TEST(ValueTest, ShapeDifferencesAreTheirOwnVerdict) {
  const Value expected = Value::matrix({{1, 2, 3}, {4, 5, 6}});
  const ValueComparison transposed =
      compare_values(Value::matrix({{1, 4}, {2, 5}, {3, 6}}), expected, kTolerance);
  EXPECT_FALSE(transposed.passed);
  EXPECT_EQ(transposed.shape_error, "the result is a 3x2 matrix where a 2x3 matrix was expected");
  const ValueComparison shorter =
      compare_values(Value::vector({1, 2}), Value::vector({1, 2, 3}), kTolerance);
  EXPECT_EQ(shorter.shape_error,
            "the result is a vector of 2 elements where a vector of 3 elements was expected");
  const ValueComparison flat =
      compare_values(Value::vector({1, 2, 3, 4, 5, 6}), expected, kTolerance);
  EXPECT_FALSE(flat.shape_error.empty());
  const ValueComparison ragged =
      compare_values(Value::matrix({{1, 2, 3}, {4, 5}}), expected, kTolerance);
  EXPECT_EQ(ragged.shape_error,
            "the result is 2 rows of unequal lengths where a 2x3 matrix was expected");
  const ValueComparison scalar = compare_values(Value(1.0), Value::vector({1.0}), kTolerance);
  EXPECT_EQ(scalar.shape_error,
            "the result is a single number where a vector of 1 element was expected");
}

TEST(ValueTest, NonFiniteElementsFail) {
  const ValueComparison c =
      compare_values(Value::vector({1.0, std::numeric_limits<double>::quiet_NaN()}),
                     Value::vector({1.0, 2.0}), kTolerance);
  EXPECT_FALSE(c.passed);
  EXPECT_FALSE(c.finite);
}

TEST(ValueTest, IntegersAndBooleansMustBeEqual) {
  const Value five = Value::scalar(ValueType::Integer, 5);
  EXPECT_TRUE(compare_values(five, five, kTolerance).passed);
  EXPECT_FALSE(
      compare_values(Value::scalar(ValueType::Integer, 5.0000000001), five, Tolerance{1e-3, 1e-3})
          .passed);
  EXPECT_FALSE(compare_values(Value::scalar(ValueType::Boolean, 0),
                              Value::scalar(ValueType::Boolean, 1), kTolerance)
                   .passed);
}

TEST(ValueTest, ScalarsFollowTheToleranceRule) {
  // The one-number case is compare() itself: -0 equals 0, NaN fails.
  EXPECT_TRUE(compare_values(Value(-0.0), Value(0.0), kTolerance).passed);
  EXPECT_FALSE(
      compare_values(Value(std::numeric_limits<double>::quiet_NaN()), Value(0.0), kTolerance)
          .passed);
  EXPECT_TRUE(compare_values(Value(0.47 + 1e-13), Value(0.47), kTolerance).passed);
}

TEST(ValueTest, FormatShowsShortValuesWholeAndCutsLongOnes) {
  EXPECT_EQ(format_value(Value(0.47)), "0.47");
  EXPECT_EQ(format_value(Value::scalar(ValueType::Integer, 3)), "3");
  EXPECT_EQ(format_value(Value::scalar(ValueType::Boolean, 0)), "false");
  EXPECT_EQ(format_value(Value::vector({0.1, 0.2})), "[0.1, 0.2]");
  EXPECT_EQ(format_value(Value::matrix({{1, 2}, {3, 4}})), "[[1, 2], [3, 4]]");
  EXPECT_EQ(format_value(Value::vector({1, 2, 3, 4}), 2), "[1, 2, ...]");
  EXPECT_EQ(format_value(Value::vector({})), "[]");
}

}  // namespace
}  // namespace grader
