#pragma once
/// \file
/// Report formats written into a folder (`--format FMT --report-dir DIR`). Every format is made
/// from the same Report; each has one writer.

#include <filesystem>
#include <string>
#include <vector>

#include "grader/report.hpp"

namespace grader {

/// The formats `--format` accepts, in the order they are documented.
std::vector<std::string> known_formats();

/// Writes `report` in each of `formats` under `dir` (created if needed), atomically per file:
/// json -> DIR/report.json (more formats as they are added, see known_formats()).
/// \throws UsageError for an unknown format; ReportError when a file cannot be written.
void write_formats(const Report& report, const std::vector<std::string>& formats,
                   const std::filesystem::path& dir);

}  // namespace grader
