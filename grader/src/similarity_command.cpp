// `grader similarity DIR`: reads a folder of submissions, compares them, prints the ranked
// pairs and writes the report formats that were asked for. Also the reading half of the check
// that `batch --similarity` shares.

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "files.hpp"
#include "grader/app.hpp"
#include "grader/exercise.hpp"
#include "grader/report.hpp"
#include "grader/similarity.hpp"
#include "grader/similarity_formats.hpp"
#include "grader/submission.hpp"
#include "grader/tokenize.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

// Formats `grader similarity` writes into --report-dir, and their files.
constexpr std::pair<const char*, const char*> kSimilarityFiles[] = {
    {"json", "report.json"}, {"csv", "similarity.csv"}, {"html", "similarity.html"}};

void write_file(const fs::path& file, const std::string& content) {
  try {
    detail::write_atomically(file, content);
  } catch (const std::exception& e) {
    throw ReportError(fmt::format("cannot write {}: {}", file.string(), e.what()));
  }
}

std::string json_text(const Report& report) {
  std::ostringstream out;
  auto reporter = make_json_reporter(out);
  write_report(*reporter, report);
  return out.str();
}

std::string source_text(const fs::path& file) {
  std::string text = detail::read_text(file).value_or("");
  if (text.size() > kMaxLexedBytes) text.resize(kMaxLexedBytes);
  return text;
}

}  // namespace

std::vector<SimilarityInput> exercise_files(const ExerciseSpec& spec) {
  std::vector<SimilarityInput> out;
  for (const auto& [language, files] : spec.languages) {
    SimilarityInput input;
    input.id = spec.id;
    input.language = language;
    if (files.starter)
      input.files.push_back({files.starter->string(), source_text(*files.starter)});
    if (files.header) input.files.push_back({files.header->string(), source_text(*files.header)});
    out.push_back(std::move(input));
  }
  return out;
}

SimilarityResult check_similarity(const std::vector<fs::path>& paths, const ExerciseSpec* spec,
                                  const SimilarityOptions& options) {
  std::vector<SimilarityInput> inputs;
  std::vector<SimilaritySkipped> skipped;
  for (const fs::path& path : paths) {
    std::string reason;
    SimilarityInput input = read_similarity_input(path, reason);
    if (!reason.empty()) {
      skipped.push_back({input.id, reason});
      continue;
    }
    inputs.push_back(std::move(input));
  }
  const std::vector<SimilarityInput> excluded =
      spec != nullptr ? exercise_files(*spec) : std::vector<SimilarityInput>{};
  SimilarityResult result = compare_submissions(inputs, excluded, options);
  result.skipped = std::move(skipped);
  return result;
}

ExitCode run_similarity(const AppOptions& options, std::ostream& out, std::ostream& err) {
  std::vector<std::string> formats = options.formats;
  for (const std::string& format : formats) {
    const bool known = std::any_of(std::begin(kSimilarityFiles), std::end(kSimilarityFiles),
                                   [&](const auto& f) { return format == f.first; });
    if (!known) {
      throw UsageError(
          fmt::format("unknown similarity format \"{}\" (known: json, csv, html)", format));
    }
  }
  if (!formats.empty() && options.report_dir.empty()) {
    throw UsageError("--format needs --report-dir DIR (where the files are written)");
  }
  SimilarityOptions similarity;
  if (options.similarity_threshold) similarity.threshold = *options.similarity_threshold;
  if (options.boilerplate_share) similarity.boilerplate_share = *options.boilerplate_share;
  if (options.similarity_kgram)
    similarity.kgram = static_cast<std::size_t>(*options.similarity_kgram);
  if (options.similarity_window) {
    similarity.window = static_cast<std::size_t>(*options.similarity_window);
  }
  if (options.similarity_min_shared) {
    similarity.min_shared = static_cast<std::size_t>(*options.similarity_min_shared);
  }

  const fs::path root = options.exercises_root.empty() ? default_exercises_root(options.executable)
                                                       : options.exercises_root;
  const ExerciseSpec spec = find_exercise(root, options.exercise);
  const std::vector<fs::path> paths =
      without_other_exercises(list_batch(options.batch_dir), root, spec.id, err);

  Report report;
  report.exercise = spec.id;
  report.grader_version = grader_version();
  report.sandbox = "none (similarity only: no code was run)";
  report.similarity = check_similarity(paths, &spec, similarity);
  print_similarity(*report.similarity, out);

  if (!options.report_file.empty()) {
    write_file(options.report_file, json_text(report));
  }
  if (!formats.empty()) {
    std::error_code ec;
    fs::create_directories(options.report_dir, ec);
    if (ec) {
      throw ReportError(
          fmt::format("cannot create {}: {}", options.report_dir.string(), ec.message()));
    }
  }
  for (const std::string& format : formats) {
    std::ostringstream text;
    fs::path file;
    if (format == "json") {
      text << json_text(report);
      file = options.report_dir / "report.json";
    } else if (format == "csv") {
      write_similarity_csv(*report.similarity, text);
      file = options.report_dir / "similarity.csv";
    } else {
      write_similarity_page(*report.similarity, spec.id, text);
      file = options.report_dir / "similarity.html";
    }
    write_file(file, text.str());
  }
  return ExitCode::Ok;
}

}  // namespace grader
