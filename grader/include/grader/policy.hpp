#pragma once
/// \file
/// Course rules the server enforces: deadlines with a late penalty, and a daily limit on
/// feedback from hidden cases. The rules are data in the course file (docs/server.md):
///
///     {"rules": {"backprop": {"due": "2026-12-01T23:59:00+01:00", "grace_minutes": 15,
///                             "penalty_per_day": 0.1, "cutoff": "2026-12-08T23:59:00+01:00",
///                             "hidden_feedback_per_day": 3}}}
///
/// Every time is Unix seconds and the server's clock decides.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace grader {

/// The rules of one exercise. Every field is optional: no due time means never late.
struct ExerciseRules {
  std::optional<std::int64_t> due;     ///< due time
  std::int64_t grace_seconds = 0;      ///< submissions this long after `due` are on time
  double penalty_per_day = 0.0;        ///< fraction of the maximum score lost per started day late
  std::optional<std::int64_t> cutoff;  ///< after this, submissions are refused
  int hidden_feedback_per_day =
      0;  ///< graded submissions showing hidden results per UTC day; 0: no limit
};

/// The rules of every exercise, by exercise id.
using CourseRules = std::map<std::string, ExerciseRules>;

/// Reads the `rules` object of a course file; an absent file or key gives no rules.
/// \throws SpecError naming the file, the field and the value when a rule is malformed.
CourseRules load_course_rules(const std::filesystem::path& file);

/// Parses an ISO 8601 time with its zone, "2026-12-01T23:59:00+01:00" or "...Z" (seconds
/// optional), to Unix seconds; nothing when `text` is not one.
std::optional<std::int64_t> parse_time(const std::string& text);

/// Formats Unix seconds as ISO 8601 in UTC, "2026-12-01T22:59:00Z".
std::string format_time(std::int64_t unix_seconds);

/// How late a submission is.
struct Lateness {
  std::int64_t due = 0;  ///< the due time that applied (an extension's when granted)
  int days_late = 0;     ///< started days after due + grace; 0 when on time
  double penalty = 0.0;  ///< fraction of the maximum score taken off, 0..1
};

/// The lateness of a submission made at `submitted_at`, with `extension` replacing the due time
/// when granted; nothing when the exercise has no due time.
std::optional<Lateness> lateness(const ExerciseRules& rules, std::optional<std::int64_t> extension,
                                 std::int64_t submitted_at);

/// Whether a submission at `now` comes after the hard cut-off (never, with an extension later
/// than the cut-off).
bool past_cutoff(const ExerciseRules& rules, std::optional<std::int64_t> extension,
                 std::int64_t now);

/// The start of the next UTC day after `t`, when a withheld feedback is released.
std::int64_t next_utc_day(std::int64_t t);

}  // namespace grader
