// The JSON report: DESIGN.md section 3, and its reader.

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "../value_json.hpp"
#include "grader/error.hpp"
#include "grader/report.hpp"
#include "grader/similarity_formats.hpp"

namespace grader {
namespace {

using nlohmann::json;
using ordered = nlohmann::ordered_json;

// JSON cannot hold NaN or infinities; the report spells them as strings.
ordered number(double value) { return detail::number_json<ordered>(value); }

ordered case_json(const CaseResult& c) {
  ordered j;
  j["id"] = c.id;
  j["visibility"] = to_string(c.visibility);
  j["status"] = to_string(c.status);
  if (c.visibility == Visibility::Hidden) return j;  // status only, never values or output
  ordered inputs = ordered::object();
  for (const auto& [name, value] : c.inputs) inputs[name] = detail::value_json<ordered>(value);
  j["inputs"] = inputs;
  j["expected"] = detail::value_json<ordered>(c.expected);
  j["actual"] = c.actual ? detail::value_json<ordered>(*c.actual) : ordered(nullptr);
  if (c.actual) {
    j["abs_error"] = number(c.abs_error);
    j["rel_error"] = std::isnan(c.rel_error) ? ordered(nullptr) : number(c.rel_error);
  } else {
    j["abs_error"] = nullptr;
    j["rel_error"] = nullptr;
  }
  j["tolerance"] = {
      {"rtol", c.tolerance.rtol}, {"atol", c.tolerance.atol}, {"allowed", number(c.allowed)}};
  if (!c.message.empty()) j["message"] = c.message;
  return j;
}

ordered submission_json(const SubmissionResult& s) {
  ordered j;
  j["id"] = s.id;
  j["path"] = s.path;
  j["language"] = s.language ? ordered(to_string(*s.language)) : ordered(nullptr);
  j["status"] = to_string(s.status);
  j["score"] = number(s.score);
  j["max_score"] = number(s.max_score);
  if (!s.message.empty()) j["message"] = s.message;
  if (!s.compile_output.empty()) j["compile_output"] = s.compile_output;
  if (!s.compile_errors.empty()) {
    ordered errors = ordered::array();
    for (const auto& e : s.compile_errors) {
      errors.push_back(
          {{"file", e.file}, {"line", e.line}, {"column", e.column}, {"message", e.message}});
    }
    j["compile_errors"] = errors;
  }
  ordered tasks = ordered::array();
  for (const TaskResult& t : s.tasks) {
    ordered tj;
    tj["id"] = t.id;
    tj["title"] = t.title;
    tj["score"] = number(t.score);
    tj["max_score"] = number(t.max_score);
    tj["passed"] = t.passed();
    tj["total"] = t.cases.size();
    if (t.diagnosis) {
      ordered d = {{"kind", t.diagnosis->kind}, {"hint", t.diagnosis->hint}};
      d["mistake"] =
          t.diagnosis->mistake.empty() ? ordered(nullptr) : ordered(t.diagnosis->mistake);
      tj["diagnosis"] = d;
    }
    ordered cases = ordered::array();
    for (const CaseResult& c : t.cases) cases.push_back(case_json(c));
    tj["cases"] = cases;
    tasks.push_back(tj);
  }
  j["tasks"] = tasks;
  if (!s.stdout_text.empty()) j["stdout"] = s.stdout_text;
  if (!s.stderr_text.empty()) j["stderr"] = s.stderr_text;
  j["duration_ms"] = s.duration_ms;
  if (!s.content_hash.empty()) j["content_hash"] = s.content_hash;
  if (s.cached) j["cached"] = true;
  return j;
}

class JsonReporter final : public Reporter {
 public:
  explicit JsonReporter(std::ostream& out) : out_(out) {}

  void begin(const Report& header) override {
    root_ = ordered::object();
    root_["schema_version"] = header.schema_version;
    root_["exercise"] = header.exercise;
    root_["scope"] = header.scope;
    if (!header.exercise_hash.empty()) root_["exercise_hash"] = header.exercise_hash;
    root_["grader_version"] = header.grader_version;
    root_["sandbox"] = header.sandbox;
    root_["unsafe"] = header.unsafe;
    if (header.shard) {
      root_["shard"] = {{"index", header.shard->index},
                        {"count", header.shard->count},
                        {"exercise_hash", header.shard->exercise_hash},
                        {"submissions", header.shard->submissions}};
    }
    root_["submissions"] = ordered::array();
    if (header.similarity) root_["similarity"] = similarity_json(*header.similarity);
  }

  void add(const SubmissionResult& submission) override {
    root_["submissions"].push_back(submission_json(submission));
  }

  void finish() override {
    // Invalid UTF-8 from a student's output must not abort the report: replace it.
    out_ << root_.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
    out_.flush();
  }

