// The human summary: what a student reads after `grader grade`, and a line per submission.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "feedback.hpp"
#include "grader/report.hpp"

namespace grader {
namespace {

// Last lines of a student's stderr shown under a crash.
constexpr std::size_t kStderrTailLines = 8;

class Style {
 public:
  explicit Style(bool color) : color_(color) {}
  std::string good(const std::string& s) const { return wrap("32", s); }
  std::string bad(const std::string& s) const { return wrap("31", s); }
  std::string warn(const std::string& s) const { return wrap("33", s); }
  std::string bold(const std::string& s) const { return wrap("1", s); }
  std::string dim(const std::string& s) const { return wrap("2", s); }

 private:
  std::string wrap(const char* code, const std::string& s) const {
    return color_ ? fmt::format("\x1b[{}m{}\x1b[0m", code, s) : s;
  }
  bool color_;
};

std::string score_text(double score, double max) {
  return fmt::format("{:.2f} / {:.2f}", score, max);
}

std::string seventeen(const Value& value) {
  if (!value.is_scalar() || value.type != ValueType::Number) {
    return format_value(value, detail::kShownElements);
  }
  if (!std::isfinite(value.number())) return format_number(value.number());
  return fmt::format("{:.17g}", value.number());
}

// Cuts a line to `width` columns (bytes; the report's text is ASCII apart from student output).
std::string fit(const std::string& line, std::size_t width) {
  if (line.size() <= width) return line;
  return line.substr(0, width - 3) + "...";
}

// 1e-09 as people write it: 1e-9.
std::string short_exponent(double value) {
  std::string text = format_number(value);
  const auto e = text.find("e-0");
  if (e != std::string::npos) text.erase(e + 2, 1);
  return text;
}

// Breaks `text` into lines of at most `width` columns at spaces (a longer word is cut).
std::vector<std::string> wrap_words(const std::string& text, std::size_t width) {
  std::vector<std::string> lines;
  std::string line;
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find(' ', at);
    if (end == std::string::npos) end = text.size();
    std::string word = text.substr(at, end - at);
    at = end + 1;
    while (word.size() > width) {
      if (!line.empty()) lines.push_back(std::move(line));
      line.clear();
      lines.push_back(word.substr(0, width));
      word = word.substr(width);
    }
    if (!line.empty() && line.size() + 1 + word.size() > width) {
      lines.push_back(std::move(line));
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) lines.push_back(line);
  return lines;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

class TextReporter final : public Reporter {
 public:
  TextReporter(std::ostream& out, TextOptions options)
      : out_(out), options_(options), style_(options.color) {}

  void begin(const Report& header) override {
    if (header.unsafe) {
      out_ << style_.warn("warning: graded WITHOUT a sandbox (--unsafe-no-sandbox)") << "\n";
    }
    if (header.scope == "visible") {
      out_ << style_.warn(
                  "visible cases only (student kit): the hidden cases are graded when "
                  "you hand in your work, so this is not your final score")
           << "\n";
    }
  }

  void add(const SubmissionResult& s) override {
    ++count_;
    if (options_.details) {
      details(s);
    } else {
      line(s);
    }
  }

  void finish() override { out_.flush(); }

 private:
  std::string status_word(const SubmissionResult& s) const {
    const std::string word(to_string(s.status));
    if (s.status != SubmissionStatus::Graded) return style_.bad(word);
    return s.score >= s.max_score ? style_.good(word) : word;
  }

  void line(const SubmissionResult& s) {
    std::string marks;
    for (const TaskResult& t : s.tasks) {
      marks += fmt::format(" {:>5}", fmt::format("{}/{}", t.passed(), t.cases.size()));
    }
    if (s.status != SubmissionStatus::Graded) {
      const std::vector<std::string> lines = split_lines(s.message);
      marks = "  " + (lines.empty() ? std::string() : lines.front());
    }
    const std::string text = fmt::format(
        "{:<32} {:<6} {:<13} {:>13} {}", s.id, s.language ? to_string(*s.language) : "-",
        std::string(to_string(s.status)), score_text(s.score, s.max_score), marks);
    out_ << fit(text, options_.width) << "\n";
  }

  void details(const SubmissionResult& s) {
    if (count_ > 1) out_ << "\n";
    out_ << style_.bold(fmt::format("{} ({})", s.id,
                                    s.language ? to_string(*s.language) : "unknown language"))
         << "  " << status_word(s) << "  " << style_.bold(score_text(s.score, s.max_score)) << "\n";
    if (s.status == SubmissionStatus::CompileError) {
      compile_error(s);
      return;
    }
    if (s.status != SubmissionStatus::Graded) {
      out_ << "  " << s.message << "\n";
      return;
    }
    out_ << "\n  " << style_.dim(fmt::format("{:<16} {:>15}  {:>7}", "task", "score", "cases"))
         << "\n";
    for (const TaskResult& t : s.tasks) {
      const bool ok = t.passed() == t.cases.size();
      const std::string mark = ok ? style_.good("ok") : style_.bad("FAIL");
      out_ << fmt::format("  {:<16} {:>15}  {:>7}  ", t.id, score_text(t.score, t.max_score),
                          fmt::format("{}/{}", t.passed(), t.cases.size()))
           << mark << "\n";
    }
    if (!s.message.empty()) {
      out_ << "\n" << style_.bad("  the submission could not be loaded:") << "\n";
      for (const auto& l : split_lines(s.message))
        out_ << "    " << fit(l, options_.width - 4) << "\n";
    }
    for (const TaskResult& t : s.tasks) {
      if (t.passed() < t.cases.size()) failing_task(s, t);
    }
  }

  void compile_error(const SubmissionResult& s) {
    const std::vector<std::string> lines = split_lines(s.compile_output);
    if (s.compile_errors.empty()) {
      out_ << "  the build failed:\n";
      for (std::size_t i = 0; i < lines.size() && i < 12; ++i) {
        out_ << "    " << fit(lines[i], options_.width - 4) << "\n";
      }
      return;
    }
    const CompilerMessage& first = s.compile_errors.front();
    out_ << "\n  " << style_.bad("error")
         << fmt::format(" in {} line {}: {}", first.file, first.line, first.message) << "\n";
    // The compiler's own context for the first error: its line, the source line and the caret.
    const std::string head = fmt::format("{}:{}:{}:", first.file, first.line, first.column);
    auto it = std::find_if(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.rfind(head, 0) == 0; });
    if (it != lines.end()) {
      for (auto next = it + 1; next != lines.end() && next - it <= 4; ++next) {
        if (next->find(": error:") != std::string::npos ||
            next->find(": note:") != std::string::npos ||
            next->find(": warning:") != std::string::npos ||
            next->find(": In ") != std::string::npos) {
          break;
        }
        out_ << "    " << fit(*next, options_.width - 4) << "\n";
      }
    }
    if (s.compile_errors.size() > 1) {
      out_ << fmt::format("  ... and {} more error{}\n", s.compile_errors.size() - 1,
                          s.compile_errors.size() > 2 ? "s" : "");
    }
  }

  // The hint, wrapped under its label so that every line fits the width.
  void hint(const std::string& text) {
    const std::string indent(19, ' ');
    const auto lines = wrap_words(text, options_.width - indent.size());
    for (std::size_t i = 0; i < lines.size(); ++i) {
      out_ << (i == 0 ? "  hint:            " : indent) << style_.warn(lines[i]) << "\n";
    }
  }

  void failing_task(const SubmissionResult& s, const TaskResult& t) {
    auto visible = std::find_if(t.cases.begin(), t.cases.end(), [](const CaseResult& c) {
      return c.visibility == Visibility::Visible && c.status != CaseStatus::Passed;
    });
    std::size_t hidden_failed = 0;
    for (const CaseResult& c : t.cases) {
      hidden_failed += c.visibility == Visibility::Hidden && c.status != CaseStatus::Passed ? 1 : 0;
    }
    out_ << "\n";
    if (visible == t.cases.end()) {
      out_ << style_.bad("x ") << style_.bold(t.id)
           << fmt::format(
                  " - {} hidden case{} failed (hidden "
                  "cases show only their status)\n",
                  hidden_failed, hidden_failed == 1 ? "" : "s");
      if (t.diagnosis) hint(t.diagnosis->hint);
      return;
    }
    const CaseResult& c = *visible;
    out_ << style_.bad("x ") << style_.bold(t.id) << " - case " << c.id << ": "
         << std::string(to_string(c.status)) << "\n";
    const std::string call = detail::case_call(t, c);
    out_ << "  call:            " << fit(call, options_.width - 19) << "\n";
    out_ << "  expected:        " << seventeen(c.expected) << "\n";
    if (c.actual) {
      out_ << "  your result:     " << seventeen(*c.actual) << "\n";
      if (all_finite(*c.actual) && c.status != CaseStatus::WrongShape) {
        out_ << fmt::format("  absolute error:  {:.2e}\n", c.abs_error);
        if (std::isnan(c.rel_error)) {
          out_ << "  relative error:  n/a (expected value is 0)\n";
        } else {
          out_ << fmt::format("  relative error:  {:.2e} ({:.3g}%)\n", c.rel_error,
                              c.rel_error * 100);
        }
      }
      if (c.status != CaseStatus::WrongShape) {
        out_ << fmt::format("  allowed:         |error| <= max({}, {} x |expected|) = {:.2e}\n",
                            short_exponent(c.tolerance.atol), short_exponent(c.tolerance.rtol),
                            c.allowed);
      }
    }
    if (!c.message.empty()) {
      std::vector<std::string> lines;
      for (const auto& l : split_lines(c.message)) {
        for (auto& w : wrap_words(l, options_.width - 19)) lines.push_back(std::move(w));
      }
      for (std::size_t i = 0; i < lines.size() && i < 12; ++i) {
        out_ << (i == 0 ? "  what happened:   " : "                   ") << lines[i] << "\n";
      }
    }
    if (c.status == CaseStatus::RuntimeError && !s.stderr_text.empty()) {
      const std::vector<std::string> lines = split_lines(s.stderr_text);
      const std::size_t from =
          lines.size() > kStderrTailLines ? lines.size() - kStderrTailLines : 0;
      out_ << "  your stderr (last lines):\n";
      for (std::size_t i = from; i < lines.size(); ++i) {
        out_ << "    " << fit(lines[i], options_.width - 4) << "\n";
      }
    }
    if (t.diagnosis) hint(t.diagnosis->hint);
    if (hidden_failed > 0) {
      out_ << style_.dim(fmt::format("  ({} hidden case{} of this task failed too)", hidden_failed,
                                     hidden_failed == 1 ? "" : "s"))
           << "\n";
    }
  }

  std::ostream& out_;
  TextOptions options_;
  Style style_;
  std::size_t count_ = 0;
};

}  // namespace

std::unique_ptr<Reporter> make_text_reporter(std::ostream& out, TextOptions options) {
  return std::make_unique<TextReporter>(out, options);
}

}  // namespace grader
