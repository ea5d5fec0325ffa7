// C++ submissions: the only place that builds g++ command lines.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <future>
#include <map>
#include <mutex>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/harness.hpp"
#include "grader/precompiled_header.hpp"
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
// The harness's own object: the same flags but -O1, which compiles it in three quarters of the
// time (it is compiled first, alone, before anything else can start). It does no arithmetic on
// the values it passes (strtod in, bit patterns out) and calls the student's functions through
// pointers, so no answer can change: bench/ab_answers.py compares every answer with a build
// that used -O2.
const std::vector<std::string> kHarnessFlags = {
    "-std=c++17",      "-O1",  "-ffp-contract=off", "-fno-fast-math", "-fdiagnostics-color=never",
    "-fmax-errors=50", "-pipe"};
// The link of the student's objects with the prepared harness: binutils' gold, which g++'s own
// binutils dependency always brings, links this small program in about a third of GNU ld's
// time. --no-map-whole-files: gold maps only the parts of libstdc++.so and libc it reads, not
// the whole files, 1.5 ms of a 13 ms link; the program is the same byte for byte. The linker
// does not change the code, so answers stay the same bit for bit.
const std::vector<std::string> kLinkFlags = {"-fuse-ld=gold", "-Wl,--no-map-whole-files"};
// Where the grader's own files sit inside the box, beside the student's.
constexpr const char* kGraderDir = ".grader";
// The macro that renames a student's main(): the same for every compile, precompiled headers
// included (g++ rejects a precompiled header made under other macros).
constexpr const char* kRenameMain = "-Dmain=grader_student_main_";
// A header is precompiled once this many compiles of this run have wanted it: a single compile
// would pay about three times what it saves.
constexpr int kPrecompileAfter = 2;
// At most this many blocks are precompiled per run (each file takes 14-30 MB in the work
// folder): a long-running server meets many include orders, most of them rare.
constexpr int kMostPrecompiledBlocks = 12;

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

  // Counts the leading blocks the batch's C++ submissions share; prepare() precompiles those
  // that at least kPrecompileAfter of them want, in box `slot`, while it compiles the harness.
  void expect(const std::vector<Submission>& submissions, int slot) override {
    for (const Submission& submission : submissions) {
      if (submission.language != Language::Cpp) continue;
      std::vector<LeadingInclude> block = precompilable_block(submission);
      if (block.empty()) continue;
      Expected& expected = expected_[include_lines(block)];
      ++expected.count;
      expected.block = std::move(block);
    }
    expected_slot_ = slot;
  }

  void prepare(const fs::path& work_dir) override {
    const fs::path box = work_dir / "harness-box";
    const fs::path out = work_dir / "harness-out";
    const fs::path io = work_dir / "harness-io";
    fs::create_directories(out);
    fs::create_directories(io);
    pch_dir_ = work_dir / "precompiled";
    fs::create_directories(pch_dir_);
    precompile_expected();
    if (fs::exists(out / "harness.o")) {  // restored from the cache: see prepared_files()
      harness_object_ = out / "harness.o";
      return;
    }
    detail::write_text(box / "harness.cpp", std::string(cpp_harness_source()));
    detail::write_text(box / "bindings.inc", cpp_bindings(spec_));
    if (language_.header)
      detail::copy_into(*language_.header, box / "include" / language_.header->filename());
    std::vector<std::string> argv = {kCompiler};
    argv.insert(argv.end(), kHarnessFlags.begin(), kHarnessFlags.end());
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
    std::vector<fs::path> read_only_files;
    if (const std::optional<fs::path> gch = precompiled_header_for(submission, slot)) {
      // Searched first; g++ falls back to the real header when it cannot use this one. The
      // box mounts it read-only where it can: 14-30 MB copied into every compile cost more
      // than the compile saved by half.
      const fs::path name = gch->filename();
      link_or_copy(*gch, grader_dir / "pch" / name);
      argv.push_back(fmt::format("-I{}/pch", kGraderDir));
      read_only_files.push_back(fs::path(kGraderDir) / "pch" / name);
    }
    // A student's own main() is renamed, so that the harness's main is the program's entry.
    argv.insert(argv.end(), {"-iquote", ".", fmt::format("-I{}/include", kGraderDir), kRenameMain,
                             "-o", fmt::format("{}/out/program", kGraderDir)});
    for (const auto& source : submission.sources) argv.push_back(source.generic_string());
    argv.push_back(fmt::format("{}/harness.o", kGraderDir));
    argv.insert(argv.end(), kLinkFlags.begin(), kLinkFlags.end());
    argv.push_back("-lm");

    // Only the program comes back: not the sources, the harness or a precompiled header.
    fs::create_directories(grader_dir / "out");
    RunRequest request{argv, box, out, io, false, compile_limits(spec_.limits), {}, slot};
    request.copy_out_from = fs::path(kGraderDir) / "out";
    request.read_only_files = read_only_files;
    RunOutcome outcome = sandbox_.run(request);
    BuildResult result;
    std::string diagnostics = without_box_prefix(outcome.stderr_text + outcome.stdout_text);
    const fs::path program = out / "program";
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
  enum class PchState { Absent, Building, Ready, Failed };
  struct Pch {
    int wanted = 0;
    PchState state = PchState::Absent;
    fs::path gch;
  };

  // The leading #include block of a single-source submission, cut before the first header that
  // is neither a standard one nor the exercise's own; empty when no standard header is left.
  std::vector<LeadingInclude> precompilable_block(const Submission& submission) const {
    // Every translation unit starting with the same header would find the same file, so a
    // program of several sources is compiled as it is.
    if (submission.sources.size() != 1) return {};
    const std::optional<std::string> text =
        detail::read_text(submission.root / submission.sources.front());
    if (!text) return {};
    std::vector<LeadingInclude> block;
    bool standard = false;
    for (LeadingInclude& include : leading_includes(*text)) {
      if (include.quoted) {
        if (!language_.header || include.name != language_.header->filename().string()) break;
      } else if (idempotent_standard_header(include.name)) {
        standard = true;
      } else {
        break;
      }
      block.push_back(std::move(include));
    }
    if (!standard) block.clear();
    return block;
  }

  // The precompiled form of the submission's leading block, once this run has wanted that
  // block kPrecompileAfter times; built then, in the box like every compile. While another
  // worker builds it, or when it could not be built, compiles go without.
  std::optional<fs::path> precompiled_header_for(const Submission& submission, int slot) {
    if (pch_dir_.empty()) return std::nullopt;
    const std::vector<LeadingInclude> block = precompilable_block(submission);
    if (block.empty()) return std::nullopt;
    const std::string lines = include_lines(block);
    fs::path gch;
    {
      std::lock_guard<std::mutex> lock(pch_mutex_);
      Pch& pch = pch_[lines];
      if (pch.state == PchState::Ready) return pch.gch;
      if (pch.state != PchState::Absent || ++pch.wanted < kPrecompileAfter ||
          pch_built_ >= kMostPrecompiledBlocks) {
        return std::nullopt;
      }
      pch.state = PchState::Building;
      gch = next_gch_path(block);
    }
    return build_block(block, lines, gch, slot);
  }

  // Where the next precompiled block goes; g++ finds it by the name of its first header.
  // Under pch_mutex_.
  fs::path next_gch_path(const std::vector<LeadingInclude>& block) {
    return pch_dir_ / std::to_string(++pch_built_) / (block.front().name + ".gch");
  }

  // Builds a block marked Building and records the outcome.
  std::optional<fs::path> build_block(const std::vector<LeadingInclude>& block,
                                      const std::string& lines, const fs::path& gch, int slot) {
    // The file's own later #include lines run again after the precompiled block: the
    // exercise's header must add nothing the second time (standard headers never do).
    const bool quoted = std::any_of(block.begin(), block.end(),
                                    [](const LeadingInclude& include) { return include.quoted; });
    const bool built =
        (!quoted || exercise_header_idempotent(slot)) && precompile(lines, gch, slot);
    std::lock_guard<std::mutex> lock(pch_mutex_);
    Pch& pch = pch_[lines];
    pch.state = built ? PchState::Ready : PchState::Failed;
    pch.gch = gch;
    return built ? std::optional<fs::path>(gch) : std::nullopt;
  }

  // The blocks expect() found wanted often enough, most wanted first, built one after the
  // other on the expected slot while the caller goes on (the harness compile). A compile
  // that wants one still being built goes without, as it does while a worker builds one.
  void precompile_expected() {
    std::vector<std::pair<std::string, Expected>> wanted;
    for (auto& [lines, expected] : expected_) {
      if (expected.count >= kPrecompileAfter) wanted.emplace_back(lines, expected);
    }
    expected_.clear();
    std::stable_sort(wanted.begin(), wanted.end(),
                     [](const auto& a, const auto& b) { return a.second.count > b.second.count; });
    std::vector<std::pair<std::pair<std::string, std::vector<LeadingInclude>>, fs::path>> jobs;
    {
      std::lock_guard<std::mutex> lock(pch_mutex_);
      for (auto& [lines, expected] : wanted) {
        Pch& pch = pch_[lines];
        if (pch.state != PchState::Absent || pch_built_ >= kMostPrecompiledBlocks) continue;
        pch.state = PchState::Building;
        jobs.push_back({{lines, expected.block}, next_gch_path(expected.block)});
      }
    }
    if (jobs.empty()) return;
    const int slot = expected_slot_;
    expected_builds_ = std::async(std::launch::async, [this, jobs = std::move(jobs), slot] {
      for (const auto& [block, gch] : jobs) {
        try {
          build_block(block.second, block.first, gch, slot);
        } catch (const std::exception&) {
          // A sandbox failure here only costs the speed-up; the compiles report their own.
          std::lock_guard<std::mutex> lock(pch_mutex_);
          pch_[block.first].state = PchState::Failed;
        }
      }
    });
  }

  // The sources g++ compiles for a block: the folder layout and include paths of a student's
  // compile, so that each #include finds the same file.
  RunRequest header_request(const fs::path& work, const std::string& lines,
                            std::vector<std::string> output_flags, int slot) const {
    const fs::path box = work / "box";
    fs::create_directories(work / "out");
    fs::create_directories(work / "io");
    detail::write_text(box / "block.hpp", lines);
    if (language_.header) {
      detail::copy_into(*language_.header,
                        box / kGraderDir / "include" / language_.header->filename());
    }
    std::vector<std::string> argv = {kCompiler};
    argv.insert(argv.end(), kFlags.begin(), kFlags.end());
    argv.insert(argv.end(), {"-iquote", ".", fmt::format("-I{}/include", kGraderDir), kRenameMain});
    argv.insert(argv.end(), output_flags.begin(), output_flags.end());
    return RunRequest{argv, box, work / "out", work / "io", false, compile_limits(spec_.limits),
                      {},   slot};
  }

  // The lines compiled as a header with the student's flags and macros. A failure only costs
  // the speed-up: the compiles read the headers themselves.
  bool precompile(const std::string& lines, const fs::path& gch, int slot) {
    const fs::path work = gch.parent_path() / "work";
    const RunOutcome outcome = sandbox_.run(
        header_request(work, lines, {"-x", "c++-header", "block.hpp", "-o", "block.gch"}, slot));
    std::error_code ec;
    const bool ok = outcome.termination == Termination::Exited && outcome.exit_code == 0 &&
                    fs::is_regular_file(work / "out" / "block.gch", ec);
    if (ok) fs::rename(work / "out" / "block.gch", gch, ec);
    fs::remove_all(work, ec);
    return ok && !ec && fs::is_regular_file(gch, ec);
  }

  // Whether including the exercise's header a second time adds nothing: the preprocessed text
  // and macros of one inclusion and of two are the same. Asked once per run.
  bool exercise_header_idempotent(int slot) {
    std::call_once(header_checked_, [&] {
      const std::string include =
          fmt::format("#include \"{}\"\n", language_.header->filename().string());
      std::optional<std::string> texts[2];
      for (int twice = 0; twice < 2; ++twice) {
        const fs::path work = pch_dir_ / fmt::format("idempotent-{}", twice);
        const RunOutcome outcome = sandbox_.run(
            header_request(work, twice == 1 ? include + include : include,
                           {"-E", "-P", "-dD", "-x", "c++", "block.hpp", "-o", "block.ii"}, slot));
        if (outcome.termination == Termination::Exited && outcome.exit_code == 0) {
          texts[twice] = detail::read_text(work / "out" / "block.ii");
        }
        std::error_code ec;
        fs::remove_all(work, ec);
      }
      header_idempotent_ = texts[0] && texts[1] && *texts[0] == *texts[1];
    });
    return header_idempotent_;
  }

  // A hard link where the file system allows one (the box copies its files in, or mounts this
  // one read-only, so nothing in the box can write to the original), else a copy.
  static void link_or_copy(const fs::path& from, const fs::path& to) {
    fs::create_directories(to.parent_path());
    std::error_code ec;
    fs::create_hard_link(from, to, ec);
    if (ec) detail::copy_into(from, to);
  }

  struct Expected {
    int count = 0;
    std::vector<LeadingInclude> block;
  };
  std::map<std::string, Expected> expected_;  // by include_lines(); until prepare
  int expected_slot_ = 1;
  int pch_built_ = 0;  // under pch_mutex_
  std::once_flag header_checked_;
  bool header_idempotent_ = false;
  std::mutex pch_mutex_;
  std::map<std::string, Pch> pch_;
  fs::path pch_dir_;

  const ExerciseSpec& spec_;
  Sandbox& sandbox_;
  LanguageSpec language_;
  fs::path harness_object_;
  std::string identity_;
  // Last: destroyed first, so that it waits for the background builds while the members they
  // use are still there.
  std::future<void> expected_builds_;
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
  identity += " precompiled-headers harness-O1";
  toolchain->set_identity(identity);
  return toolchain;
}

}  // namespace grader
