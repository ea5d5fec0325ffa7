#pragma once
/// \file
/// Similarity across a class: which submissions share code, after renaming, reordering and
/// reformatting, and where. Each submission's files are tokenised (tokenize.hpp), every k
/// consecutive tokens (a k-gram) hashed, and the hashes winnowed (Schleimer, Wilkerson and Aiken,
/// "Winnowing: local algorithms for document fingerprinting", SIGMOD 2003): in every window of w
/// consecutive k-gram hashes the smallest is kept as a fingerprint. Winnowing guarantees that
/// two files sharing a run of at least t = w + k - 1 tokens share at least one fingerprint, and
/// ignores every match shorter than k tokens.
///
/// Fingerprints of the exercise's starter files and header are removed, and so are those found
/// in more than a given share of the class (boilerplate every solution of a small exercise
/// writes). An inverted index from fingerprint to submissions finds the pairs that share any, so
/// the cost grows with the number of shared fingerprints, not with the number of pairs.
/// Submissions in different languages are never compared. See docs/similarity.md.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "grader/status.hpp"

namespace grader {

struct ExerciseSpec;

/// The parameters of the check; every default is defined here and only here.
struct SimilarityOptions {
  std::size_t kgram = 10;  ///< k: tokens per hashed k-gram (the noise threshold)
  std::size_t window = 4;  ///< w: k-gram hashes per winnowing window
  /// A pair is reported when its score (SimilarPair::score) is at least this (0..1).
  double threshold = 0.3;
  /// A fingerprint found in more than this share of the submissions of one language is
  /// boilerplate and ignored (0..1) ...
  double boilerplate_share = 0.05;
  /// ... provided it is found in more than this many submissions: in a small class a share
  /// would otherwise make a fingerprint that three students share boilerplate.
  std::size_t boilerplate_min_count = 4;
  /// A pair is reported only when it shares at least this many fingerprints: a submission that
  /// is almost all starter code and boilerplate cannot reach the threshold with one or two.
  std::size_t min_shared = 8;

  /// t = w + k - 1: the length in tokens of the shortest match that is sure to be found.
  std::size_t guarantee_tokens() const { return window + kgram - 1; }
};

/// One source file to compare: its path relative to its submission, and its text.
struct SimilaritySource {
  std::string file;
  std::string text;
};

/// One submission to compare.
struct SimilarityInput {
  std::string id;
  Language language = Language::Cpp;
  std::vector<SimilaritySource> files;
};

/// Lines `first`..`last` (1-based, inclusive) of one file of a submission.
struct LineRange {
  std::string file;
  std::uint32_t first = 0;
  std::uint32_t last = 0;
};

/// A stretch of code that two submissions share: where it is in each, and how many
/// fingerprints it holds.
struct SimilarityMatch {
  LineRange a;
  LineRange b;
  std::size_t fingerprints = 0;
};

/// Two submissions that share more than the threshold.
struct SimilarPair {
  std::string a;  ///< the id that sorts first
  std::string b;
  Language language = Language::Cpp;
  std::size_t shared = 0;          ///< fingerprints in common (after exclusions)
  std::size_t fingerprints_a = 0;  ///< a's fingerprints that count (not starter, not boilerplate)
  std::size_t fingerprints_b = 0;
  double score_a = 0.0;                  ///< shared / fingerprints_a: how much of a is found in b
  double score_b = 0.0;                  ///< shared / fingerprints_b
  std::vector<SimilarityMatch> matches;  ///< largest first, at most 100
  /// The harmonic mean of score_a and score_b, 2 * shared / (fingerprints_a + fingerprints_b):
  /// the threshold and the ranking key. Padding a copy with code of one's own lowers one
  /// direction only, so the mean of both is used; a small submission wholly found in a large one
  /// (score 1 one way) is not enough on its own.
  double score() const {
    const std::size_t total = fingerprints_a + fingerprints_b;
    return total == 0 ? 0.0 : 2.0 * static_cast<double>(shared) / static_cast<double>(total);
  }
};

/// A submission left out of the comparison, and why.
struct SimilaritySkipped {
  std::string id;
  std::string reason;
};

/// The result of the check, as it goes into the report's `similarity` section.
struct SimilarityResult {
  SimilarityOptions options;
  std::size_t compared = 0;  ///< submissions fingerprinted
  std::vector<SimilaritySkipped> skipped;
  std::vector<SimilarPair> pairs;  ///< ranked: highest score first, then most shared
  /// The files of the submissions in `pairs`, for the dashboard's side-by-side view (not in the
  /// JSON report). Each text is capped at kMaxLexedBytes.
  std::vector<SimilarityInput> sources;
};

/// Fingerprints of one token sequence: each selected k-gram hash with the index of the k-gram's
/// first token.
struct Fingerprint {
  std::uint64_t hash = 0;
  std::uint32_t position = 0;
};

/// The hash of every k-gram of `symbols` (symbols.size() - k + 1 of them; none when there are
/// fewer than k symbols).
std::vector<std::uint64_t> kgram_hashes(const std::vector<std::uint32_t>& symbols, std::size_t k);

/// Robust winnowing of `hashes` with windows of `w`: in each window the smallest hash (the
/// rightmost of equal ones) is selected, each selection recorded once. A sequence shorter than
/// one window yields its smallest hash. Positions index `hashes`.
std::vector<Fingerprint> winnow(const std::vector<std::uint64_t>& hashes, std::size_t w);

/// Compares every submission with every other of the same language through an inverted index
/// of fingerprints. `excluded` holds the exercise's own files per language (starter code, the
/// header): every k-gram of theirs is removed from the submissions.
SimilarityResult compare_submissions(const std::vector<SimilarityInput>& inputs,
                                     const std::vector<SimilarityInput>& excluded,
                                     const SimilarityOptions& options);

/// Reads the submission at `path` (a folder or a file, as for grading) for the check. A
/// submission that cannot be compared (no sources, both languages, unreadable) comes back with
/// no files and `reason` set; it never throws for a student's files.
SimilarityInput read_similarity_input(const std::filesystem::path& path, std::string& reason);

/// The exercise's own files to exclude: each language's starter file, and the C++ header.
/// Files that cannot be read are left out.
std::vector<SimilarityInput> exercise_files(const ExerciseSpec& spec);

/// The whole check on submissions at `paths`: reads them (those that cannot be compared go to
/// `skipped`), removes what `spec`'s own files hold (none when `spec` is null) and compares.
SimilarityResult check_similarity(const std::vector<std::filesystem::path>& paths,
                                  const ExerciseSpec* spec, const SimilarityOptions& options);

}  // namespace grader
