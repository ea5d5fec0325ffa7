#pragma once
/// \file
/// `--format github`: GitHub Actions workflow commands on stdout (an `::error` annotation per
/// compiler or syntax error, a `::warning` per failing task) and, when GITHUB_STEP_SUMMARY is
/// set, a Markdown job summary appended to that file. Unlike the other formats it needs no
/// --report-dir. Hidden cases appear only as counts.

#include <filesystem>
#include <memory>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "grader/report.hpp"

namespace grader {

/// The `--format` value of this format.
inline constexpr std::string_view kGithubFormat = "github";

/// True when `formats` names the github format.
bool has_github_format(const std::vector<std::string>& formats);

/// `formats` without the github format: the formats written into --report-dir.
std::vector<std::string> file_formats(const std::vector<std::string>& formats);

/// Escapes a workflow command's message: '%' -> %25, CR -> %0D, LF -> %0A.
std::string github_escape_data(std::string_view text);

/// Escapes a workflow command's property value: as github_escape_data, plus ':' -> %3A and
/// ',' -> %2C.
std::string github_escape_property(std::string_view text);

/// One workflow command line without its newline: `::COMMAND k=v,k=v::MESSAGE`, properties in the
/// given order and escaped, properties with an empty value left out.
std::string workflow_command(std::string_view command,
                             const std::vector<std::pair<std::string, std::string>>& properties,
                             std::string_view message);

/// Where the github format writes.
struct GithubOptions {
  /// Annotation paths are made relative to this folder (the repository's root, so that GitHub
  /// places them in the pull request). Empty: the submission paths as given.
  std::filesystem::path repo_root;
  /// The job summary is appended to this file (GITHUB_STEP_SUMMARY). Empty: no summary.
  std::filesystem::path summary_file;
};

/// The workflow commands for one submission, one line each (no newlines): `::error` per
/// compiler or syntax error (file, line, col) and for a submission that is invalid or hit an
/// internal error, `::warning` per failing task with its hint, `::notice` for full marks.
std::vector<std::string> github_annotations(const SubmissionResult& submission,
                                            const std::filesystem::path& repo_root);

/// The Markdown job summary: a table of submissions with per-task scores, then for each
/// submission below full marks its first compiler error or, per failing task, the first failing
/// visible case, the hidden cases' failure count and the hint.
std::string github_summary(const Report& report, const std::filesystem::path& repo_root);

/// The reporter: annotations for each submission as it is added; the summary on finish().
/// \throws ReportError from finish() when the summary file cannot be appended to.
std::unique_ptr<Reporter> make_github_reporter(std::ostream& out, GithubOptions options);

/// Pauses GitHub's reading of workflow commands (student output printed by the human summary
/// could forge some): writes `::stop-commands::TOKEN` with a fresh random TOKEN and returns it.
std::string begin_github_quiet(std::ostream& out);

/// Resumes workflow commands (`::TOKEN::`), then writes `report` in the github format, with the
/// options taken from the environment: GITHUB_STEP_SUMMARY, and the repository root of the
/// first of `paths` (git), else GITHUB_WORKSPACE, else the current folder.
/// \throws ReportError when the summary cannot be written.
void write_github(const Report& report, const std::string& token,
                  const std::vector<std::filesystem::path>& paths, std::ostream& out);

}  // namespace grader
