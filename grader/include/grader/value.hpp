#pragma once
/// \file
/// Typed values of task signatures: what a case passes to a function and what the function
/// returns. A number, an integer or a boolean is one element; a vector holds its elements; a
/// matrix holds its rows one after the other, with each row's length (a student's result may be
/// ragged, an exercise's value never is).

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "grader/compare.hpp"

namespace grader {

/// The kinds of values a task signature may name (`exercise.json`: "number", "integer",
/// "boolean", "vector", "matrix").
enum class ValueType { Number, Integer, Boolean, Vector, Matrix };

/// Spelling in exercise.json and reports.
std::string_view to_string(ValueType type);

/// Inverse of to_string; std::nullopt for an unknown spelling.
std::optional<ValueType> parse_value_type(std::string_view text);

/// The C++ type a parameter or result of this kind has in the student contract
/// (`double`, `int`, `bool`, `std::vector<double>`, `std::vector<std::vector<double>>`).
std::string_view cpp_type(ValueType type);

/// One letter per kind on the harness protocol's case lines: n, i, b, v, m.
char wire_letter(ValueType type);

/// True for number, integer and boolean.
bool is_scalar_type(ValueType type);

/// A value of one of the kinds above.
struct Value {
  ValueType type = ValueType::Number;
  std::vector<double> elements{0.0};     ///< scalars: exactly one; matrices: row after row
  std::vector<std::size_t> row_lengths;  ///< matrices only: the length of each row

  Value() = default;
  /// A number (implicit: a double is a value).
  Value(double number) : elements{number} {}  // NOLINT(google-explicit-constructor)

  static Value scalar(ValueType type, double x);
  static Value vector(std::vector<double> elements);
  static Value matrix(const std::vector<std::vector<double>>& rows);

  bool is_scalar() const { return is_scalar_type(type); }
  /// The one element of a scalar. Calling it on a vector or matrix is a bug.
  double number() const;
  /// True when every row of a matrix has the same length (always true for other kinds).
  bool rectangular() const;
  /// Where element `k` sits, in the words of feedback: "" for a scalar, "[2]", "[1][0]".
  std::string index_text(std::size_t k) const;
};

/// True when every element is a finite number.
bool all_finite(const Value& value);

/// Same kind, same shape and the same elements (NaN equal to NaN, -0 equal to 0).
bool operator==(const Value& a, const Value& b);
inline bool operator!=(const Value& a, const Value& b) { return !(a == b); }

/// A value for people: "0.47", "[0.1, 0.2]", "[[1, 2], [3, 4]]", "true", "5". Vectors and
/// matrices longer than `max_elements` are cut with ", ..." (0: never cut).
std::string format_value(const Value& value, std::size_t max_elements = 0);

/// The value on the harness protocol (one token, no spaces): numbers as hex floats (or nan,
/// inf, -inf), integers in decimal, booleans as true/false, vectors as "[a,b]", matrices as
/// "[[a,b],[c,d]]".
std::string to_wire(const Value& value);

/// Reads a value that a harness reported for a function whose result is `declared`. A list
/// where a number was declared, a flat list where a matrix was, and ragged matrices are read
/// as they are (the comparison then names the shape); text that is no value at all gives
/// std::nullopt. At most `kMaxWireElements` elements.
std::optional<Value> parse_wire(std::string_view text, ValueType declared);

/// Largest value a harness may report, in elements.
inline constexpr std::size_t kMaxWireElements = 100000;

/// The verdict on one value.
struct ValueComparison {
  bool passed = false;
  bool finite = true;       ///< false when an element of the actual value is NaN or infinite
  std::string shape_error;  ///< set when kind or shape differ: "3 elements where 2 were expected"
  double abs_error = 0.0;   ///< of the worst element (the largest error relative to its bound)
  double rel_error = 0.0;   ///< of that element; NaN when its expected value is 0
  double allowed = 0.0;     ///< the bound of that element
  /// The first element that fails, when the shapes agree: its index text, e.g. "[1][0]".
  std::optional<std::size_t> first_mismatch;
};

/// Compares `actual` with a finite `expected`, element by element. Numbers and the elements of
/// vectors and matrices follow compare() with `tolerance`; integers and booleans must be equal.
/// A difference of kind or shape fails with `shape_error` set.
ValueComparison compare_values(const Value& actual, const Value& expected,
                               const Tolerance& tolerance);

}  // namespace grader
