#include "grader/policy.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>

#include "../files.hpp"
#include "grader/error.hpp"

namespace grader {
namespace {

constexpr std::int64_t kDay = 24 * 60 * 60;

std::optional<std::int64_t> time_field(const nlohmann::json& rule, const char* key,
                                       const std::string& where) {
  if (!rule.contains(key)) return std::nullopt;
  const nlohmann::json& value = rule[key];
  std::optional<std::int64_t> t =
      value.is_string() ? parse_time(value.get<std::string>()) : std::nullopt;
  if (!t) {
    throw SpecError(fmt::format("{}/{}: expected a time like \"2026-12-01T23:59:00+01:00\", got {}",
                                where, key, value.dump()));
  }
  return t;
}

double number_field(const nlohmann::json& rule, const char* key, const std::string& where,
                    double low, double high) {
  if (!rule.contains(key)) return 0.0;
  const nlohmann::json& value = rule[key];
  if (!value.is_number() || value.get<double>() < low || value.get<double>() > high) {
    throw SpecError(fmt::format("{}/{}: expected a number from {} to {}, got {}", where, key, low,
                                high, value.dump()));
  }
  return value.get<double>();
}

}  // namespace

std::optional<std::int64_t> parse_time(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, used = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d%n", &year, &month, &day, &hour, &minute,
                  &used) != 5) {
    return std::nullopt;
  }
  std::size_t pos = static_cast<std::size_t>(used);
  if (pos < text.size() && text[pos] == ':') {
    int more = 0;
    if (std::sscanf(text.c_str() + pos, ":%2d%n", &second, &more) != 1) return std::nullopt;
    pos += static_cast<std::size_t>(more);
  }
  std::int64_t offset = 0;
  const std::string zone = text.substr(pos);
  if (zone == "Z") {
    offset = 0;
  } else if (zone.size() == 6 && (zone[0] == '+' || zone[0] == '-') && zone[3] == ':') {
    int zh = 0, zm = 0;
    if (std::sscanf(zone.c_str() + 1, "%2d:%2d", &zh, &zm) != 2 || zh > 14 || zm > 59) {
      return std::nullopt;
    }
    offset = (zone[0] == '+' ? 1 : -1) * (zh * 3600 + zm * 60);
  } else {
    return std::nullopt;  // a time without a zone is ambiguous
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

std::string format_time(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

CourseRules load_course_rules(const std::filesystem::path& file) {
  CourseRules rules;
  const std::optional<std::string> text = detail::read_text(file);
  if (!text) return rules;
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(*text);
  } catch (const nlohmann::json::exception& e) {
    throw SpecError(fmt::format("{}: not valid JSON: {}", file.string(), e.what()));
  }
  if (!root.is_object() || !root.contains("rules")) return rules;
  if (!root["rules"].is_object()) {
    throw SpecError(fmt::format("{}: /rules: expected an object of exercise ids", file.string()));
  }
  for (const auto& [id, rule] : root["rules"].items()) {
    const std::string where = fmt::format("{}: /rules/{}", file.string(), id);
    if (!rule.is_object()) throw SpecError(fmt::format("{}: expected an object", where));
    ExerciseRules r;
    r.due = time_field(rule, "due", where);
    r.cutoff = time_field(rule, "cutoff", where);
    r.grace_seconds =
        static_cast<std::int64_t>(number_field(rule, "grace_minutes", where, 0, 1e6) * 60);
    r.penalty_per_day = number_field(rule, "penalty_per_day", where, 0, 1);
    r.hidden_feedback_per_day =
        static_cast<int>(number_field(rule, "hidden_feedback_per_day", where, 0, 1e6));
    rules[id] = r;
  }
  return rules;
}

std::optional<Lateness> lateness(const ExerciseRules& rules, std::optional<std::int64_t> extension,
                                 std::int64_t submitted_at) {
  if (!rules.due && !extension) return std::nullopt;
  Lateness l;
  l.due = extension ? *extension : *rules.due;
  const std::int64_t late_by = submitted_at - (l.due + rules.grace_seconds);
  if (late_by > 0) {
    l.days_late = static_cast<int>((late_by + kDay - 1) / kDay);
    l.penalty = std::min(1.0, rules.penalty_per_day * l.days_late);
  }
  return l;
}

bool past_cutoff(const ExerciseRules& rules, std::optional<std::int64_t> extension,
                 std::int64_t now) {
  if (!rules.cutoff) return false;
  const std::int64_t cutoff =
      extension ? std::max(*rules.cutoff, *extension + rules.grace_seconds) : *rules.cutoff;
  return now > cutoff;
}

std::int64_t next_utc_day(std::int64_t t) { return (t / kDay + 1) * kDay; }

}  // namespace grader
