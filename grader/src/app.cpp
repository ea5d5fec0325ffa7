#include "grader/app.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app_common.hpp"
#include "files.hpp"
#include "grader/batch.hpp"
#include "grader/cache.hpp"
#include "grader/changes.hpp"
#include "grader/exercise.hpp"
#include "grader/formats.hpp"
#include "grader/github.hpp"
#include "grader/grading.hpp"
#include "grader/pull_request.hpp"
#include "grader/report.hpp"
#include "grader/sandbox.hpp"
#include "grader/shard.hpp"
#include "grader/similarity.hpp"
#include "grader/similarity_formats.hpp"
#include "grader/submission.hpp"
#include "grader/summary.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;
using detail::default_jobs;
using detail::exercises_root;
using detail::launcher_path;
using detail::open_cache;

bool use_color(const AppOptions& options) {
  if (options.color == "always") return true;
  if (options.color == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  return ::isatty(STDOUT_FILENO) == 1 && (no_color == nullptr || *no_color == '\0');
}

void write_json_file(const fs::path& file, const Report& report) {
  std::ostringstream text;
  auto reporter = make_json_reporter(text);
  write_report(*reporter, report);
  try {
    detail::write_atomically(file, text.str());
  } catch (const std::exception& e) {
    throw ReportError(fmt::format("cannot write the report {}: {}", file.string(), e.what()));
  }
}

ExitCode exit_code_for(const AppOptions& options, const Report& report, std::ostream& err) {
  bool internal = false;
  std::vector<std::string> below;
  for (const SubmissionResult& s : report.submissions) {
    if (s.status == SubmissionStatus::InternalError) internal = true;
    if (options.min_score) {
      const double fraction = s.max_score > 0 ? s.score / s.max_score : 0.0;
      // A tiny slack so that 7.5/10 meets --min-score 0.75 despite rounding.
      if (fraction + 1e-12 < *options.min_score) below.push_back(s.id);
    }
  }
  if (internal) {
    err << "grader: error: at least one submission hit an internal error of the grader (see the "
           "report)\n";
    return ExitCode::Internal;
  }
  if (!below.empty()) {
    err << fmt::format("grader: {} submission{} scored below --min-score {}: {}\n", below.size(),
                       below.size() == 1 ? "" : "s", *options.min_score, fmt::join(below, ", "));
    return ExitCode::BelowMinScore;
  }
  return ExitCode::Ok;
}

// The cache of --cache-dir (else the default folder), or none with --no-cache.

// --format github for submissions copied under `copy_root` (a pull request's): annotations
// are placed relative to the copy's root, which mirrors the repository.
void write_github_copy(const Report& report, const std::string& token, const fs::path& copy_root,
                       std::ostream& out) {
  out << "::" << token << "::\n";
  GithubOptions github;
  github.repo_root = copy_root;
  if (const char* summary = std::getenv("GITHUB_STEP_SUMMARY"); summary && *summary) {
    github.summary_file = summary;
  }
  auto reporter = make_github_reporter(out, std::move(github));
  write_report(*reporter, report);
}

// Shared by grade and batch: load, prepare, grade, report. With `shard`, the report records it.
// With `copy_root`, the submissions are copies under it, named by their repository path.
ExitCode grade_paths(const AppOptions& options, const std::vector<fs::path>& paths, bool details,
                     int jobs, std::ostream& out, std::ostream& err,
                     const std::optional<ShardSpec>& shard = std::nullopt,
                     const fs::path& copy_root = {}) {
  // The cache first: the sandbox keeps its probe's answer there, and starts the probe at once.
  const std::unique_ptr<Cache> cache = open_cache(options, err);
  const Isolation isolation = options.unsafe_no_sandbox ? Isolation::None : Isolation::Full;
  auto sandbox = make_box_sandbox(launcher_path(options), isolation,
                                  cache ? cache->dir() / "sandbox" : fs::path());
  const ExerciseSpec spec = find_exercise(exercises_root(options), options.exercise);
  if (options.unsafe_no_sandbox) {
    err << "grader: warning: --unsafe-no-sandbox: student code runs WITHOUT isolation (only time, "
           "memory and output limits); never use this for untrusted code\n";
  }
  detail::TempDir work("grader-");
  // batch on a terminal: a progress line on stderr, redrawn in place, erased before the summary.
  ProgressLine progress(err, !details && !options.quiet && ::isatty(STDERR_FILENO) == 1);
  // Prepares and grades everything; std::nullopt when the sandbox's remembered description
  // turned out wrong, so that all of it (keyed by that description) is done again.
  const auto attempt = [&](Sandbox& box, const fs::path& dir) -> std::optional<Report> {
    Grader grader(spec, box, dir, GraderOptions{options.python, true, cache.get(), jobs});
    if (paths.size() > 1) grader.expect_submissions(paths);
    grader.prepare();
    std::vector<SubmissionResult> results = grade_many(
        grader, paths, jobs,
        [&](const SubmissionResult&, const BatchProgress& done) { progress.update(done); });
    if (!box.confirm()) return std::nullopt;
    Report report = grader.report_header();
    if (shard) {
      report.shard = ShardInfo{shard->index, shard->count, grader.exercise_hash(), {}};
      for (const fs::path& path : paths) {
        report.shard->submissions.push_back(discover_submission(path).id);
      }
    }
    report.submissions = std::move(results);
    return report;
  };
  std::optional<Report> graded = attempt(*sandbox, work.path() / "graded");
  if (!graded) {
    sandbox = make_box_sandbox(launcher_path(options), isolation);
    graded = attempt(*sandbox, work.path() / "graded-again");
  }
  Report& report = *graded;

  TextOptions text_options;
  text_options.color = use_color(options);
  text_options.details = details;
  auto text = make_text_reporter(out, text_options);
  // --format github: GitHub must not read workflow commands in student output until ours.
  const std::string github_token =
      has_github_format(options.formats) ? begin_github_quiet(out) : std::string();
  text->begin(report);
  progress.clear();
  if (options.similarity) {  // batch --similarity
    SimilarityOptions similarity;
    if (options.similarity_threshold) similarity.threshold = *options.similarity_threshold;
    report.similarity = check_similarity(paths, &spec, similarity);
  }
  for (const SubmissionResult& s : report.submissions) {
    if (!options.quiet || details) text->add(s);
  }
  text->finish();
  if (!details) print_class_summary(summarize(report), out);
  if (!github_token.empty() && copy_root.empty()) write_github(report, github_token, paths, out);
  if (!github_token.empty() && !copy_root.empty()) {
    write_github_copy(report, github_token, copy_root, out);
  }
  if (!copy_root.empty()) {
    for (SubmissionResult& s : report.submissions) {
      s.path = fs::path(s.path).lexically_relative(copy_root).generic_string();
    }
  }
  if (report.similarity) print_similarity(*report.similarity, out);
  if (!options.report_file.empty()) write_json_file(options.report_file, report);
  if (!file_formats(options.formats).empty()) {
    write_formats(report, file_formats(options.formats), options.report_dir);
  }
  return exit_code_for(options, report, err);
}

}  // namespace

