#pragma once
// What the grader's commands share (app.cpp, app_exercise.cpp): where things are, the cache,
// the default number of workers.

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <ostream>
#include <thread>

#include "grader/app.hpp"
#include "grader/cache.hpp"
#include "grader/exercise.hpp"

namespace grader::detail {

/// --exercises, else the folder beside the executable (default_exercises_root).
inline std::filesystem::path exercises_root(const AppOptions& options) {
  return options.exercises_root.empty() ? default_exercises_root(options.executable)
                                        : options.exercises_root;
}

/// $GRADER_BOX, else grader-box beside the executable.
inline std::filesystem::path launcher_path(const AppOptions& options) {
  if (const char* env = std::getenv("GRADER_BOX"); env != nullptr && *env != '\0') return env;
  return options.executable.parent_path() / "grader-box";
}

/// One worker per core.
inline int default_jobs() {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores == 0 ? 1 : static_cast<int>(cores);
}

/// The cache of --cache-dir (else the user's), or none with --no-cache.
inline std::unique_ptr<Cache> open_cache(const AppOptions& options, std::ostream& err) {
  if (options.no_cache) return nullptr;
  const std::filesystem::path dir =
      options.cache_dir.empty() ? default_cache_dir() : options.cache_dir;
  if (dir.empty()) return nullptr;
  return std::make_unique<Cache>(dir, &err);
}

}  // namespace grader::detail