 private:
  std::ostream& out_;
  ordered root_;
};

// ---- reading ----

double read_number(const ordered& value, const std::string& where, const std::string& origin) {
  if (value.is_number()) return value.get<double>();
  if (value.is_string()) {
    const std::string text = value.get<std::string>();
    if (text == "nan") return std::numeric_limits<double>::quiet_NaN();
    if (text == "inf") return std::numeric_limits<double>::infinity();
    if (text == "-inf") return -std::numeric_limits<double>::infinity();
  }
  throw ReportError(fmt::format("{}: {}: expected a number, got {}", origin, where, value.dump()));
}

Value read_value(const ordered& value, const std::string& where, const std::string& origin) {
  if (auto v = detail::value_from_json(value)) return *v;
  throw ReportError(fmt::format("{}: {}: expected a number, vector or matrix, got {}", origin,
                                where, value.dump()));
}

template <typename T>
T read_enum(const ordered& value, std::optional<T> (*parse)(std::string_view),
            const std::string& where, const std::string& origin) {
  if (value.is_string()) {
    if (auto parsed = parse(value.get<std::string>())) return *parsed;
  }
  throw ReportError(fmt::format("{}: {}: unexpected value {}", origin, where, value.dump()));
}

}  // namespace

std::unique_ptr<Reporter> make_json_reporter(std::ostream& out) {
  return std::make_unique<JsonReporter>(out);
}

Report parse_json_report(const std::string& text, const std::string& origin) {
  using json = nlohmann::ordered_json;  // keeps the inputs in their written order
  json root;
  try {
    root = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ReportError(fmt::format("{}: not a JSON report: {}", origin, e.what()));
  }
  try {
    Report report;
    if (!root.is_object() || root.value("schema_version", 0) != kReportSchemaVersion) {
      throw ReportError(
          fmt::format("{}: /schema_version: expected {}", origin, kReportSchemaVersion));
    }
    report.exercise = root.at("exercise").get<std::string>();
    report.scope = root.value("scope", "full");
    report.exercise_hash = root.value("exercise_hash", "");
    report.grader_version = root.value("grader_version", "");
    report.sandbox = root.value("sandbox", "");
    report.unsafe = root.value("unsafe", false);
    if (root.contains("shard")) {
      const json& shard = root["shard"];
      ShardInfo info;
      info.index = shard.at("index").get<int>();
      info.count = shard.at("count").get<int>();
      info.exercise_hash = shard.value("exercise_hash", "");
      info.submissions = shard.at("submissions").get<std::vector<std::string>>();
      report.shard = std::move(info);
    }
    const json& submissions = root.at("submissions");
    for (std::size_t si = 0; si < submissions.size(); ++si) {
      const json& sj = submissions[si];
      const std::string where = fmt::format("/submissions/{}", si);
      SubmissionResult s;
      s.id = sj.at("id").get<std::string>();
      s.path = sj.at("path").get<std::string>();
      if (!sj.at("language").is_null()) {
        s.language =
            read_enum<Language>(sj["language"], parse_language, where + "/language", origin);
      }
      s.status = read_enum<SubmissionStatus>(sj.at("status"), parse_submission_status,
                                             where + "/status", origin);
      s.score = read_number(sj.at("score"), where + "/score", origin);
      s.max_score = read_number(sj.at("max_score"), where + "/max_score", origin);
      s.message = sj.value("message", "");
      s.compile_output = sj.value("compile_output", "");
      for (const json& e : sj.value("compile_errors", json::array())) {
        s.compile_errors.push_back({e.at("file").get<std::string>(), e.at("line").get<int>(),
                                    e.at("column").get<int>(), e.at("message").get<std::string>()});
      }
      s.stdout_text = sj.value("stdout", "");
      s.stderr_text = sj.value("stderr", "");
      s.duration_ms = sj.value("duration_ms", std::int64_t{0});
      s.content_hash = sj.value("content_hash", "");
      s.cached = sj.value("cached", false);
      const json& tasks = sj.at("tasks");
      for (std::size_t ti = 0; ti < tasks.size(); ++ti) {
        const json& tj = tasks[ti];
        const std::string t_where = fmt::format("{}/tasks/{}", where, ti);
        TaskResult t;
        t.id = tj.at("id").get<std::string>();
        t.title = tj.value("title", t.id);
        t.score = read_number(tj.at("score"), t_where + "/score", origin);
        t.max_score = read_number(tj.at("max_score"), t_where + "/max_score", origin);
        if (tj.contains("diagnosis")) {
          const json& d = tj["diagnosis"];
          t.diagnosis = Diagnosis{d.value("kind", ""),
                                  d.at("mistake").is_null() ? "" : d["mistake"].get<std::string>(),
                                  d.value("hint", "")};
        }
        const json& cases = tj.at("cases");
        for (std::size_t ci = 0; ci < cases.size(); ++ci) {
          const json& cj = cases[ci];
          const std::string c_where = fmt::format("{}/cases/{}", t_where, ci);
          CaseResult c;
          c.id = cj.at("id").get<std::string>();
          c.visibility = read_enum<Visibility>(cj.at("visibility"), parse_visibility,
                                               c_where + "/visibility", origin);
          c.status = read_enum<CaseStatus>(cj.at("status"), parse_case_status, c_where + "/status",
                                           origin);
          if (c.visibility == Visibility::Visible) {
            for (const auto& [name, value] : cj.at("inputs").items()) {
              c.inputs.emplace_back(name, read_value(value, c_where + "/inputs/" + name, origin));
            }
            c.expected = read_value(cj.at("expected"), c_where + "/expected", origin);
            if (!cj.at("actual").is_null()) {
              c.actual = read_value(cj["actual"], c_where + "/actual", origin);
              c.abs_error = read_number(cj.at("abs_error"), c_where + "/abs_error", origin);
              c.rel_error = cj.at("rel_error").is_null()
                                ? std::numeric_limits<double>::quiet_NaN()
                                : read_number(cj["rel_error"], c_where + "/rel_error", origin);
            }
            const json& tol = cj.at("tolerance");
            c.tolerance.rtol = read_number(tol.at("rtol"), c_where + "/tolerance/rtol", origin);
            c.tolerance.atol = read_number(tol.at("atol"), c_where + "/tolerance/atol", origin);
            c.allowed = read_number(tol.at("allowed"), c_where + "/tolerance/allowed", origin);
            c.message = cj.value("message", "");
          }
          t.cases.push_back(std::move(c));
        }
        s.tasks.push_back(std::move(t));
      }
      report.submissions.push_back(std::move(s));
    }
    return report;
  } catch (const json::exception& e) {
    throw ReportError(fmt::format("{}: not a grader report: {}", origin, e.what()));
  }
}

}  // namespace grader
