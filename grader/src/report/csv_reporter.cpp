// grades.csv: one row per submission for spreadsheets and gradebooks (RFC 4180). Ids come
// from file names students chose, so one that a spreadsheet would run as a formula is
// prefixed with ' (detail::spreadsheet_text); every other cell is from the grader's vocabulary.

#include <fmt/format.h>

#include <algorithm>

#include "grader/report_formats.hpp"
#include "grader/summary.hpp"
#include "report/escape.hpp"

namespace grader {
namespace {

constexpr const char* kLineEnd = "\r\n";  // RFC 4180 section 2.1

class CsvReporter final : public Reporter {
 public:
  explicit CsvReporter(std::ostream& out) : out_(out) {}

  void begin(const Report&) override { submissions_.clear(); }

  // Rows wait for finish(): the task columns are known only once every submission is in.
  void add(const SubmissionResult& submission) override { submissions_.push_back(submission); }

  void finish() override {
    std::vector<std::string> tasks;
    for (const SubmissionResult& s : submissions_) {
      for (const TaskResult& t : s.tasks) {
        if (std::find(tasks.begin(), tasks.end(), t.id) == tasks.end()) tasks.push_back(t.id);
      }
    }
    std::vector<std::string> header = {"id", "status", "score", "max_score"};
    header.insert(header.end(), tasks.begin(), tasks.end());
    header.emplace_back("language");
    header.emplace_back("diagnoses");
    row(header);
    for (const SubmissionResult& s : submissions_) {
      std::vector<std::string> cells = {detail::spreadsheet_text(s.id),
                                        std::string(to_string(s.status)), format_number(s.score),
                                        format_number(s.max_score)};
      for (const std::string& id : tasks) {
        auto t = std::find_if(s.tasks.begin(), s.tasks.end(),
                              [&](const TaskResult& tr) { return tr.id == id; });
        cells.push_back(format_number(t == s.tasks.end() ? 0.0 : t->score));
      }
      cells.emplace_back(s.language ? std::string(to_string(*s.language)) : std::string());
      cells.push_back(fmt::format("{}", fmt::join(diagnosis_names(s), ";")));
      row(cells);
    }
    out_.flush();
  }

 private:
  void row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out_ << ',';
      out_ << detail::csv_field(cells[i]);
    }
    out_ << kLineEnd;
  }

  std::ostream& out_;
  std::vector<SubmissionResult> submissions_;
};

}  // namespace

std::unique_ptr<Reporter> make_csv_reporter(std::ostream& out) {
  return std::make_unique<CsvReporter>(out);
}

}  // namespace grader
