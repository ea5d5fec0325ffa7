#pragma once
// Reading exercise.json (exercise.cpp, exercise_tasks.cpp): typed fields, each defect a
// SpecError naming the file, the JSON pointer and the value.

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "grader/error.hpp"
#include "grader/exercise.hpp"

namespace grader::detail {

namespace fs = std::filesystem;
using nlohmann::json;

// Short rendering of a JSON value for error messages.
inline std::string show(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

// Reads typed fields of the spec and turns every defect into a SpecError that names the file,
// the JSON pointer and the offending value.
class SpecReader {
 public:
  explicit SpecReader(fs::path file) : file_(std::move(file)) {}

  [[noreturn]] void fail(const std::string& where, const std::string& what) const {
    throw SpecError(fmt::format("{}: {}: {}", file_.string(), where.empty() ? "/" : where, what));
  }

  const json& require(const json& object, const std::string& where, const char* key) const {
    auto it = object.find(key);
    if (it == object.end()) fail(where, fmt::format("missing required field \"{}\"", key));
    return *it;
  }

  void only_keys(const json& object, const std::string& where,
                 std::initializer_list<const char*> keys) const {
    for (const auto& [key, value] : object.items()) {
      if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) ==
          keys.end()) {
        fail(where + "/" + key, fmt::format("unknown field \"{}\"", key));
      }
    }
  }

  const json& object(const json& value, const std::string& where) const {
    if (!value.is_object()) fail(where, fmt::format("expected an object, got {}", show(value)));
    return value;
  }

  const json& array(const json& value, const std::string& where) const {
    if (!value.is_array()) fail(where, fmt::format("expected an array, got {}", show(value)));
    return value;
  }

  std::string string(const json& value, const std::string& where) const {
    if (!value.is_string()) fail(where, fmt::format("expected a string, got {}", show(value)));
    return value.get<std::string>();
  }

  std::string identifier(const json& value, const std::string& where) const {
    std::string text = string(value, where);
    const bool ok =
        !text.empty() && (std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_') &&
        std::all_of(text.begin(), text.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
    if (!ok) fail(where, fmt::format("expected an identifier, got {}", show(value)));
    return text;
  }

  // Case and file names: letters, digits, '-', '_' and '.'; no path separators.
  std::string name(const json& value, const std::string& where) const {
    std::string text = string(value, where);
    const bool ok =
        !text.empty() && text != "." && text != ".." &&
        std::all_of(text.begin(), text.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
        });
    if (!ok)
      fail(where,
           fmt::format("expected a name of letters, digits, '-', '_' or '.', got {}", show(value)));
    return text;
  }

  double number(const json& value, const std::string& where) const {
    if (!value.is_number()) fail(where, fmt::format("expected a number, got {}", show(value)));
    const double number = value.get<double>();
    if (!std::isfinite(number))
      fail(where, fmt::format("expected a finite number, got {}", show(value)));
    return number;
  }

  // A value of a task's parameter or result: numbers finite, integers whole and within int,
  // vectors of numbers, matrices of rows of equal length.
  Value typed(const json& value, ValueType type, const std::string& where) const {
    switch (type) {
      case ValueType::Number:
        return Value(number(value, where));
      case ValueType::Integer: {
        if (!value.is_number_integer() || value.get<std::int64_t>() < -2147483647 ||
            value.get<std::int64_t>() > 2147483647) {
          fail(where, fmt::format("expected an integer (an int of C++), got {}", show(value)));
        }
        return Value::scalar(type, static_cast<double>(value.get<std::int64_t>()));
      }
      case ValueType::Boolean:
        return Value::scalar(type, boolean(value, where) ? 1.0 : 0.0);
      case ValueType::Vector: {
        if (!value.is_array())
          fail(where, fmt::format("expected a vector (an array of numbers), got {}", show(value)));
        std::vector<double> elements;
        for (std::size_t i = 0; i < value.size(); ++i) {
          elements.push_back(number(value[i], fmt::format("{}/{}", where, i)));
        }
        return Value::vector(std::move(elements));
      }
      case ValueType::Matrix: {
        if (!value.is_array())
          fail(where, fmt::format("expected a matrix (an array of rows), got {}", show(value)));
        std::vector<std::vector<double>> rows;
        for (std::size_t r = 0; r < value.size(); ++r) {
          const std::string r_where = fmt::format("{}/{}", where, r);
          if (!value[r].is_array())
            fail(r_where,
                 fmt::format("expected a row (an array of numbers), got {}", show(value[r])));
          std::vector<double> row;
          for (std::size_t c = 0; c < value[r].size(); ++c) {
            row.push_back(number(value[r][c], fmt::format("{}/{}", r_where, c)));
          }
          if (r > 0 && row.size() != rows.front().size()) {
            fail(r_where, fmt::format("a row of {} numbers in a matrix whose first row has {}",
                                      row.size(), rows.front().size()));
          }
          rows.push_back(std::move(row));
        }
        return Value::matrix(rows);
      }
    }
    fail(where, "unknown type");
  }

  double positive(const json& value, const std::string& where) const {
    const double x = number(value, where);
    if (!(x > 0)) fail(where, fmt::format("expected a positive number, got {}", show(value)));
    return x;
  }

  std::int64_t positive_integer(const json& value, const std::string& where) const {
    if (!value.is_number_integer() || value.get<std::int64_t>() <= 0) {
      fail(where, fmt::format("expected a positive integer, got {}", show(value)));
    }
    return value.get<std::int64_t>();
  }

  bool boolean(const json& value, const std::string& where) const {
    if (!value.is_boolean())
      fail(where, fmt::format("expected true or false, got {}", show(value)));
    return value.get<bool>();
  }

  // A file of the exercise, relative to its folder, that must exist and stay inside it.
  fs::path exercise_file(const json& value, const std::string& where, const fs::path& dir) const {
    const std::string relative = string(value, where);
    const fs::path path = fs::path(relative).lexically_normal();
    if (relative.empty() || path.is_absolute() || *path.begin() == "..") {
      fail(where, fmt::format("expected a path inside the exercise folder, got {}", show(value)));
    }
    const fs::path full = dir / path;
    std::error_code ec;
    if (!fs::is_regular_file(full, ec)) {
      fail(where, fmt::format("file \"{}\" does not exist", full.string()));
    }
    return full;
  }

 private:
  fs::path file_;
};

/// One entry of `/tasks` at `where` (its index `task_index`); `case_ids` collects the case ids
/// of every task so far, to refuse duplicates.
TaskSpec read_task(const SpecReader& r, const nlohmann::json& value, const std::string& where,
                   std::size_t task_index, std::set<std::string>& case_ids);

/// A `"type"` (number, integer, boolean, vector, matrix).
ValueType read_type(const SpecReader& r, const nlohmann::json& value, const std::string& where);

}  // namespace grader::detail
