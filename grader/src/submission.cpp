#include "grader/submission.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "grader/error.hpp"
#include "grader/exercise.hpp"
#include "grader/hash.hpp"

namespace grader {
namespace {

namespace fs = std::filesystem;

bool has_extension(const fs::path& path, std::initializer_list<const char*> extensions) {
  const std::string ext = path.extension().string();
  return std::any_of(extensions.begin(), extensions.end(), [&](const char* e) { return ext == e; });
}

bool is_cpp_source(const fs::path& p) { return has_extension(p, {".cpp", ".cc", ".cxx"}); }
bool is_cpp_header(const fs::path& p) {
  return has_extension(p, {".hpp", ".h", ".hh", ".hxx", ".ipp", ".inc"});
}
bool is_python(const fs::path& p) { return has_extension(p, {".py"}); }

// Reads a whole file; empty optional when it cannot be read.
std::optional<std::string> slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return buffer.str();
}

// Checks one file the grader will use; returns a problem in words, or "".
std::string check_file(const fs::path& full, const fs::path& shown) {
  std::error_code ec;
  const auto size = fs::file_size(full, ec);
  if (ec) return fmt::format("cannot read \"{}\": {}", shown.string(), ec.message());
  if (size > kMaxSourceBytes) {
    return fmt::format("\"{}\" is {} bytes; source files may be at most {} bytes", shown.string(),
                       size, kMaxSourceBytes);
  }
  auto content = slurp(full);
  if (!content)
    return fmt::format("cannot read \"{}\": permission denied or I/O error", shown.string());
  if (content->find('\0') != std::string::npos) {
    return fmt::format("\"{}\" is not a text file (it contains NUL bytes)", shown.string());
  }
  return {};
}

void decide_language(Submission& s) {
  std::vector<fs::path> cpp;
  std::vector<fs::path> python;
  for (const auto& f : s.files) {
    if (is_cpp_source(f)) cpp.push_back(f);
    if (is_python(f)) python.push_back(f);
  }
  if (cpp.empty() && python.empty()) {
    s.problem = s.files.empty()
                    ? "no source files: hand in .cpp files (C++) or one .py file (Python)"
                    : "no .cpp or .py source among the files handed in";
    return;
  }
  if (!cpp.empty() && !python.empty()) {
    s.problem = fmt::format("both C++ ({}) and Python ({}) sources: hand in one language only",
                            cpp.front().string(), python.front().string());
    return;
  }
  if (!cpp.empty()) {
    s.language = Language::Cpp;
    s.sources = cpp;
    return;
  }
  s.language = Language::Python;
  if (python.size() == 1) {
    s.sources = python;
    return;
  }
  auto main_py = std::find(python.begin(), python.end(), fs::path("main.py"));
  if (main_py == python.end()) {
    s.problem = fmt::format(
        "{} .py files and no main.py: put the functions of the exercise in main.py (other .py "
        "files may "
        "be imported from it)",
        python.size());
    return;
  }
  s.sources = {*main_py};
}

}  // namespace

