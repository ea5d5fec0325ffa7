// Typed values: spelling, formatting, the harness protocol's encoding, and the element-wise
// comparison.

#include "grader/value.hpp"

#include <fmt/format.h>

#include <cassert>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "grader/report.hpp"

namespace grader {
namespace {

struct TypeName {
  ValueType type;
  std::string_view name;
  std::string_view cpp;
  char letter;
};

constexpr TypeName kTypes[] = {
    {ValueType::Number, "number", "double", 'n'},
    {ValueType::Integer, "integer", "int", 'i'},
    {ValueType::Boolean, "boolean", "bool", 'b'},
    {ValueType::Vector, "vector", "std::vector<double>", 'v'},
    {ValueType::Matrix, "matrix", "std::vector<std::vector<double>>", 'm'},
};

const TypeName& entry(ValueType type) {
  for (const TypeName& t : kTypes) {
    if (t.type == type) return t;
  }
  assert(false && "unknown ValueType");
  return kTypes[0];
}

std::string scalar_text(ValueType type, double x) {
  if (type == ValueType::Boolean) return x != 0.0 ? "true" : "false";
  if (type == ValueType::Integer && std::isfinite(x)) return fmt::format("{:.0f}", x);
  return format_number(x);
}

std::string wire_number(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x < 0 ? "-inf" : "inf";
  return fmt::format("{:a}", x);
}

// A recursive-descent reader of the wire form, at most two levels of brackets deep.
class WireReader {
 public:
  explicit WireReader(std::string_view text) : text_(text) {}

  // A scalar, or a list of scalars, or a list of lists of scalars.
  std::optional<Value> read(ValueType declared) {
    Value value;
    if (peek() != '[') {
      auto x = scalar();
      if (!x || pos_ != text_.size()) return std::nullopt;
      value.type = is_scalar_type(declared) ? declared : ValueType::Number;
      value.elements = {*x};
      return value;
    }
    value.elements.clear();
    ++pos_;
    if (peek() == ']') {  // an empty list: as declared (an empty matrix has no rows)
      ++pos_;
      value.type = declared == ValueType::Matrix ? ValueType::Matrix : ValueType::Vector;
      return pos_ == text_.size() ? std::optional<Value>(value) : std::nullopt;
    }
    const bool nested = peek() == '[';
    value.type = nested ? ValueType::Matrix : ValueType::Vector;
    while (true) {
      if (nested) {
        if (peek() != '[') return std::nullopt;
        ++pos_;
        std::size_t length = 0;
        if (peek() != ']') {
          while (true) {
            auto x = scalar();
            if (!x || value.elements.size() >= kMaxWireElements) return std::nullopt;
            value.elements.push_back(*x);
            ++length;
            if (peek() != ',') break;
            ++pos_;
          }
        }
        if (peek() != ']') return std::nullopt;
        ++pos_;
        value.row_lengths.push_back(length);
      } else {
        auto x = scalar();
        if (!x || value.elements.size() >= kMaxWireElements) return std::nullopt;
        value.elements.push_back(*x);
      }
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      break;
    }
    if (peek() != ']') return std::nullopt;
    ++pos_;
    if (pos_ != text_.size()) return std::nullopt;
    return value;
  }

 private:
  char peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }

  std::optional<double> scalar() {
    std::size_t end = pos_;
    while (end < text_.size() && text_[end] != ',' && text_[end] != ']' && text_[end] != '[') {
      ++end;
    }
    const std::string token(text_.substr(pos_, end - pos_));
    pos_ = end;
    if (token == "true") return 1.0;
    if (token == "false") return 0.0;
    if (token == "nan" || token == "-nan") return std::nan("");
    if (token == "inf") return HUGE_VAL;
    if (token == "-inf") return -HUGE_VAL;
    if (token.empty() || token.size() > 64) return std::nullopt;
    char* stop = nullptr;
    const double x = std::strtod(token.c_str(), &stop);
    if (stop != token.c_str() + token.size()) return std::nullopt;
    return x;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
};

std::string count_text(std::size_t n, std::string_view what) {
  return fmt::format("{} {}{}", n, what, n == 1 ? "" : "s");
}

// The shape of a value in words: "a number", "a vector of 3 elements", "a 2x3 matrix".
std::string shape_text(const Value& v) {
  switch (v.type) {
    case ValueType::Number:
    case ValueType::Integer:
    case ValueType::Boolean:
      return fmt::format("a single {}", to_string(v.type));
    case ValueType::Vector:
      return fmt::format("a vector of {}", count_text(v.elements.size(), "element"));
    case ValueType::Matrix:
      if (!v.rectangular())
        return fmt::format("{} of unequal lengths", count_text(v.row_lengths.size(), "row"));
      return fmt::format("a {}x{} matrix", v.row_lengths.size(),
                         v.row_lengths.empty() ? 0 : v.row_lengths.front());
  }
  return "a value";
}

std::string shape_error(const Value& actual, const Value& expected) {
  const bool scalars = actual.is_scalar() && expected.is_scalar();
  if (scalars) return {};
  if (actual.type == expected.type && actual.elements.size() == expected.elements.size() &&
      actual.row_lengths == expected.row_lengths) {
    return {};
  }
  return fmt::format("the result is {} where {} was expected", shape_text(actual),
                     shape_text(expected));
}

}  // namespace

std::string_view to_string(ValueType type) { return entry(type).name; }

std::optional<ValueType> parse_value_type(std::string_view text) {
  for (const TypeName& t : kTypes) {
    if (t.name == text) return t.type;
  }
  return std::nullopt;
}

std::string_view cpp_type(ValueType type) { return entry(type).cpp; }

char wire_letter(ValueType type) { return entry(type).letter; }

bool is_scalar_type(ValueType type) {
  return type == ValueType::Number || type == ValueType::Integer || type == ValueType::Boolean;
}

Value Value::scalar(ValueType type, double x) {
  assert(is_scalar_type(type));
  Value v(x);
  v.type = type;
  return v;
}

Value Value::vector(std::vector<double> elements) {
  Value v;
  v.type = ValueType::Vector;
  v.elements = std::move(elements);
  return v;
}

Value Value::matrix(const std::vector<std::vector<double>>& rows) {
  Value v;
  v.type = ValueType::Matrix;
  v.elements.clear();
  for (const auto& row : rows) {
    v.elements.insert(v.elements.end(), row.begin(), row.end());
    v.row_lengths.push_back(row.size());
  }
  return v;
}

double Value::number() const {
  assert(is_scalar() && elements.size() == 1);
  return elements.front();
}

bool Value::rectangular() const {
  for (std::size_t length : row_lengths) {
    if (length != row_lengths.front()) return false;
  }
  return true;
}

std::string Value::index_text(std::size_t k) const {
  if (type == ValueType::Vector) return fmt::format("[{}]", k);
  if (type != ValueType::Matrix) return {};
  std::size_t row = 0;
  while (row < row_lengths.size() && k >= row_lengths[row]) k -= row_lengths[row++];
  return fmt::format("[{}][{}]", row, k);
}

bool all_finite(const Value& value) {
  for (double x : value.elements) {
    if (!std::isfinite(x)) return false;
  }
  return true;
}

bool operator==(const Value& a, const Value& b) {
  if (a.type != b.type || a.row_lengths != b.row_lengths) return false;
  if (a.elements.size() != b.elements.size()) return false;
  for (std::size_t i = 0; i < a.elements.size(); ++i) {
    const double x = a.elements[i];
    const double y = b.elements[i];
    if (!(x == y) && !(std::isnan(x) && std::isnan(y))) return false;
  }
  return true;
}

std::string format_value(const Value& value, std::size_t max_elements) {
  if (value.is_scalar()) return scalar_text(value.type, value.number());
  const auto cut = [&](std::size_t shown) { return max_elements != 0 && shown >= max_elements; };
  std::string out = "[";
  if (value.type == ValueType::Vector) {
    for (std::size_t i = 0; i < value.elements.size(); ++i) {
      if (cut(i)) {
        out += ", ...";
        break;
      }
      out += (i ? ", " : "") + format_number(value.elements[i]);
    }
    return out + "]";
  }
  std::size_t k = 0;
  std::size_t shown = 0;
  for (std::size_t r = 0; r < value.row_lengths.size(); ++r) {
    if (cut(shown)) {
      out += ", ...";
      break;
    }
    out += r ? ", [" : "[";
    for (std::size_t c = 0; c < value.row_lengths[r]; ++c, ++k) {
      if (cut(shown)) {
        out += c ? ", ..." : "...";
        k += value.row_lengths[r] - c;
        break;
      }
      out += (c ? ", " : "") + format_number(value.elements[k]);
      ++shown;
    }
    out += "]";
  }
  return out + "]";
}

std::string to_wire(const Value& value) {
  if (value.is_scalar()) {
    if (value.type == ValueType::Boolean) return value.number() != 0.0 ? "true" : "false";
    if (value.type == ValueType::Integer) return fmt::format("{:.0f}", value.number());
    return wire_number(value.number());
  }
  std::string out = "[";
  if (value.type == ValueType::Vector) {
    for (std::size_t i = 0; i < value.elements.size(); ++i) {
      out += (i ? "," : "") + wire_number(value.elements[i]);
    }
    return out + "]";
  }
  std::size_t k = 0;
  for (std::size_t r = 0; r < value.row_lengths.size(); ++r) {
    out += r ? ",[" : "[";
    for (std::size_t c = 0; c < value.row_lengths[r]; ++c, ++k) {
      out += (c ? "," : "") + wire_number(value.elements[k]);
    }
    out += "]";
  }
  return out + "]";
}

std::optional<Value> parse_wire(std::string_view text, ValueType declared) {
  return WireReader(text).read(declared);
}

ValueComparison compare_values(const Value& actual, const Value& expected,
                               const Tolerance& tolerance) {
  ValueComparison out;
  for (double x : actual.elements) {
    if (!std::isfinite(x)) out.finite = false;
  }
  out.shape_error = shape_error(actual, expected);
  if (!out.shape_error.empty()) return out;
  const bool exact = expected.type == ValueType::Integer || expected.type == ValueType::Boolean;
  const Tolerance rule = exact ? Tolerance{0.0, 0.0} : tolerance;
  out.passed = true;
  double worst = -1.0;
  for (std::size_t i = 0; i < expected.elements.size(); ++i) {
    const Comparison c = compare(actual.elements[i], expected.elements[i], rule);
    // The worst element is the one furthest beyond its bound (a non-finite one first).
    const double badness = !c.finite           ? HUGE_VAL
                           : c.allowed > 0.0   ? c.abs_error / c.allowed
                           : c.abs_error > 0.0 ? HUGE_VAL / 2
                                               : 0.0;
    if (badness > worst) {
      worst = badness;
      out.abs_error = c.abs_error;
      out.rel_error = c.rel_error;
      out.allowed = c.allowed;
    }
    if (!c.passed && out.passed) {
      out.passed = false;
      out.first_mismatch = i;
    }
  }
  if (expected.elements.empty()) out.allowed = std::max(tolerance.atol, 0.0);
  return out;
}

}  // namespace grader
