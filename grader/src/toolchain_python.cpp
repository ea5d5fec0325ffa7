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
// pkgutil and typing: about 9 ms of a 25 ms launch. argv: HARNESS STUDENT_FILE COUNT FILE...
// then the runner's CASES_FILE.
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
sys.argv = [harness, student] + sys.argv[4 + count:]
with open(harness, "rb") as handle:
    code = compile(handle.read(), harness, "exec", dont_inherit=True)
main = type(sys)("__main__")
main.__file__, main.__cached__, main.__package__ = harness, None, ""
sys.modules["__main__"] = main
del handle, harness, student, count
exec(code, main.__dict__)
)PY";

class PythonToolchain final : public Toolchain {
 public:
  PythonToolchain(LanguageSpec language, std::string interpreter)
      : language_(std::move(language)), interpreter_(std::move(interpreter)) {}

  Language language() const override { return Language::Python; }

  void prepare(const fs::path&) override {}

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
    BuildResult result;
    result.ok = true;
    result.program.argv = {interpreter_,
                           "-I",
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

  // "launch 2": the syntax check moved into the run's launch.
  std::string identity() const override { return "python " + interpreter_ + " launch 2"; }

 private:
  LanguageSpec language_;
  std::string interpreter_;
};

}  // namespace

std::unique_ptr<Toolchain> make_python_toolchain(const ExerciseSpec& spec,
                                                 const std::string& interpreter) {
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
  return std::make_unique<PythonToolchain>(language->second, chosen);
}

}  // namespace grader
