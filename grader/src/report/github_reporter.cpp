// `--format github`: workflow commands that GitHub turns into annotations on the pull request,
// and a Markdown job summary. Everything a student controls (ids, compiler messages, exception
// text) is escaped for the command syntax or for Markdown before it is written.

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <random>
#include <regex>
#include <set>

#include "grader/changes.hpp"
#include "grader/error.hpp"
#include "grader/github.hpp"
#include "grader/submission.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// Longest compiler output quoted in the summary, in lines.
constexpr std::size_t kSummaryCompileLines = 20;

std::string escape(std::string_view text, bool property) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      case ':':
        out += property ? "%3A" : ":";
        break;
      case ',':
        out += property ? "%2C" : ",";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string score_text(double score, double max) {
  return fmt::format("{:.2f} / {:.2f}", score, max);
}

std::string language_name(const SubmissionResult& s) {
  return s.language ? std::string(to_string(*s.language)) : "unknown";
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

// The path GitHub needs for a file of a submission: relative to the repository's root. Empty
// when the file is not the submission's own (the exercise's header, the harness).
std::string repo_path(const std::string& submission_path, const std::string& file,
                      const fs::path& root) {
  const fs::path f(file);
  if (file.empty() || f.is_absolute() || (!f.empty() && *f.begin() == "..")) return "";
  const fs::path given(submission_path);
  // A single-file submission's messages name the file itself.
  const fs::path target =
      given.filename() == f.filename() && given.has_extension() ? given : given / f;
  const std::string fallback = target.lexically_normal().generic_string();
  if (root.empty()) return fallback;
  std::error_code ec;
  const fs::path absolute = fs::absolute(target, ec);
  if (ec) return fallback;
  // Canonical folders on both sides (a /tmp symlink, say), the file's own name kept as is.
  const fs::path folder = fs::weakly_canonical(absolute.parent_path(), ec);
  if (ec) return fallback;
  const fs::path top = fs::weakly_canonical(root, ec);
  if (ec) return fallback;
  const fs::path relative = (folder / absolute.filename()).lexically_relative(top);
  if (relative.empty() || *relative.begin() == "..") return fallback;
  return relative.generic_string();
}

// Where the student defines `function`: the first line that looks like its definition
// (`def f(` in Python; in C++ a line naming `f(` that does not end in ';', so not a call or a
// declaration), as a repository path and a line number; an empty path when none is found. Lets
// a task's warning sit on the function in the pull request's diff.
std::pair<std::string, int> definition_of(const SubmissionResult& s, const std::string& function,
                                          const fs::path& root) {
  const bool identifier =
      !function.empty() && std::all_of(function.begin(), function.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
      });
  if (!s.language || !identifier) return {"", 0};
  std::error_code ec;
  if (!fs::exists(fs::path(s.path), ec)) return {"", 0};
  const Submission submission = discover_submission(s.path);
  const std::regex pattern(*s.language == Language::Python
                               ? "^\\s*def\\s+" + function + "\\s*\\("
                               : "^[^;{}()=]*\\b" + function + "\\s*\\([^;]*$");
  for (const fs::path& file : submission.sources) {
    std::ifstream in(submission.root / file);
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
      const std::size_t start = line.find_first_not_of(" \t");
      const bool comment = start != std::string::npos &&
                           (line.compare(start, 2, "//") == 0 || line.compare(start, 1, "*") == 0 ||
                            line.compare(start, 2, "/*") == 0 || line.compare(start, 1, "#") == 0);
      if (!comment && std::regex_search(line, pattern)) {
        return {repo_path(s.path, file.generic_string(), root), number};
      }
    }
  }
  return {"", 0};
}

// The first visible case of `task` that did not pass, if any, and how many hidden cases failed.
const CaseResult* first_visible_failure(const TaskResult& task) {
  for (const CaseResult& c : task.cases) {
    if (c.visibility == Visibility::Visible && c.status != CaseStatus::Passed) return &c;
  }
  return nullptr;
}

std::size_t hidden_failures(const TaskResult& task) {
  std::size_t n = 0;
  for (const CaseResult& c : task.cases) {
    n += c.visibility == Visibility::Hidden && c.status != CaseStatus::Passed ? 1 : 0;
  }
  return n;
}

