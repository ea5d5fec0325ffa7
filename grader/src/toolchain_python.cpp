// Python submissions: the only place that builds python3 command lines.

#include <fmt/format.h>
#include <unistd.h>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/harness.hpp"
#include "grader/toolchain.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultInterpreter = "/usr/bin/python3";
constexpr const char* kGraderDir = ".grader";

// The first thing every launch runs: compiles (never runs) each of the submission's files and,
// only when all compile, hands over to the exercise's harness as if it had been started itself.
// Otherwise it reports each syntax error on the channel (fd 3) as `build_error MESSAGE`, with
// lines `file:line:col: error: SyntaxError: message`, the source line and a caret, and exits
// without running anything. One interpreter start per launch instead of a check launch and a
// run launch. The harness then runs as runpy.run_path(harness, run_name="__main__") would run
// it (a fresh __main__ module with its __file__), without importing runpy, which brings
// pkgutil and typing: about 9 ms of a 25 ms launch. The harness's code comes from HARNESS + "c"
// when that file holds it compiled by this interpreter from this very source (kCompileHarness
// writes it once per exercise; checked by magic number and source hash), else from compiling
// HARNESS: 2 ms of every launch. The interpreter starts with -S (no `site`): `site` imports
// a dozen modules and runs the host's .pth files and sitecustomize, about 1.5 ms, and host code
// has no business in a student's box. The launcher instead sets sys.path to the list that
// `site` made when kCompileHarness ran (the file sys-path beside HARNESS), and binds exit,
// quit and help as `site` does; without that file it runs `site` itself. argv: HARNESS
// STUDENT_FILE COUNT FILE... then the runner's CASES_FILE.
constexpr const char* kLauncher = R"PY(
import sys
if sys.path and sys.path[0] in ("", "."):  # -c before Python 3.11: as -I does for a script
    del sys.path[0]
def check(paths):
    lines = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                source = handle.read()
            compile(source, path, "exec", dont_inherit=True)
        except SyntaxError as error:
            line = error.lineno or 0
            column = error.offset or 0
            lines.append(f"{path}:{line}:{column}: error: {type(error).__name__}: {error.msg}")
            if error.text:
                text = error.text.rstrip("\r\n")
                lines.append("    " + text)
                lines.append("    " + " " * max(column - 1, 0) + "^")
        except (ValueError, UnicodeDecodeError, OSError) as error:
            lines.append(f"{path}:1:1: error: {type(error).__name__}: {error}")
    return "\n".join(lines)[:16384]
harness, student, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
errors = check(sys.argv[4:4 + count])
if errors:
    escaped = errors.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    with open(3, "w", closefd=False) as channel:
        channel.write("build_error " + escaped.replace("\t", "\\t") + "\n")
    sys.exit(0)
del check, errors
try:
    with open(harness[:harness.rfind("/") + 1] + "sys-path", "rb") as handle:
        sys.path[:] = handle.read().decode("utf-8", "surrogateescape").split("\0")
    import builtins, _sitebuiltins
    builtins.exit = _sitebuiltins.Quitter("exit", "Ctrl-D (i.e. EOF)")
    builtins.quit = _sitebuiltins.Quitter("quit", "Ctrl-D (i.e. EOF)")
    builtins.help = _sitebuiltins._Helper()
    del builtins, _sitebuiltins
except OSError:
    import site
    site.main()
    del site
sys.argv = [harness, student] + sys.argv[4 + count:]
with open(harness, "rb") as handle:
    source = handle.read()
code = None
try:
    import _imp, marshal, _frozen_importlib_external as bootstrap
    with open(harness + "c", "rb") as handle:
        compiled = handle.read()
    if (compiled[:4] == bootstrap.MAGIC_NUMBER and
            compiled[8:16] == _imp.source_hash(bootstrap._RAW_MAGIC_NUMBER, source)):
        code = marshal.loads(compiled[16:])
    del _imp, marshal, bootstrap, compiled
except Exception:
    pass
if code is None:
    code = compile(source, harness, "exec", dont_inherit=True)
main = type(sys)("__main__")
main.__file__, main.__cached__, main.__package__ = harness, None, ""
sys.modules["__main__"] = main
del handle, harness, student, count, source
exec(code, main.__dict__)
)PY";

// Run once per exercise, in the box, with `site`: compiles the harness (argv[1]) as the
// launcher would and writes it to argv[2] in the layout of a hash-based .pyc (magic number,
// flags, source hash, marshalled code), which only this interpreter's version can read; and
// writes the sys.path that `site` made to argv[3], NUL-separated, for the launcher.
constexpr const char* kCompileHarness = R"PY(
import sys, _imp, marshal, _frozen_importlib_external as bootstrap
with open(sys.argv[1], "rb") as handle:
    source = handle.read()
code = compile(source, sys.argv[1], "exec", dont_inherit=True)
with open(sys.argv[2], "wb") as out:
    out.write(bootstrap.MAGIC_NUMBER + (3).to_bytes(4, "little") +
              _imp.source_hash(bootstrap._RAW_MAGIC_NUMBER, source) + marshal.dumps(code))
if len(sys.argv) > 3:
    with open(sys.argv[3], "wb") as out:
        out.write("\0".join(sys.path).encode("utf-8", "surrogateescape"))
)PY";

}  // namespace

std::string_view python_launcher_source() { return kLauncher; }

std::string_view python_harness_compiler_source() { return kCompileHarness; }