fs::path executable_path(const std::string& argv0) {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) return self;
  return fs::absolute(argv0, ec);
}

// Checks the flags that only make sense together, before any work is done.
void check_report_flags(const AppOptions& options) {
  if (!file_formats(options.formats).empty() && options.report_dir.empty()) {
    throw UsageError("--format needs --report-dir DIR (where the files are written)");
  }
  const std::vector<std::string> known = known_formats();
  for (const std::string& format : file_formats(options.formats)) {
    if (std::find(known.begin(), known.end(), format) == known.end()) {
      throw UsageError(
          fmt::format("unknown report format \"{}\" (known: {})", format, fmt::join(known, ", ")));
    }
  }
}

namespace {

// A Markdown code span holding `text` whatever backticks it contains, on one line.
std::string markdown_code(std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::replace(text.begin(), text.end(), '\r', ' ');
  std::size_t longest = 0;
  for (std::size_t run = 0, i = 0; i < text.size(); ++i) {
    run = text[i] == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  // Markdown drops one space at each end; it is needed only beside a backtick.
  const bool pad = !text.empty() && (text.front() == '`' || text.back() == '`');
  return pad ? fence + " " + text + " " + fence : fence + text + fence;
}

// --format github for a refused pull request: an ::error per refused file, and the list in the
// job summary, so that the student sees what to take out of the pull request.
void write_github_refusal(const PullRequestRefused& refused, std::ostream& out, std::ostream& err) {
  std::string summary =
      "### Pull request refused\n\nA pull request may change one submission "
      "folder, holding regular files only, and nothing else. Take these "
      "changes out of it:\n\n";
  const std::vector<Refusal>& refusals = refused.refusals();
  for (std::size_t i = 0; i < refusals.size() && i < kMaxListedRefusals; ++i) {
    const Refusal& r = refusals[i];
    out << workflow_command("error", {{"file", r.path}, {"title", "pull request refused"}},
                            r.path.empty() ? r.reason : r.path + ": " + r.reason)
        << "\n";
    summary += r.path.empty() ? fmt::format("- {}\n", r.reason)
                              : fmt::format("- {}: {}\n", markdown_code(r.path), r.reason);
  }
  if (refusals.size() > kMaxListedRefusals) {
    summary += fmt::format("- and {} more\n", refusals.size() - kMaxListedRefusals);
  }
  // A summary that cannot be written must not hide the refusal: a warning, and the refusal.
  if (const char* file = std::getenv("GITHUB_STEP_SUMMARY"); file && *file) {
    std::ofstream append(file, std::ios::app);
    append << summary << "\n";
    if (!append) {
      err << fmt::format("grader: warning: cannot append the job summary to {:?}\n",
                         std::string(file));
    }
  }
}

// grade --changed-since BASE [DIR] --pull-request HEAD: the one submission that HEAD changes,
// copied out of git's objects, graded by this grader with its exercises.
ExitCode grade_pull_request(const AppOptions& options, const fs::path& dir, std::ostream& out,
                            std::ostream& err) {
  std::optional<Roster> roster;
  if (!options.roster.empty()) {
    if (options.author.empty()) {
      throw UsageError("--roster needs --author LOGIN (the pull request's author)");
    }
    roster = load_roster(options.roster);
  }
  detail::TempDir copy("grader-pull-request-");
  PullRequestSubmission pr;
  try {
    pr = extract_pull_request(dir, *options.changed_since, *options.pull_request,
                              roster ? &*roster : nullptr, options.author, copy.path());
  } catch (const PullRequestRefused& refused) {
    if (has_github_format(options.formats)) write_github_refusal(refused, out, err);
    throw;
  }
  const std::string commits = fmt::format("{}...{}", pr.base.substr(0, 12), pr.head.substr(0, 12));
  if (pr.entry_path.empty() || pr.deleted) {
    const std::string message =
        pr.entry_path.empty()
            ? fmt::format("pull request {} changes no submission; nothing to grade", commits)
            : fmt::format("pull request {} deletes {:?}; nothing to grade", commits, pr.entry_path);
    out << message << "\n";
    if (has_github_format(options.formats)) out << workflow_command("notice", {}, message) << "\n";
    return ExitCode::Ok;
  }
  out << fmt::format(
      "pull request {}: grading {:?} ({} changed file{}) with the trusted grader "
      "and exercises\n",
      commits, pr.entry_path, pr.changed_files, pr.changed_files == 1 ? "" : "s");
  return grade_paths(options, {pr.copy}, true, options.jobs > 0 ? options.jobs : default_jobs(),
                     out, err, std::nullopt, copy.path());
}

// grade --changed-since REF [DIR]: the submissions of DIR that differ from REF, each once.
ExitCode grade_changed(const AppOptions& options, std::ostream& out, std::ostream& err) {
  if (options.paths.size() > 1) {
    throw UsageError("grade --changed-since takes at most one DIR (default: submissions/)");
  }
  const fs::path dir = options.paths.empty() ? fs::path("submissions") : options.paths.front();
  if (options.pull_request) return grade_pull_request(options, dir, out, err);
  const ChangedSubmissions changes = changed_submissions(dir, *options.changed_since);
  if (!changes.outside.empty()) {
    constexpr std::size_t kListed = 10;
    std::vector<std::string> names;
    for (std::size_t i = 0; i < changes.outside.size() && i < kListed; ++i) {
      names.push_back(fmt::format("{:?}", changes.outside[i]));
    }
    if (changes.outside.size() > kListed) {
      names.push_back(fmt::format("and {} more", changes.outside.size() - kListed));
    }
    out << fmt::format("note: {} changed file{} outside {} {} not graded: {}\n",
                       changes.outside.size(), changes.outside.size() == 1 ? "" : "s", dir.string(),
                       changes.outside.size() == 1 ? "is" : "are", fmt::join(names, ", "));
  }
  for (const fs::path& gone : changes.deleted) {
    out << fmt::format("note: {:?} was deleted since {}; skipped\n", gone.string(),
                       *options.changed_since);
  }
  if (changes.present.empty()) {
    const std::string message =
        fmt::format("no submission under {} changed since {}; nothing to grade", dir.string(),
                    *options.changed_since);
    out << message << "\n";
    if (has_github_format(options.formats)) out << workflow_command("notice", {}, message) << "\n";
    return ExitCode::Ok;
  }
  return grade_paths(options, changes.present, true,
                     options.jobs > 0 ? options.jobs : default_jobs(), out, err);
}

}  // namespace

ExitCode run_grade(const AppOptions& options, std::ostream& out, std::ostream& err) {
  check_report_flags(options);
  if (options.pull_request && !options.changed_since) {
    throw UsageError("--pull-request HEAD needs --changed-since BASE (the trusted base commit)");
  }
  if ((!options.roster.empty() || !options.author.empty()) && !options.pull_request) {
    throw UsageError("--roster and --author go with --pull-request HEAD");
  }
  if (options.changed_since) return grade_changed(options, out, err);
  if (options.paths.empty()) throw UsageError("grade needs a PATH (or --changed-since REF [DIR])");
  for (const fs::path& path : options.paths) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(path, ec))) {
      throw UsageError(fmt::format("\"{}\": no such file or directory", path.string()));
    }
  }
  return grade_paths(options, options.paths, true, options.jobs > 0 ? options.jobs : default_jobs(),
                     out, err);
}

