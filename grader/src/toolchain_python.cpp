// Python submissions: the only place that builds python3 command lines.

#include <fmt/format.h>
#include <unistd.h>

#include "files.hpp"
#include "grader/error.hpp"
#include "grader/toolchain.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultInterpreter = "/usr/bin/python3";
constexpr const char* kGraderDir = ".grader";

// Compiles (never runs) every file named on the command line and prints each syntax error as
// `file:line:col: error: SyntaxError: message`, the source line and a caret.
constexpr const char* kSyntaxCheck = R"PY(
import sys
failed = 0
for path in sys.argv[1:]:
    try:
        with open(path, "rb") as handle:
            source = handle.read()
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as error:
        failed += 1
        line = error.lineno or 0
        column = error.offset or 0
        print(f"{path}:{line}:{column}: error: {type(error).__name__}: {error.msg}")
        if error.text:
            text = error.text.rstrip("\r\n")
            print("    " + text)
            print("    " + " " * max(column - 1, 0) + "^")
    except (ValueError, UnicodeDecodeError) as error:
        failed += 1
        print(f"{path}:1:1: error: {type(error).__name__}: {error}")
sys.exit(1 if failed else 0)
)PY";

class PythonToolchain final : public Toolchain {
 public:
  PythonToolchain(const ExerciseSpec& spec, Sandbox& sandbox, LanguageSpec language,
                  std::string interpreter)
      : spec_(spec),
        sandbox_(sandbox),
        language_(std::move(language)),
        interpreter_(std::move(interpreter)) {}

  Language language() const override { return Language::Python; }

  void prepare(const fs::path&) override {}

  BuildResult build(const Submission& submission, const fs::path& work_dir, int slot) override {
    const fs::path program_dir = work_dir / "program";
    const fs::path io = work_dir / "build-io";
    fs::create_directories(io);
    std::vector<std::string> python_files;
    for (const auto& file : submission.files) {
      detail::copy_into(submission.root / file, program_dir / file);
      if (file.extension() == ".py") python_files.push_back(file.generic_string());
    }
    std::vector<std::string> argv = {interpreter_, "-I", "-B", "-c", kSyntaxCheck};
    argv.insert(argv.end(), python_files.begin(), python_files.end());
    RunRequest request{argv, program_dir, std::nullopt, io, false, compile_limits(spec_.limits),
                       {},   slot};
    RunOutcome outcome = sandbox_.run(request);
    BuildResult result;
    std::string diagnostics = outcome.stdout_text;
    if (outcome.termination == Termination::Exited && outcome.exit_code == 0) {
      result.ok = true;
      detail::copy_into(language_.harness, program_dir / kGraderDir / "harness.py");
      result.program.argv = {interpreter_, "-I", "-B", fmt::format("{}/harness.py", kGraderDir),
                             submission.sources.front().generic_string()};
      result.program.files_dir = program_dir;
    } else if (outcome.termination != Termination::Exited || diagnostics.empty()) {
      diagnostics += fmt::format("the syntax check {}\n{}", describe(outcome),
                                 detail::cap_text(outcome.stderr_text, 2048));
    }
    result.errors = parse_compiler_errors(diagnostics);
    result.diagnostics = detail::cap_text(diagnostics, kMaxDiagnosticsBytes);
    return result;
  }

  std::string identity() const override { return "python " + interpreter_; }

 private:
  const ExerciseSpec& spec_;
  Sandbox& sandbox_;
  LanguageSpec language_;
  std::string interpreter_;
};

}  // namespace

std::unique_ptr<Toolchain> make_python_toolchain(const ExerciseSpec& spec, Sandbox& sandbox,
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
  return std::make_unique<PythonToolchain>(spec, sandbox, language->second, chosen);
}

}  // namespace grader