std::string call_text(const TaskResult& task, const CaseResult& c) {
  std::string call = task.id + "(";
  for (std::size_t i = 0; i < c.inputs.size(); ++i) {
    call += fmt::format("{}{}={}", i ? ", " : "", c.inputs[i].first,
                        format_value(c.inputs[i].second, 12));
  }
  return call + ")";
}

// One sentence about a failing visible case: the call, the expected and the actual value.
std::string case_sentence(const TaskResult& task, const CaseResult& c) {
  std::string text = fmt::format("case {}: {}, {} expected {}", c.id, to_string(c.status),
                                 call_text(task, c), format_value(c.expected, 12));
  if (c.actual) text += fmt::format(", got {}", format_value(*c.actual, 12));
  if (!c.message.empty()) text += fmt::format(" ({})", split_lines(c.message).front());
  return text;
}

// Markdown: plain text with the characters that format escaped, on one line (safe in tables).
std::string md(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (std::string_view("\\`*_[]<>|#~!").find(c) != std::string_view::npos) {
      out += '\\';
      out += c;
    } else {
      out += c;
    }
  }
  return out;
}

// Markdown: a code span on one line, its fence longer than any run of backticks inside.
std::string md_code(std::string_view text) {
  std::string body;
  std::size_t run = 0;
  std::size_t longest = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
    if (c == '\n' || c == '\r') {
      body += ' ';
    } else if (c == '|') {
      body += "\\|";  // a pipe would end the table cell, even inside a code span
    } else {
      body += c;
    }
  }
  const std::string fence(longest + 1, '`');
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

// Markdown: a fenced block whose fence is longer than any run of backticks inside.
std::string md_block(const std::string& text) {
  std::size_t run = 0;
  std::size_t longest = 0;
  for (const char c : text) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(std::max<std::size_t>(3, longest + 1), '`');
  return fmt::format("{}text\n{}\n{}\n", fence, text, fence);
}

std::string status_mark(const SubmissionResult& s) {
  if (s.status != SubmissionStatus::Graded) return "❌";
  return s.score >= s.max_score ? "✅" : "⚠️";
}

void summary_details(std::string& out, const SubmissionResult& s, const fs::path& root) {
  out += fmt::format("\n#### {} ({}): {}, {}\n\n", md_code(s.id), language_name(s),
                     to_string(s.status), score_text(s.score, s.max_score));
  if (s.status == SubmissionStatus::CompileError) {
    if (!s.compile_errors.empty()) {
      const CompilerMessage& e = s.compile_errors.front();
      const std::string path = repo_path(s.path, e.file, root);
      out += fmt::format("First error: {} line {}: {}\n\n", md_code(path.empty() ? e.file : path),
                         e.line, md(e.message));
    }
    std::vector<std::string> lines = split_lines(s.compile_output);
    if (lines.size() > kSummaryCompileLines) {
      const std::size_t more = lines.size() - kSummaryCompileLines;
      lines.resize(kSummaryCompileLines);
      lines.push_back(fmt::format("... ({} more lines)", more));
    }
    std::string text;
    for (const std::string& l : lines) text += (text.empty() ? "" : "\n") + l;
    if (!text.empty()) out += md_block(text);
    return;
  }
  if (s.status != SubmissionStatus::Graded) {
    out += md(s.message) + "\n";
    return;
  }
  for (const TaskResult& t : s.tasks) {
    if (t.passed() == t.cases.size()) continue;
    out += fmt::format("- {}: {}, {} of {} cases passed\n", md_code(t.id),
                       score_text(t.score, t.max_score), t.passed(), t.cases.size());
    if (const CaseResult* c = first_visible_failure(t)) {
      out += fmt::format("  - first failing visible case {}: {}\n", md_code(c->id),
                         to_string(c->status));
      out += fmt::format("    - call: {}\n", md_code(call_text(t, *c)));
      out += fmt::format("    - expected: {}\n", md_code(format_value(c->expected, 12)));
      if (c->actual) out += fmt::format("    - got: {}\n", md_code(format_value(*c->actual, 12)));
      if (!c->message.empty()) out += fmt::format("    - what happened: {}\n", md_code(c->message));
    }
    if (const std::size_t hidden = hidden_failures(t); hidden > 0) {
      out += fmt::format("  - {} hidden case{} failed (hidden cases show only their status)\n",
                         hidden, hidden == 1 ? "" : "s");
    }
    if (t.diagnosis) out += fmt::format("  - hint: {}\n", md(t.diagnosis->hint));
  }
}

