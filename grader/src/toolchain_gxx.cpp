// C++ submissions: the only place that builds g++ command lines.

#include <fmt/format.h>
#include <unistd.h>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/harness.hpp"
#include "grader/toolchain.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCompiler = "/usr/bin/g++";
// binutils' nm, which g++ depends on: lists what the built program defines.
constexpr const char* kSymbolLister = "/usr/bin/nm";
// Identical flags for the harness and the student: C++17, optimised, no FMA contraction (so C++
// and Python agree bit for bit), never -ffast-math or -march=native (NUMERICS.md section 7).
const std::vector<std::string> kFlags = {
    "-std=c++17",      "-O2",  "-ffp-contract=off", "-fno-fast-math", "-fdiagnostics-color=never",
    "-fmax-errors=50", "-pipe"};
// The link of the student's objects with the prepared harness: binutils' gold, which g++'s own
// binutils dependency always brings, links this small program in about a third of GNU ld's
// time. The linker does not change the code, so answers stay the same bit for bit.
const std::vector<std::string> kLinkFlags = {"-fuse-ld=gold"};
// Where the grader's own files sit inside the box, beside the student's.
constexpr const char* kGraderDir = ".grader";

std::string without_box_prefix(std::string text) {
  // Paths are relative already; strip any absolute /box/ the compiler prints anyway.
  for (std::size_t at = text.find("/box/"); at != std::string::npos; at = text.find("/box/", at)) {
    text.erase(at, 5);
  }
  return text;
}

class GxxToolchain final : public Toolchain {
 public:
  GxxToolchain(const ExerciseSpec& spec, Sandbox& sandbox, LanguageSpec language)
      : spec_(spec), sandbox_(sandbox), language_(std::move(language)) {}

  Language language() const override { return Language::Cpp; }

  void prepare(const fs::path& work_dir) override {
    const fs::path box = work_dir / "harness-box";
    const fs::path out = work_dir / "harness-out";
    const fs::path io = work_dir / "harness-io";
    fs::create_directories(out);
    fs::create_directories(io);
    if (fs::exists(out / "harness.o")) {  // restored from the cache: see prepared_files()
      harness_object_ = out / "harness.o";
      return;
    }
    detail::write_text(box / "harness.cpp", std::string(cpp_harness_source()));
    detail::write_text(box / "bindings.inc", cpp_bindings(spec_));
    if (language_.header)
      detail::copy_into(*language_.header, box / "include" / language_.header->filename());
    std::vector<std::string> argv = {kCompiler};
    argv.insert(argv.end(), kFlags.begin(), kFlags.end());
    argv.insert(argv.end(), {"-Iinclude", "-c", "harness.cpp", "-o", "harness.o"});
    RunRequest request{argv, box, out, io, false, compile_limits(spec_.limits), {}, 0};
    RunOutcome outcome = sandbox_.run(request);
    if (outcome.termination != Termination::Exited || outcome.exit_code != 0 ||
        !fs::exists(out / "harness.o")) {
      throw SpecError(
          fmt::format("{}: the C++ harness does not compile with this exercise's "
                      "task signatures ({}):\n{}",
                      spec_.spec_file.string(), describe(outcome),
                      detail::cap_text(outcome.stderr_text, 4096)));
    }
    harness_object_ = out / "harness.o";
  }