ExitCode run_batch(const AppOptions& options, std::ostream& out, std::ostream& err) {
  check_report_flags(options);
  std::optional<ShardSpec> shard;
  if (!options.shard.empty()) shard = parse_shard(options.shard, std::getenv);
  std::vector<fs::path> paths = list_batch(options.batch_dir);
  // A folder named after another exercise of the course holds that exercise's examples (as
  // submissions/backprop-training/ does), not one submission of this one.
  const fs::path root = exercises_root(options);
  if (list_exercises(root).size() > 1) {
    paths = without_other_exercises(std::move(paths), root,
                                    find_exercise(root, options.exercise).id, err);
  }
  if (paths.empty()) {
    out << fmt::format("no submissions in {}\n", options.batch_dir.string());
  }
  if (shard) {
    const std::size_t total = paths.size();
    paths = select_shard(paths, *shard);
    out << fmt::format("shard {}/{}: {} of {} submissions\n", shard->index, shard->count,
                       paths.size(), total);
  }
  return grade_paths(options, paths, false, options.jobs > 0 ? options.jobs : default_jobs(), out,
                     err, shard);
}

ExitCode run_merge(const AppOptions& options, std::ostream& out, std::ostream& err) {
  if (options.report_file.empty()) throw UsageError("merge needs --report FILE");
  const Report report = merge_shard_files(options.merge_parts);
  write_json_file(options.report_file, report);
  out << fmt::format("merged {} partial reports: {} submissions into {}\n",
                     options.merge_parts.size(), report.submissions.size(),
                     options.report_file.string());
  return exit_code_for(options, report, err);
}

}  // namespace grader