class GithubReporter final : public Reporter {
 public:
  GithubReporter(std::ostream& out, GithubOptions options)
      : out_(out), options_(std::move(options)) {}

  void begin(const Report& header) override {
    report_ = header;
    report_.submissions.clear();
  }

  void add(const SubmissionResult& submission) override {
    for (const std::string& line : github_annotations(submission, options_.repo_root)) {
      out_ << line << "\n";
    }
    report_.submissions.push_back(submission);
  }

  void finish() override {
    out_.flush();
    if (options_.summary_file.empty()) return;
    std::ofstream file(options_.summary_file, std::ios::app | std::ios::binary);
    file << github_summary(report_, options_.repo_root);
    file.close();
    if (!file) {
      throw ReportError(fmt::format("cannot append the job summary to {} (GITHUB_STEP_SUMMARY)",
                                    options_.summary_file.string()));
    }
  }

 private:
  std::ostream& out_;
  GithubOptions options_;
  Report report_;
};

}  // namespace

bool has_github_format(const std::vector<std::string>& formats) {
  return std::find(formats.begin(), formats.end(), kGithubFormat) != formats.end();
}

std::vector<std::string> file_formats(const std::vector<std::string>& formats) {
  std::vector<std::string> result;
  for (const std::string& f : formats) {
    if (f != kGithubFormat) result.push_back(f);
  }
  return result;
}

std::string github_escape_data(std::string_view text) { return escape(text, false); }

std::string github_escape_property(std::string_view text) { return escape(text, true); }

std::string workflow_command(std::string_view command,
                             const std::vector<std::pair<std::string, std::string>>& properties,
                             std::string_view message) {
  std::string line = "::" + std::string(command);
  bool first = true;
  for (const auto& [key, value] : properties) {
    if (value.empty()) continue;
    line += (first ? " " : ",") + key + "=" + github_escape_property(value);
    first = false;
  }
  return line + "::" + github_escape_data(message);
}

std::vector<std::string> github_annotations(const SubmissionResult& s, const fs::path& root) {
  std::vector<std::string> lines;
  // A single-file submission can carry a file= on annotations that have no line of their own.
  const std::string own_file = fs::path(s.path).has_extension()
                                   ? repo_path(s.path, fs::path(s.path).filename().string(), root)
                                   : "";
  switch (s.status) {
    case SubmissionStatus::CompileError: {
      const std::string kind = s.language == Language::Python ? "syntax error" : "compile error";
      for (const CompilerMessage& e : s.compile_errors) {
        const std::string path = repo_path(s.path, e.file, root);
        lines.push_back(workflow_command(
            "error",
            {{"file", path},
             {"line", e.line > 0 && !path.empty() ? std::to_string(e.line) : ""},
             {"col", e.column > 0 && !path.empty() ? std::to_string(e.column) : ""},
             {"title", fmt::format("{}: {}", s.id, kind)}},
            path.empty() ? fmt::format("{}:{}:{}: {}", e.file, e.line, e.column, e.message)
                         : e.message));
      }
      if (s.compile_errors.empty()) {
        const std::vector<std::string> out = split_lines(s.compile_output);
        std::string head;
        for (std::size_t i = 0; i < out.size() && i < kSummaryCompileLines; ++i) {
          head += (i ? "\n" : "") + out[i];
        }
        lines.push_back(workflow_command(
            "error", {{"file", own_file}, {"title", fmt::format("{}: the build failed", s.id)}},
            head.empty() ? "the build failed without a message" : head));
      }
      break;
    }
    case SubmissionStatus::Invalid:
    case SubmissionStatus::InternalError:
      lines.push_back(workflow_command(
          "error",
          {{"file", own_file}, {"title", fmt::format("{}: {}", s.id, to_string(s.status))}},
          s.message));
      break;
    case SubmissionStatus::Graded: {
      for (const TaskResult& t : s.tasks) {
        if (t.passed() == t.cases.size()) continue;
        std::string message = fmt::format("{}: {} of {} cases passed, score {}.", t.id, t.passed(),
                                          t.cases.size(), score_text(t.score, t.max_score));
        if (const CaseResult* c = first_visible_failure(t)) {
          message += " First failing visible " + case_sentence(t, *c) + ".";
        }
        if (const std::size_t hidden = hidden_failures(t); hidden > 0) {
          message += fmt::format(" {} hidden case{} failed.", hidden, hidden == 1 ? "" : "s");
        }
        if (t.diagnosis) message += "\nHint: " + t.diagnosis->hint;
        auto [file, line] = definition_of(s, t.id, root);
        if (file.empty()) file = own_file;
        lines.push_back(workflow_command("warning",
                                         {{"file", file},
                                          {"line", line > 0 ? std::to_string(line) : ""},
                                          {"title", fmt::format("{}: task {} failed", s.id, t.id)}},
                                         message));
      }
      if (s.max_score > 0 && s.score >= s.max_score) {
        lines.push_back(workflow_command(
            "notice", {{"file", own_file}, {"title", fmt::format("{}: full marks", s.id)}},
            fmt::format("every task passed, score {}", score_text(s.score, s.max_score))));
      }
      break;
    }
  }
  return lines;
}

