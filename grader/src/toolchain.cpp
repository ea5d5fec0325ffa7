// What the toolchains share: limits and the parsing of compiler messages.

#include <algorithm>
#include <regex>

#include "grader/toolchain.hpp"

namespace grader {

std::vector<CompilerMessage> parse_compiler_errors(const std::string& diagnostics) {
  static const std::regex kError(R"(^([^:\n]+):(\d+):(\d+): (?:fatal )?error: (.*)$)");
  std::vector<CompilerMessage> errors;
  std::size_t start = 0;
  while (start < diagnostics.size()) {
    std::size_t end = diagnostics.find('\n', start);
    if (end == std::string::npos) end = diagnostics.size();
    const std::string line = diagnostics.substr(start, end - start);
    std::smatch match;
    if (std::regex_match(line, match, kError)) {
      errors.push_back(
          {match[1].str(), std::stoi(match[2].str()), std::stoi(match[3].str()), match[4].str()});
    }
    start = end + 1;
  }
  return errors;
}

std::vector<std::string> near_definitions(const std::vector<std::string>& defined,
                                          const std::string& name) {
  std::vector<std::string> found;
  for (const std::string& d : defined) {
    // The first parenthesis that opens a parameter list ("(anonymous namespace)" is a scope).
    std::string plain = d;
    for (std::size_t at = plain.find("(anonymous namespace)"); at != std::string::npos;
         at = plain.find("(anonymous namespace)", at)) {
      plain.replace(at, 21, "{anonymous namespace}");
    }
    const std::size_t paren = plain.find('(');
    const bool c_linkage = d == name;
    const bool other_parameters = d.rfind(name + "(", 0) == 0;
    // SCOPE::name(...), where the name is the function's own, not a parameter's type.
    const std::size_t scoped = plain.find("::" + name + "(");
    const bool nested = scoped != std::string::npos && scoped < paren;
    if ((c_linkage || other_parameters || nested) &&
        std::find(found.begin(), found.end(), d) == found.end()) {
      found.push_back(d);
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

SandboxLimits compile_limits(const ExerciseLimits& limits) {
  SandboxLimits l;
  l.cpu_time_ms = limits.compile_time_ms;
  l.wall_time_ms = limits.compile_time_ms + 5000;
  l.memory_mib = limits.compile_memory_mib;
  l.output_limit_kib = 256;
  l.file_size_kib = std::max<std::int64_t>(limits.file_size_kib, 65536);
  l.box_size_mib = std::max<std::int64_t>(limits.box_size_mib, 256);
  l.max_processes = std::max<std::int64_t>(limits.max_processes, 16);
  l.open_files = std::max<std::int64_t>(limits.open_files, 256);
  return l;
}

SandboxLimits run_limits(const ExerciseLimits& limits) {
  SandboxLimits l;
  l.cpu_time_ms = limits.cpu_time_ms;
  l.wall_time_ms = limits.wall_time_ms;
  l.memory_mib = limits.memory_mib;
  l.output_limit_kib = limits.output_limit_kib;
  l.file_size_kib = limits.file_size_kib;
  l.box_size_mib = limits.box_size_mib;
  l.max_processes = limits.max_processes;
  l.open_files = limits.open_files;
  return l;
}

}  // namespace grader
