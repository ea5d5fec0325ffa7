#include "grader/formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <sstream>

#include "files.hpp"
#include "grader/error.hpp"

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

}  // namespace

std::vector<std::string> known_formats() { return {"json"}; }

void write_formats(const Report& report, const std::vector<std::string>& formats,
                   const fs::path& dir) {
  const std::vector<std::string> known = known_formats();
  for (const std::string& format : formats) {
    if (std::find(known.begin(), known.end(), format) == known.end()) {
      throw UsageError(fmt::format("unknown report format \"{}\" (known: {})", format,
                                   fmt::join(known, ", ")));
    }
  }
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw ReportError(fmt::format("cannot create {}: {}", dir.string(), ec.message()));
  for (const std::string& format : formats) {
    if (format == "json") write_file(dir / "report.json", render(report, make_json_reporter));
  }
}

}  // namespace grader
