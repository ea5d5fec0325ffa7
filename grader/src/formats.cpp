#include "grader/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/report_formats.hpp"
#include "grader/similarity_formats.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

void write_file(const fs::path& file, const std::string& content) {
  try {
    detail::write_atomically(file, content);
  } catch (const std::exception& e) {
    throw ReportError(fmt::format("cannot write {}: {}", file.string(), e.what()));
  }
}

std::string render(const Report& report, std::unique_ptr<Reporter> (*make)(std::ostream&)) {
  std::ostringstream out;
  auto reporter = make(out);
  write_report(*reporter, report);
  return out.str();
}

// A folder name for a submission id: ids are file names already, but "", "." and ".." are not
// folders of their own, and two submissions must not share one.
std::string folder_name(const std::string& id, std::set<std::string>& used) {
  std::string name = id;
  std::replace(name.begin(), name.end(), '/', '_');
  std::replace(name.begin(), name.end(), '\0', '_');
  if (name.empty() || name == "." || name == "..") name = "_" + name;
  std::string unique = name;
  for (int n = 2; !used.insert(unique).second; ++n) unique = fmt::format("{}-{}", name, n);
  return unique;
}

// The formats written as one file for the whole report.
struct SingleFile {
  const char* format;
  const char* file;
  std::unique_ptr<Reporter> (*make)(std::ostream&);
};
constexpr SingleFile kSingleFiles[] = {
    {"json", "report.json", make_json_reporter}, {"csv", "grades.csv", make_csv_reporter},
    {"junit", "junit.xml", make_junit_reporter}, {"markdown", "summary.md", make_markdown_reporter},
    {"html", "index.html", make_html_reporter},
};

// Gradescope wants one results.json per submission: DIR/gradescope/<id>/results.json.
void write_gradescope(const Report& report, const fs::path& dir) {
  std::set<std::string> used;
  for (const SubmissionResult& s : report.submissions) {
    std::ostringstream out;
    auto reporter = make_gradescope_reporter(out);
    reporter->begin(report);  // the header; the reporter ignores the submissions it holds
    reporter->add(s);
    reporter->finish();
    write_file(dir / "gradescope" / folder_name(s.id, used) / "results.json", out.str());
  }
}

}  // namespace

// File names (fixed once published): json -> report.json, gradescope -> gradescope/<id>/
// results.json, csv -> grades.csv, junit -> junit.xml, markdown -> summary.md,
// html -> index.html.
std::vector<std::string> known_formats() {
  return {"json", "gradescope", "csv", "junit", "markdown", "html"};
}

void write_formats(const Report& report, const std::vector<std::string>& formats,
                   const fs::path& dir) {
  const std::vector<std::string> known = known_formats();
  for (const std::string& format : formats) {
    if (std::find(known.begin(), known.end(), format) == known.end()) {
      throw UsageError(
          fmt::format("unknown report format \"{}\" (known: {})", format, fmt::join(known, ", ")));
    }
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ReportError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  for (const std::string& format : formats) {
    if (format == "gradescope") {
      write_gradescope(report, dir);
      continue;
    }
    for (const SingleFile& single : kSingleFiles) {
      if (format == single.format) write_file(dir / single.file, render(report, single.make));
    }
    if (format == "csv" && report.similarity) {  // batch --similarity: the pairs beside grades
      std::ostringstream pairs;
      write_similarity_csv(*report.similarity, pairs);
      write_file(dir / "similarity.csv", pairs.str());
    }
  }
}

}  // namespace grader