Submission discover_submission(const fs::path& path) {
  Submission s;
  s.path = path;
  std::error_code ec;
  const auto status = fs::symlink_status(path, ec);
  if (ec || !fs::exists(status)) {
    throw UsageError(fmt::format("\"{}\": no such file or directory", path.string()));
  }
  fs::path canonical = fs::weakly_canonical(path, ec);
  if (ec) canonical = path;
  if (fs::is_symlink(status)) {
    // Following it would let a submission name any file of the grading machine.
    s.id = path.filename().string();
    if (const auto dot = s.id.rfind('.'); dot != std::string::npos && dot > 0) s.id.resize(dot);
    s.problem = fmt::format("\"{}\" is a symbolic link; hand in regular files and folders",
                            path.filename().string());
    return s;
  }
  if (fs::is_directory(status)) {
    s.id = canonical.filename().string();
    s.root = path;
    std::vector<fs::path> all;
    // Dot folders (.git, .vscode) are not part of the work; symlinks are never followed.
    fs::recursive_directory_iterator it(path, fs::directory_options::none, ec), end;
    if (ec) {
      s.problem = fmt::format("cannot read the folder \"{}\": {}", path.string(), ec.message());
      return s;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        s.problem = fmt::format("cannot read the folder \"{}\": {}", path.string(), ec.message());
        return s;
      }
      const fs::path name = it->path().filename();
      if (name.string().front() == '.') {
        if (it->is_directory(ec)) it.disable_recursion_pending();
        continue;
      }
      if (!it->is_regular_file(ec) || it->is_symlink(ec)) continue;
      all.push_back(it->path().lexically_relative(path));
      if (all.size() > kMaxSourceFiles * 10) break;
    }
    if (all.empty()) {
      s.problem = "the folder is empty: hand in .cpp files (C++) or one .py file (Python)";
      return s;
    }
    for (const auto& f : all) {
      if (is_cpp_source(f) || is_cpp_header(f) || is_python(f)) s.files.push_back(f);
    }
    std::sort(s.files.begin(), s.files.end());
    if (s.files.size() > kMaxSourceFiles) {
      s.problem =
          fmt::format("{} source files; at most {} are accepted", s.files.size(), kMaxSourceFiles);
      return s;
    }
  } else if (fs::is_regular_file(status)) {
    s.id = canonical.stem().string();
    s.root = path.has_parent_path() ? path.parent_path() : fs::path(".");
    if (!is_cpp_source(path) && !is_python(path)) {
      s.problem = fmt::format("\"{}\" is neither a C++ source (.cpp) nor a Python file (.py)",
                              path.filename().string());
      return s;
    }
    s.files.push_back(path.filename());
  } else {
    s.id = canonical.filename().string();
    s.problem = fmt::format("\"{}\" is neither a regular file nor a folder", path.string());
    return s;
  }
  for (const auto& f : s.files) {
    if (std::string problem = check_file(s.root / f, f); !problem.empty()) {
      s.problem = problem;
      return s;
    }
  }
  decide_language(s);
  return s;
}

std::vector<fs::path> list_batch(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw UsageError(fmt::format("\"{}\": not a folder of submissions", dir.string()));
  }
  std::vector<fs::path> entries;
  for (fs::directory_iterator it(dir, ec), end; it != end; it.increment(ec)) {
    if (ec) break;
    if (it->path().filename().string().front() == '.') continue;
    entries.push_back(it->path());
  }
  if (ec) throw UsageError(fmt::format("\"{}\": cannot list: {}", dir.string(), ec.message()));
  std::sort(entries.begin(), entries.end());
  return entries;
}

std::vector<fs::path> without_other_exercises(std::vector<fs::path> paths,
                                              const fs::path& exercises_root,
                                              const std::string& graded, std::ostream& notes) {
  const std::vector<std::string> ids = list_exercises(exercises_root);
  std::vector<fs::path> kept;
  for (fs::path& path : paths) {
    const std::string name = path.filename().string();
    std::error_code ec;
    if (name != graded && fs::is_directory(path, ec) &&
        std::find(ids.begin(), ids.end(), name) != ids.end()) {
      notes << fmt::format(
          "grader: skipped {}: the examples of exercise {} (grade them with "
          "--exercise {})\n",
          path.string(), name, name);
      continue;
    }
    kept.push_back(std::move(path));
  }
  return kept;
}

std::string content_hash(const Submission& submission) {
  Sha256 hash;
  for (const auto& f : submission.files) {
    const std::string name = f.generic_string();
    hash.update(fmt::format("{}:{}\n", name.size(), name));
    const std::string content = slurp(submission.root / f).value_or("");
    hash.update(fmt::format("{}\n", content.size()));
    hash.update(content);
  }
  return hash.hex_digest();
}

}  // namespace grader
