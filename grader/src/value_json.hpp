#pragma once
// Typed values in JSON (reports, the cache, `grader cases`, kits): numbers as JSON numbers (NaN
// and infinities as the strings "nan", "inf", "-inf"), integers as integers, booleans as
// true/false, vectors as arrays, matrices as arrays of rows.

#include <cmath>
#include <limits>
#include <optional>
#include <string>

#include "grader/value.hpp"

namespace grader::detail {

template <typename Json>
Json number_json(double x) {
  if (std::isnan(x)) return "nan";
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return x;
}

template <typename Json>
Json value_json(const Value& value) {
  switch (value.type) {
    case ValueType::Boolean:
      return value.number() != 0.0;
    case ValueType::Integer:
      if (std::isfinite(value.number())) return static_cast<long long>(value.number());
      return number_json<Json>(value.number());
    case ValueType::Number:
      return number_json<Json>(value.number());
    case ValueType::Vector: {
      Json list = Json::array();
      for (double x : value.elements) list.push_back(number_json<Json>(x));
      return list;
    }
    case ValueType::Matrix: {
      Json rows = Json::array();
      std::size_t k = 0;
      for (std::size_t length : value.row_lengths) {
        Json row = Json::array();
        for (std::size_t c = 0; c < length; ++c)
          row.push_back(number_json<Json>(value.elements[k++]));
        rows.push_back(std::move(row));
      }
      return rows;
    }
  }
  return nullptr;
}

template <typename Json>
std::optional<double> json_number(const Json& j) {
  if (j.is_number()) return j.template get<double>();
  if (j.is_string()) {
    const std::string text = j.template get<std::string>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
  }
  return std::nullopt;
}

/// Reads back what value_json wrote. `hint` decides between a number and an integer (both
/// written as JSON numbers) and names an empty list's kind; without it an empty list is a
/// vector. std::nullopt when `j` is no value.
template <typename Json>
std::optional<Value> value_from_json(const Json& j, std::optional<ValueType> hint = std::nullopt) {
  if (j.is_boolean()) return Value::scalar(ValueType::Boolean, j.template get<bool>() ? 1.0 : 0.0);
  if (auto x = json_number(j)) {
    if (hint == ValueType::Integer) return Value::scalar(ValueType::Integer, *x);
    return Value(*x);
  }
  if (!j.is_array()) return std::nullopt;
  const bool rows =
      (!j.empty() && j.front().is_array()) || (j.empty() && hint == ValueType::Matrix);
  if (!rows) {
    std::vector<double> elements;
    for (const auto& item : j) {
      auto x = json_number(item);
      if (!x) return std::nullopt;
      elements.push_back(*x);
    }
    return Value::vector(std::move(elements));
  }
  std::vector<std::vector<double>> matrix;
  for (const auto& row : j) {
    if (!row.is_array()) return std::nullopt;
    std::vector<double> elements;
    for (const auto& item : row) {
      auto x = json_number(item);
      if (!x) return std::nullopt;
      elements.push_back(*x);
    }
    matrix.push_back(std::move(elements));
  }
  return Value::matrix(matrix);
}

}  // namespace grader::detail