namespace {

class PythonToolchain final : public Toolchain {
 public:
  PythonToolchain(const ExerciseSpec& spec, Sandbox* sandbox, LanguageSpec language,
                  std::string interpreter)
      : spec_(spec),
        sandbox_(sandbox),
        language_(std::move(language)),
        interpreter_(std::move(interpreter)) {}

  Language language() const override { return Language::Python; }

  // The harness compiled once, in the box, by the interpreter that runs it. Without it (no
  // sandbox given, or the compile failed) every launch compiles the harness itself.
  void prepare(const fs::path& work_dir) override {
    const fs::path out = work_dir / "harness-out";
    std::error_code ec;
    if (fs::is_regular_file(out / "harness.pyc", ec)) {  // restored from the cache
      compiled_harness_ = out / "harness.pyc";
      if (fs::is_regular_file(out / "sys-path", ec)) site_path_ = out / "sys-path";
      return;
    }
    if (sandbox_ == nullptr) return;
    const fs::path box = work_dir / "harness-box";
    const fs::path io = work_dir / "harness-io";
    fs::create_directories(box / kGraderDir / "out");
    fs::create_directories(out);
    fs::create_directories(io);
    detail::write_text(box / kGraderDir / "harness.py", std::string(python_harness_source()));
    const std::string harness = fmt::format("{}/harness.py", kGraderDir);
    RunRequest request{
        {interpreter_, "-I", "-B", "-c", kCompileHarness, harness,
         fmt::format("{}/out/harness.pyc", kGraderDir), fmt::format("{}/out/sys-path", kGraderDir)},
        box,
        out,
        io,
        false,
        compile_limits(spec_.limits),
        {},
        0};
    request.copy_out_from = fs::path(kGraderDir) / "out";
    const RunOutcome outcome = sandbox_->run(request);
    if (outcome.termination == Termination::Exited && outcome.exit_code == 0 &&
        fs::is_regular_file(out / "harness.pyc", ec)) {
      compiled_harness_ = out / "harness.pyc";
      if (fs::is_regular_file(out / "sys-path", ec)) site_path_ = out / "sys-path";
    }
    fs::remove_all(box, ec);
  }

  std::vector<fs::path> prepared_files() const override {
    std::vector<fs::path> files;
    if (!compiled_harness_.empty()) files.emplace_back("harness-out/harness.pyc");
    if (!site_path_.empty()) files.emplace_back("harness-out/sys-path");
    return files;
  }

  // Nothing runs here: the syntax check is the start of every launch (kLauncher), and its
  // errors come back from the runner as RunnerResult::build_error.
  BuildResult build(const Submission& submission, const fs::path& work_dir, int) override {
    const fs::path program_dir = work_dir / "program";
    std::vector<std::string> python_files;
    for (const auto& file : submission.files) {
      detail::copy_into(submission.root / file, program_dir / file);
      if (file.extension() == ".py") python_files.push_back(file.generic_string());
    }
    detail::write_text(program_dir / kGraderDir / "harness.py",
                       std::string(python_harness_source()));
    if (!compiled_harness_.empty()) {
      detail::copy_into(compiled_harness_, program_dir / kGraderDir / "harness.pyc");
    }
    if (!site_path_.empty()) detail::copy_into(site_path_, program_dir / kGraderDir / "sys-path");
    BuildResult result;
    result.ok = true;
    result.program.argv = {interpreter_,
                           "-I",
                           "-S",
                           "-B",
                           "-c",
                           kLauncher,
                           fmt::format("{}/harness.py", kGraderDir),
                           submission.sources.front().generic_string(),
                           std::to_string(python_files.size())};
    result.program.argv.insert(result.program.argv.end(), python_files.begin(), python_files.end());
    // The third-party modules the exercise allows; the runner appends the cases file.
    result.program.argv.insert(result.program.argv.end(), language_.modules.begin(),
                               language_.modules.end());
    result.program.files_dir = program_dir;
    return result;
  }

  // "launch 2": the syntax check moved into the run's launch; "launch 3": the compiled harness;
  // "launch 4": -S, with the sys.path that `site` made once.
  std::string identity() const override { return "python " + interpreter_ + " launch 4"; }

 private:
  const ExerciseSpec& spec_;
  Sandbox* sandbox_;
  LanguageSpec language_;
  std::string interpreter_;
  fs::path compiled_harness_;
  fs::path site_path_;  ///< sys.path as `site` made it, NUL-separated
};

}  // namespace

std::unique_ptr<Toolchain> make_python_toolchain(const ExerciseSpec& spec,
                                                 const std::string& interpreter, Sandbox* sandbox) {
  auto language = spec.languages.find(Language::Python);
  if (language == spec.languages.end()) {
    throw SpecError(fmt::format("{}: /languages: exercise \"{}\" has no Python harness",
                                spec.spec_file.string(), spec.id));
  }
  std::string chosen = interpreter;
  if (chosen.empty()) chosen = language->second.interpreter;
  if (chosen.empty()) chosen = kDefaultInterpreter;
  if (!fs::path(chosen).is_absolute()) {
    throw ToolchainError(fmt::format(
        "Python interpreter \"{}\": give an absolute path (for example /usr/bin/python3)", chosen));
  }
  if (::access(chosen.c_str(), X_OK) != 0) {
    throw ToolchainError(fmt::format(
        "the Python interpreter {} is missing or not executable: install the Debian package "
        "python3 or name another with --python",
        chosen));
  }
  return std::make_unique<PythonToolchain>(spec, sandbox, language->second, chosen);
}

}  // namespace grader
