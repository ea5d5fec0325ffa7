#include "options.hpp"

#include <charconv>
#include <cstring>
#include <functional>
#include <map>

#include "error.hpp"

namespace grader::box {
namespace {

// Upper bounds keep arithmetic on limits (KiB -> bytes, ms -> ns) far from overflow.
constexpr std::int64_t kMaxLimit = std::int64_t{1} << 40;

std::int64_t parse_number(const std::string& option, const std::string& text, std::int64_t min) {
  std::int64_t value = 0;
  const char* first = text.data();
  const char* last = first + text.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || text.empty()) {
    throw UsageError(option + ": expected a whole number, got \"" + text + "\"");
  }
  if (value < min || value > kMaxLimit) {
    throw UsageError(option + ": " + text + " is out of range [" + std::to_string(min) + ", " +
                     std::to_string(kMaxLimit) + "]");
  }
  return value;
}

bool valid_env_entry(const std::string& entry) {
  const auto eq = entry.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  for (std::size_t i = 0; i < eq; ++i) {
    const char c = entry[i];
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// Plain names only: nothing absolute, no "." or "..", no empty component.
bool plain_relative_path(const std::string& v) {
  bool plain = !v.empty() && v.front() != '/' && v.back() != '/';
  for (std::size_t at = 0; plain && at <= v.size();) {
    const std::size_t end = std::min(v.find('/', at), v.size());
    const std::string part = v.substr(at, end - at);
    plain = !part.empty() && part != "." && part != "..";
    at = end + 1;
  }
  return plain;
}

}  // namespace

const char* usage_text() {
  return "usage: grader-box [OPTIONS] -- PROGRAM [ARGS...]\n"
         "       grader-box --probe | --mode\n"
         "       grader-box --release-slots [--slot N] [--cgroup-root DIR]\n"
         "options: --box-dir DIR --result FILE [--copy-out DIR [--copy-out-from REL]]\n"
         "  [--read-only-file REL]... [--stdout FILE] [--stderr FILE]\n"
         "  [--channel FILE] [--cpu-time-ms N] [--wall-time-ms N] [--memory-mib N]\n"
         "  [--output-limit-kib N] [--channel-limit-kib N] [--file-size-kib N]\n"
         "  [--box-size-mib N] [--max-processes N] [--open-files N] [--env NAME=VALUE]...\n"
         "  [--slot N] [--isolation full|none] [--cgroup-root DIR]\n"
         "see docs/protocols.md section 1\n";
}

Options parse_options(int argc, char** argv) {
  Options o;
  using Setter = std::function<void(const std::string&, const std::string&)>;
  auto number = [](std::int64_t& field, std::int64_t min) -> Setter {
    return [&field, min](const std::string& name, const std::string& v) {
      field = parse_number(name, v, min);
    };
  };
  auto text = [](std::string& field) -> Setter {
    return [&field](const std::string& name, const std::string& v) {
      if (v.empty()) throw UsageError(name + ": expected a path, got \"\"");
      field = v;
    };
  };
  auto optional_text = [](std::optional<std::string>& field) -> Setter {
    return [&field](const std::string& name, const std::string& v) {
      if (v.empty()) throw UsageError(name + ": expected a path, got \"\"");
      field = v;
    };
  };
  const std::map<std::string, Setter> with_value = {
      {"--box-dir", text(o.box_dir)},
      {"--copy-out", optional_text(o.copy_out)},
      {"--copy-out-from",
       [&o](const std::string& name, const std::string& v) {
         if (!plain_relative_path(v)) {
           throw UsageError(name + ": expected a relative folder of plain names, got \"" + v +
                            "\"");
         }
         o.copy_out_from = v;
       }},
      {"--read-only-file",
       [&o](const std::string& name, const std::string& v) {
         if (!plain_relative_path(v)) {
           throw UsageError(name + ": expected a relative file of plain names, got \"" + v + "\"");
         }
         o.read_only_files.push_back(v);
       }},
      {"--stdout", optional_text(o.stdout_file)},
      {"--stderr", optional_text(o.stderr_file)},
      {"--channel", optional_text(o.channel_file)},
      {"--result", text(o.result_file)},
      {"--cgroup-root", optional_text(o.cgroup_root)},
      {"--cpu-time-ms", number(o.cpu_time_ms, 1)},
      {"--wall-time-ms", number(o.wall_time_ms, 1)},
      {"--memory-mib", number(o.memory_mib, 16)},
      {"--output-limit-kib", number(o.output_limit_kib, 0)},
      {"--channel-limit-kib", number(o.channel_limit_kib, 0)},
      {"--file-size-kib", number(o.file_size_kib, 1)},
      {"--box-size-mib", number(o.box_size_mib, 1)},
      {"--max-processes", number(o.max_processes, 1)},
      {"--open-files", number(o.open_files, 4)},
      {"--slot",
       [&o](const std::string& name, const std::string& v) {
         o.slot = static_cast<int>(parse_number(name, v, 0));
         o.slot_given = true;
         if (o.slot > 4095) throw UsageError(name + ": " + v + " is out of range [0, 4095]");
       }},
      {"--env",
       [&o](const std::string& name, const std::string& v) {
         if (!valid_env_entry(v)) {
           throw UsageError(name + ": expected NAME=VALUE, got \"" + v + "\"");
         }
         o.env.push_back(v);
       }},
      {"--isolation",
       [&o](const std::string& name, const std::string& v) {
         if (v == "full") {
           o.isolation = Isolation::Full;
         } else if (v == "none") {
           o.isolation = Isolation::None;
         } else {
           throw UsageError(name + ": expected full or none, got \"" + v + "\"");
         }
       }},
  };

  int i = 1;
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg == "--probe" || arg == "doctor") {
      o.probe = true;
      continue;
    }
    if (arg == "--mode") {
      o.mode = true;
      continue;
    }
    if (arg == "--release-slots") {
      o.release_slots = true;
      continue;
    }
    if (arg == "--help" || arg == "-h") throw UsageError("");
    std::string value;
    bool inline_value = false;
    if (const auto eq = arg.find('='); arg.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      inline_value = true;
    }
    const auto it = with_value.find(arg);
    if (it == with_value.end()) throw UsageError("unknown option \"" + arg + "\"");
    if (!inline_value) {
      if (i + 1 >= argc) throw UsageError(arg + ": missing value");
      value = argv[++i];
    }
    it->second(arg, value);
  }
  for (; i < argc; ++i) o.command.emplace_back(argv[i]);

  if (o.probe || o.mode || o.release_slots) return o;
  if (o.box_dir.empty()) throw UsageError("--box-dir is required");
  if (o.result_file.empty()) throw UsageError("--result is required");
  if (o.command.empty()) throw UsageError("no program given after \"--\"");
  if (o.command.front().empty()) throw UsageError("empty program name");
  if (o.copy_out_from && !o.copy_out) throw UsageError("--copy-out-from needs --copy-out");
  return o;
}

}  // namespace grader::box
