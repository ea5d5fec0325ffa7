#pragma once
/// \file
/// The report model (DESIGN.md section 3) and the reporters that write it. One model, one
/// writer per format; every writer writes to a stream it is given.

#include <cstdint>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "grader/compare.hpp"
#include "grader/similarity.hpp"
#include "grader/status.hpp"
#include "grader/toolchain.hpp"
#include "grader/value.hpp"

namespace grader {

/// Version of the JSON report's layout (fixed field `schema_version`).
inline constexpr int kReportSchemaVersion = 1;

/// Why a task failed, in words for the student.
struct Diagnosis {
  /// "mistake" (a known mistake matched), or a pattern of the answers: "ratio", "constant",
  /// "whole_numbers", "precision", "visible_only", "shape" (results of another shape)
  std::string kind;
  std::string mistake;  ///< the mistake's name, e.g. "missing-factor-2"; empty for other kinds
  std::string hint;
};

/// One case's result. For hidden cases only id, visibility and status are ever written.
struct CaseResult {
  std::string id;
  Visibility visibility = Visibility::Visible;
  CaseStatus status = CaseStatus::NotRun;
  std::vector<std::pair<std::string, Value>> inputs;
  Value expected;
  std::optional<Value> actual;
  double abs_error = 0.0;  ///< of the worst element for vectors and matrices
  double rel_error = 0.0;  ///< NaN when the expected value is 0
  Tolerance tolerance;
  double allowed = 0.0;  ///< max(atol, rtol * |expected|)
  std::string message;   ///< why it failed, in words (exception text, signal, type)
};

/// One task's result.
struct TaskResult {
  std::string id;
  std::string title;
  std::string signature;
  double score = 0.0;
  double max_score = 0.0;
  std::vector<CaseResult> cases;
  std::optional<Diagnosis> diagnosis;
  /// Number of cases that passed.
  std::size_t passed() const;
};

/// One submission's result.
struct SubmissionResult {
  std::string id;
  std::string path;
  std::optional<Language> language;
  SubmissionStatus status = SubmissionStatus::Invalid;
  double score = 0.0;
  double max_score = 0.0;
  std::string message;         ///< invalid / internal_error / load failure: what went wrong
  std::string compile_output;  ///< compiler diagnostics, relative paths, capped
  std::vector<CompilerMessage> compile_errors;
  std::vector<TaskResult> tasks;
  std::string stdout_text;  ///< visible-case output only, capped
  std::string stderr_text;
  std::int64_t duration_ms = 0;
  std::string content_hash;
  bool cached = false;  ///< the result was reused (cache or identical submission), not regraded
};

/// Which part of a sharded batch a report holds (`grader batch --shard K/N`).
struct ShardInfo {
  int index = 0;                         ///< K, 1-based
  int count = 0;                         ///< N
  std::string exercise_hash;             ///< Grader::exercise_hash(): merging needs it equal
  std::vector<std::string> submissions;  ///< ids of the submissions of this shard, in order
};

/// A whole report.
struct Report {
  int schema_version = kReportSchemaVersion;
  std::string exercise;
  /// "full" (every case, the exercise's private part included) or "visible" (a student kit:
  /// visible cases only; hidden cases are graded on submission).
  std::string scope = "full";
  /// Grader::exercise_hash(): what graded the work (spec, reference, mistakes, harnesses,
  /// toolchains, grader build); a kit's differs from the full exercise's.
  std::string exercise_hash;
  std::string grader_version;
  std::string sandbox;             ///< how code was isolated
  bool unsafe = false;             ///< true when graded with --unsafe-no-sandbox
  std::optional<ShardInfo> shard;  ///< set in a partial report of a sharded batch
  std::vector<SubmissionResult> submissions;
  /// `batch --similarity` and `grader similarity`: the report's `similarity` section.
  std::optional<SimilarityResult> similarity;
};

/// A report format. `begin` gets the report's header (its submissions may be empty), `add` each
/// submission in order, `finish` flushes. A reporter writes only to the stream it was made with.
class Reporter {
 public:
  virtual ~Reporter() = default;
  virtual void begin(const Report& header) = 0;
  virtual void add(const SubmissionResult& submission) = 0;
  virtual void finish() = 0;
};

/// Base of the formats that need the whole report before writing anything (class summaries,
/// dashboards): `begin` and `add` collect into `report_`, `finish` calls `render` once.
class WholeReportReporter : public Reporter {
 public:
  void begin(const Report& header) override {
    report_ = header;
    report_.submissions.clear();
  }
  void add(const SubmissionResult& submission) override {
    report_.submissions.push_back(submission);
  }
  void finish() final { render(); }

 protected:
  /// Writes `report_`, which holds every submission.
  virtual void render() = 0;
  Report report_;
};

/// Feeds a whole report to `reporter`.
void write_report(Reporter& reporter, const Report& report);

/// The JSON report (DESIGN.md section 3): numbers round-trip, NaN and infinities as the strings
/// "nan", "inf", "-inf", hidden cases reduced to id, visibility and status.
std::unique_ptr<Reporter> make_json_reporter(std::ostream& out);

/// Reads a JSON report back (for merging shards and for tests).
/// \throws ReportError naming `origin` when the text is not a report of this schema.
Report parse_json_report(const std::string& text, const std::string& origin);

/// Options of the human summary.
struct TextOptions {
  bool color = false;    ///< ANSI colours
  bool details = false;  ///< per-task table and first failing visible case of each task
  std::size_t width = 100;
};

/// The human summary on a terminal: one line per submission and, with `details`, the tasks
/// and the first failing visible case of each failing task.
std::unique_ptr<Reporter> make_text_reporter(std::ostream& out, TextOptions options);

/// Formats a double for people and for round-tripping: shortest form that reads back the same,
/// with at most 17 significant digits ("0.47", "-0.14933500364354052", "nan", "inf").
std::string format_number(double value);

}  // namespace grader
