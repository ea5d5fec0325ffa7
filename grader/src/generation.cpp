// Generated cases: a fully specified generator, so that the same seed draws the same cases on
// every platform and standard library.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "grader/exercise.hpp"

namespace grader {
namespace {

// splitmix64: a tiny, fully specified generator, so that generated cases are the same on every
// platform and standard library (std::uniform_real_distribution is not).
class SplitMix64 {
 public:
  explicit SplitMix64(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1) with 53 random bits.
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

 private:
  std::uint64_t state_;
};

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

double draw(SplitMix64& rng, const ParamRange& range) {
  const double scale = std::pow(10.0, range.decimals);
  const double raw = range.min + rng.unit() * (range.max - range.min);
  double value = std::round(raw * scale) / scale;
  value = std::clamp(value, range.min, range.max);
  return value == 0.0 ? 0.0 : value;  // never -0.0
}

}  // namespace

std::vector<std::vector<double>> draw_candidates(const ExerciseSpec& spec, std::size_t task_index,
                                                 std::size_t count) {
  const TaskSpec& task = spec.tasks.at(task_index);
  std::vector<std::vector<double>> candidates;
  if (!task.generation) return candidates;
  const Generation& generation = *task.generation;
  SplitMix64 rng(spec.seed ^ fnv1a(task.id));
  // A bounded number of draws: a spec whose constraints can never hold must not hang the grader.
  const std::size_t max_draws = count * 1000 + 1000;
  for (std::size_t draws = 0; candidates.size() < count && draws < max_draws; ++draws) {
    std::vector<double> args;
    bool ok = true;
    for (const ParamRange& range : generation.params) {
      const double value = draw(rng, range);
      if (range.nonzero && value == 0.0) ok = false;
      args.push_back(value);
    }
    for (const MinDifference& d : generation.min_abs_difference) {
      if (std::fabs(args[d.first] - args[d.second]) < d.distance) ok = false;
    }
    if (ok) candidates.push_back(std::move(args));
  }
  return candidates;
}

}  // namespace grader