std::string github_summary(const Report& report, const fs::path& root) {
  // The task columns: every task id, in the order the submissions list them.
  std::vector<std::string> tasks;
  for (const SubmissionResult& s : report.submissions) {
    for (const TaskResult& t : s.tasks) {
      if (std::find(tasks.begin(), tasks.end(), t.id) == tasks.end()) tasks.push_back(t.id);
    }
  }
  std::string out = fmt::format("### Grading results: {}\n\n", md(report.exercise));
  if (report.unsafe) out += "**Warning:** graded WITHOUT a sandbox (--unsafe-no-sandbox).\n\n";
  if (report.submissions.empty()) return out + "No submission was graded.\n";
  out += "| Submission | Language | Status | Score |";
  for (const std::string& t : tasks) out += fmt::format(" {} |", md_code(t));
  out += "\n| --- | --- | --- | ---: |";
  for (std::size_t i = 0; i < tasks.size(); ++i) out += " ---: |";
  out += "\n";
  for (const SubmissionResult& s : report.submissions) {
    out += fmt::format("| {} | {} | {} {} | {} |", md_code(s.id), language_name(s), status_mark(s),
                       to_string(s.status), score_text(s.score, s.max_score));
    for (const std::string& id : tasks) {
      auto t = std::find_if(s.tasks.begin(), s.tasks.end(),
                            [&](const TaskResult& task) { return task.id == id; });
      if (t == s.tasks.end()) {
        out += " - |";
        continue;
      }
      out += fmt::format(" {} {} ({}/{}) |", t->passed() == t->cases.size() ? "✅" : "❌",
                         score_text(t->score, t->max_score), t->passed(), t->cases.size());
    }
    out += "\n";
  }
  for (const SubmissionResult& s : report.submissions) {
    if (s.status == SubmissionStatus::Graded && s.score >= s.max_score) continue;
    summary_details(out, s, root);
  }
  return out;
}

std::unique_ptr<Reporter> make_github_reporter(std::ostream& out, GithubOptions options) {
  return std::make_unique<GithubReporter>(out, std::move(options));
}

std::string begin_github_quiet(std::ostream& out) {
  std::random_device random;
  std::string token = "grader-";
  for (int i = 0; i < 4; ++i) token += fmt::format("{:08x}", random());
  out << "::stop-commands::" << token << "\n";
  return token;
}

void write_github(const Report& report, const std::string& token,
                  const std::vector<fs::path>& paths, std::ostream& out) {
  out << "::" << token << "::\n";
  GithubOptions options;
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary) {
    options.summary_file = summary;
  }
  std::optional<fs::path> root;
  if (!paths.empty()) {
    std::error_code ec;
    const fs::path first = fs::absolute(paths.front(), ec);
    if (!ec) root = repository_root(fs::is_directory(first, ec) ? first : first.parent_path());
  }
  if (!root) {
    if (const char* workspace = std::getenv("GITHUB_WORKSPACE"); workspace && *workspace) {
      root = fs::path(workspace);
    }
  }
  std::error_code ec;
  options.repo_root = root ? *root : fs::current_path(ec);
  auto reporter = make_github_reporter(out, std::move(options));
  write_report(*reporter, report);
}

}  // namespace grader