  BuildResult build(const Submission& submission, const fs::path& work_dir, int slot) override {
    const fs::path box = work_dir / "build-box";
    const fs::path out = work_dir / "build-out";
    const fs::path io = work_dir / "build-io";
    fs::create_directories(out);
    fs::create_directories(io);
    for (const auto& file : submission.files) {
      detail::copy_into(submission.root / file, box / file);
    }
    const fs::path grader_dir = box / kGraderDir;
    detail::copy_into(harness_object_, grader_dir / "harness.o");
    if (language_.header) {
      detail::copy_into(*language_.header, grader_dir / "include" / language_.header->filename());
    }
    std::vector<std::string> argv = {kCompiler};
    argv.insert(argv.end(), kFlags.begin(), kFlags.end());
    // A student's own main() is renamed, so that the harness's main is the program's entry.
    argv.insert(argv.end(),
                {"-iquote", ".", fmt::format("-I{}/include", kGraderDir),
                 "-Dmain=grader_student_main_", "-o", fmt::format("{}/program", kGraderDir)});
    for (const auto& source : submission.sources) argv.push_back(source.generic_string());
    argv.push_back(fmt::format("{}/harness.o", kGraderDir));
    argv.insert(argv.end(), kLinkFlags.begin(), kLinkFlags.end());
    argv.push_back("-lm");

    RunRequest request{argv, box, out, io, false, compile_limits(spec_.limits), {}, slot};
    RunOutcome outcome = sandbox_.run(request);
    BuildResult result;
    std::string diagnostics = without_box_prefix(outcome.stderr_text + outcome.stdout_text);
    const fs::path program = out / kGraderDir / "program";
    if (outcome.termination == Termination::Exited && outcome.exit_code == 0 &&
        fs::exists(program)) {
      result.ok = true;
      const fs::path run_dir = work_dir / "program";
      detail::copy_into(program, run_dir / kGraderDir / "program");
      fs::permissions(run_dir / kGraderDir / "program",
                      fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                          fs::perms::others_read | fs::perms::others_exec);
      result.program.argv = {fmt::format("./{}/program", kGraderDir)};
      result.program.files_dir = run_dir;
    } else if (outcome.termination != Termination::Exited) {
      diagnostics += fmt::format("\nthe compiler {} (limits: {} ms, {} MiB)\n", describe(outcome),
                                 spec_.limits.compile_time_ms, spec_.limits.compile_memory_mib);
    }
    result.errors = parse_compiler_errors(diagnostics);
    result.diagnostics = detail::cap_text(diagnostics, kMaxDiagnosticsBytes);
    return result;
  }

  std::string identity() const override { return identity_; }

  std::vector<fs::path> prepared_files() const override { return {"harness-out/harness.o"}; }

  std::vector<std::string> defined_functions(const Program& program, int slot) override {
    // nm reads the student's program, so it runs in the box like everything else of theirs.
    const fs::path io = program.files_dir.parent_path() / "symbols-io";
    fs::create_directories(io);
    RunRequest request{{kSymbolLister, "--demangle", "--defined-only", program.argv.front()},
                       program.files_dir,
                       std::nullopt,
                       io,
                       false,
                       compile_limits(spec_.limits),
                       {},
                       slot};
    const RunOutcome outcome = sandbox_.run(request);
    std::vector<std::string> names;
    if (outcome.termination != Termination::Exited || outcome.exit_code != 0) return names;
    std::size_t start = 0;
    const std::string& text = outcome.stdout_text;
    while (start < text.size()) {
      std::size_t end = text.find('\n', start);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(start, end - start);
      start = end + 1;
      // "ADDRESS TYPE NAME": functions are in the text section (T, t) or weak (W, w).
      const std::size_t first = line.find(' ');
      if (first == std::string::npos || first + 3 > line.size() || line[first + 2] != ' ') {
        continue;
      }
      const char type = line[first + 1];
      if (type == 'T' || type == 't' || type == 'W' || type == 'w') {
        names.push_back(line.substr(first + 3));
      }
    }
    return names;
  }

  void set_identity(std::string identity) { identity_ = std::move(identity); }

 private:
  const ExerciseSpec& spec_;
  Sandbox& sandbox_;
  LanguageSpec language_;
  fs::path harness_object_;
  std::string identity_;
};

}  // namespace

std::unique_ptr<Toolchain> make_gxx_toolchain(const ExerciseSpec& spec, Sandbox& sandbox) {
  auto language = spec.languages.find(Language::Cpp);
  if (language == spec.languages.end()) {
    throw SpecError(fmt::format("{}: /languages: exercise \"{}\" has no C++ harness",
                                spec.spec_file.string(), spec.id));
  }
  if (::access(kCompiler, X_OK) != 0) {
    throw ToolchainError(
        fmt::format("the C++ compiler {} is missing: install the Debian package g++", kCompiler));
  }
  auto toolchain = std::make_unique<GxxToolchain>(spec, sandbox, language->second);
  std::string identity = std::string(kCompiler) + " " + __VERSION__;
  for (const auto& flag : kFlags) identity += " " + flag;
  for (const auto& flag : kLinkFlags) identity += " " + flag;
  toolchain->set_identity(identity);
  return toolchain;
}

}  // namespace grader
