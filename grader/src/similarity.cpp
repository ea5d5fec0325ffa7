// Similarity across a class: fingerprints by winnowing, an inverted index, pair scores and the
// matched stretches of code. See similarity.hpp for the contract and docs/similarity.md for the
// method.

#include "grader/similarity.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "grader/submission.hpp"
#include "grader/tokenize.hpp"

namespace grader {
namespace {

// A 64-bit finaliser (splitmix64), so that the smallest hashes of a window are spread evenly
// over the k-grams instead of favouring small token symbols.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// One submission, tokenised and fingerprinted. Token positions run across its files; a k-gram
// never spans two files.
struct Prepared {
  std::size_t input = 0;
  std::vector<std::uint32_t> lines;     // line of each token
  std::vector<std::size_t> file_start;  // first token of each file
  std::vector<Fingerprint> prints;      // winnowed, starter code removed
  std::vector<std::uint64_t> kept;      // distinct hashes that count, sorted
};

// Every k-gram hash of the exercise's own files of one language.
std::unordered_set<std::uint64_t> excluded_hashes(const std::vector<SimilarityInput>& excluded,
                                                  Language language, std::size_t k) {
  std::unordered_set<std::uint64_t> out;
  for (const SimilarityInput& input : excluded) {
    if (input.language != language) continue;
    for (const SimilaritySource& file : input.files) {
      std::vector<std::uint32_t> symbols;
      for (const Token& t : tokenize(language, file.text)) symbols.push_back(t.symbol);
      for (const std::uint64_t h : kgram_hashes(symbols, k)) out.insert(h);
    }
  }
  return out;
}

Prepared prepare(const SimilarityInput& input, std::size_t index,
                 const std::unordered_set<std::uint64_t>& excluded,
                 const SimilarityOptions& options) {
  Prepared p;
  p.input = index;
  for (const SimilaritySource& file : input.files) {
    const std::size_t offset = p.lines.size();
    p.file_start.push_back(offset);
    std::vector<std::uint32_t> symbols;
    for (const Token& t : tokenize(input.language, file.text)) {
      symbols.push_back(t.symbol);
      p.lines.push_back(t.line);
    }
    const std::vector<std::uint64_t> hashes = kgram_hashes(symbols, options.kgram);
    for (const Fingerprint& f : winnow(hashes, options.window)) {
      if (excluded.count(f.hash) != 0) continue;
      p.prints.push_back({f.hash, static_cast<std::uint32_t>(offset + f.position)});
    }
  }
  for (const Fingerprint& f : p.prints) p.kept.push_back(f.hash);
  std::sort(p.kept.begin(), p.kept.end());
  p.kept.erase(std::unique(p.kept.begin(), p.kept.end()), p.kept.end());
  return p;
}

std::size_t file_of(const Prepared& p, std::size_t token) {
  const auto it = std::upper_bound(p.file_start.begin(), p.file_start.end(), token);
  return static_cast<std::size_t>(std::distance(p.file_start.begin(), it)) - 1;
}

// A run of matching k-grams: token ranges [start, end) in each submission, one file each.
struct Stretch {
  std::size_t file_a = 0, file_b = 0;
  std::size_t a_start = 0, a_end = 0, b_start = 0, b_end = 0;
  std::size_t last_b = 0;  // b position of the latest match chained
  std::size_t count = 0;
};

bool overlaps(std::size_t s1, std::size_t e1, std::size_t s2, std::size_t e2, std::size_t gap) {
  return s1 <= e2 + gap && s2 <= e1 + gap;
}

// The stretches of code that `a` and `b` share, from their common fingerprints. Matches are
// taken in a's order; one extends a stretch when it follows the stretch's last match on both
// sides, within `gap` tokens (so that a few inserted or changed tokens do not split a stretch,
// while code moved elsewhere, a reordered function, starts a stretch of its own). Stretches
// that overlap on both sides are then merged.
std::vector<SimilarityMatch> find_matches(const Prepared& a, const Prepared& b,
                                          const SimilarityInput& in_a, const SimilarityInput& in_b,
                                          const std::vector<std::uint64_t>& shared,
                                          const SimilarityOptions& options) {
  constexpr std::size_t kMaxPerHash = 4;  // positions per hash and side (repeated code)
  constexpr std::size_t kRecentStretches = 32;
  constexpr std::size_t kMaxMatches = 100;  // the largest stretches of a pair are reported
  const std::unordered_set<std::uint64_t> wanted(shared.begin(), shared.end());
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> in_b_at;
  for (const Fingerprint& f : b.prints) {
    if (wanted.count(f.hash) == 0) continue;
    auto& positions = in_b_at[f.hash];
    if (positions.size() < kMaxPerHash) positions.push_back(f.position);
  }
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;  // (position in a, in b)
  std::unordered_map<std::uint64_t, std::size_t> used_a;
  for (const Fingerprint& f : a.prints) {
    auto it = in_b_at.find(f.hash);
    if (it == in_b_at.end() || used_a[f.hash]++ >= kMaxPerHash) continue;
    for (const std::uint32_t pb : it->second) pairs.emplace_back(f.position, pb);
  }
  std::sort(pairs.begin(), pairs.end());

  const std::size_t k = options.kgram;
  const std::size_t gap = options.guarantee_tokens();
  std::vector<Stretch> stretches;
  for (const auto& [pa, pb] : pairs) {
    const std::size_t fa = file_of(a, pa);
    const std::size_t fb = file_of(b, pb);
    Stretch* into = nullptr;
    // Only the latest stretches are candidates: a copied stretch is chained as it goes, and the
    // cost stays linear however many stretches two large files share.
    std::size_t looked = 0;
    for (auto it = stretches.rbegin(); it != stretches.rend() && looked++ < kRecentStretches;
         ++it) {
      if (it->file_a == fa && it->file_b == fb && pa <= it->a_end + gap && pb > it->last_b &&
          pb <= it->b_end + gap) {
        into = &*it;
        break;
      }
    }
    if (into == nullptr) {
      stretches.push_back({fa, fb, pa, pa + k, pb, pb + k, pb, 1});
      continue;
    }
    into->a_end = std::max(into->a_end, std::size_t{pa} + k);
    into->b_start = std::min(into->b_start, std::size_t{pb});
    into->b_end = std::max(into->b_end, std::size_t{pb} + k);
    into->last_b = pb;
    ++into->count;
  }
  // Merge stretches that overlap on both sides (the same code matched twice), in one pass over
  // the stretches in a's order.
  std::sort(stretches.begin(), stretches.end(), [](const Stretch& x, const Stretch& y) {
    return std::tie(x.file_a, x.file_b, x.a_start) < std::tie(y.file_a, y.file_b, y.a_start);
  });
  std::vector<Stretch> merged;
  for (const Stretch& t : stretches) {
    if (!merged.empty()) {
      Stretch& s = merged.back();
      if (s.file_a == t.file_a && s.file_b == t.file_b &&
          overlaps(s.a_start, s.a_end, t.a_start, t.a_end, 0) &&
          overlaps(s.b_start, s.b_end, t.b_start, t.b_end, 0)) {
        s.a_end = std::max(s.a_end, t.a_end);
        s.b_start = std::min(s.b_start, t.b_start);
        s.b_end = std::max(s.b_end, t.b_end);
        s.count += t.count;
        continue;
      }
    }
    merged.push_back(t);
  }
  stretches = std::move(merged);
  std::sort(stretches.begin(), stretches.end(), [](const Stretch& x, const Stretch& y) {
    if (x.count != y.count) return x.count > y.count;
    return x.a_start < y.a_start;
  });
  if (stretches.size() > kMaxMatches) stretches.resize(kMaxMatches);
  std::vector<SimilarityMatch> out;
  for (const Stretch& s : stretches) {
    SimilarityMatch m;
    m.a = {in_a.files[s.file_a].file, a.lines[s.a_start], a.lines[s.a_end - 1]};
    m.b = {in_b.files[s.file_b].file, b.lines[s.b_start], b.lines[s.b_end - 1]};
    m.fingerprints = s.count;
    out.push_back(std::move(m));
  }
  return out;
}

// Compares the submissions of one language; appends the pairs found to `result`.
void compare_language(const std::vector<SimilarityInput>& inputs,
                      const std::vector<std::size_t>& members,
                      const std::vector<SimilarityInput>& excluded, Language language,
                      SimilarityResult& result) {
  const SimilarityOptions& options = result.options;
  const std::unordered_set<std::uint64_t> starter =
      excluded_hashes(excluded, language, options.kgram);
  std::vector<Prepared> subs;
  subs.reserve(members.size());
  for (const std::size_t i : members) subs.push_back(prepare(inputs[i], i, starter, options));

  // How many submissions hold each fingerprint; too many makes it boilerplate.
  std::unordered_map<std::uint64_t, std::uint32_t> frequency;
  for (const Prepared& p : subs) {
    for (const std::uint64_t h : p.kept) ++frequency[h];
  }
  const double by_share = options.boilerplate_share * static_cast<double>(subs.size());
  const double limit = std::max(by_share, static_cast<double>(options.boilerplate_min_count));
  for (Prepared& p : subs) {
    p.kept.erase(std::remove_if(p.kept.begin(), p.kept.end(),
                                [&](std::uint64_t h) { return frequency[h] > limit; }),
                 p.kept.end());
  }

  // The inverted index: fingerprint -> submissions holding it (only those held by two or more).
  std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> index;
  for (std::uint32_t s = 0; s < subs.size(); ++s) {
    for (const std::uint64_t h : subs[s].kept) {
      if (frequency[h] >= 2) index[h].push_back(s);
    }
  }
  std::unordered_map<std::uint64_t, std::uint32_t> shared_count;  // (a << 32 | b) -> shared
  for (const auto& [hash, holders] : index) {
    for (std::size_t x = 0; x < holders.size(); ++x) {
      for (std::size_t y = x + 1; y < holders.size(); ++y) {
        ++shared_count[(std::uint64_t{holders[x]} << 32) | holders[y]];
      }
    }
  }

  for (const auto& [key, count] : shared_count) {
    const std::size_t x = static_cast<std::size_t>(key >> 32);
    const std::size_t y = static_cast<std::size_t>(key & 0xffffffffu);
    if (count < options.min_shared) continue;
    const std::size_t kept_x = subs[x].kept.size();
    const std::size_t kept_y = subs[y].kept.size();
    if (2.0 * count < options.threshold * static_cast<double>(kept_x + kept_y)) continue;
    const double score_x = static_cast<double>(count) / static_cast<double>(kept_x);
    const double score_y = static_cast<double>(count) / static_cast<double>(kept_y);
    // a is the id that sorts first.
    const bool swap = inputs[subs[y].input].id < inputs[subs[x].input].id;
    const Prepared& a = swap ? subs[y] : subs[x];
    const Prepared& b = swap ? subs[x] : subs[y];
    SimilarPair pair;
    pair.a = inputs[a.input].id;
    pair.b = inputs[b.input].id;
    pair.language = language;
    pair.shared = count;
    pair.fingerprints_a = a.kept.size();
    pair.fingerprints_b = b.kept.size();
    pair.score_a = swap ? score_y : score_x;
    pair.score_b = swap ? score_x : score_y;
    std::vector<std::uint64_t> common;
    std::set_intersection(a.kept.begin(), a.kept.end(), b.kept.begin(), b.kept.end(),
                          std::back_inserter(common));
    pair.matches = find_matches(a, b, inputs[a.input], inputs[b.input], common, options);
    result.pairs.push_back(std::move(pair));
  }
}

}  // namespace

std::vector<std::uint64_t> kgram_hashes(const std::vector<std::uint32_t>& symbols, std::size_t k) {
  std::vector<std::uint64_t> out;
  if (k == 0 || symbols.size() < k) return out;
  // A polynomial rolling hash modulo 2^64, finalised by mix().
  constexpr std::uint64_t kBase = 0x100000001b3ull;
  std::uint64_t top = 1;  // kBase^(k-1)
  for (std::size_t i = 1; i < k; ++i) top *= kBase;
  std::uint64_t h = 0;
  for (std::size_t i = 0; i < k; ++i) h = h * kBase + symbols[i] + 1;
  out.reserve(symbols.size() - k + 1);
  out.push_back(mix(h));
  for (std::size_t i = k; i < symbols.size(); ++i) {
    h = (h - (std::uint64_t{symbols[i - k]} + 1) * top) * kBase + symbols[i] + 1;
    out.push_back(mix(h));
  }
  return out;
}

std::vector<Fingerprint> winnow(const std::vector<std::uint64_t>& hashes, std::size_t w) {
  std::vector<Fingerprint> out;
  if (hashes.empty()) return out;
  if (w == 0) w = 1;
  const std::size_t windows = hashes.size() >= w ? hashes.size() - w + 1 : 1;
  const std::size_t width = std::min(w, hashes.size());
  std::size_t last = hashes.size();  // position of the last selection; none yet
  // A window's minimum is looked up afresh only when the previous one leaves the window, so the
  // cost is linear in practice.
  std::size_t min_at = 0;
  bool have = false;
  for (std::size_t start = 0; start < windows; ++start) {
    const std::size_t end = start + width;  // exclusive
    if (!have || min_at < start) {
      min_at = start;
      for (std::size_t i = start; i < end; ++i) {
        if (hashes[i] <= hashes[min_at]) min_at = i;
      }
      have = true;
    } else if (hashes[end - 1] <= hashes[min_at]) {
      min_at = end - 1;
    }
    if (min_at != last) {
      out.push_back({hashes[min_at], static_cast<std::uint32_t>(min_at)});
      last = min_at;
    }
  }
  return out;
}

SimilarityResult compare_submissions(const std::vector<SimilarityInput>& inputs,
                                     const std::vector<SimilarityInput>& excluded,
                                     const SimilarityOptions& options) {
  SimilarityResult result;
  result.options = options;
  for (const Language language : {Language::Cpp, Language::Python}) {
    std::vector<std::size_t> members;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      if (inputs[i].language == language && !inputs[i].files.empty()) members.push_back(i);
    }
    result.compared += members.size();
    compare_language(inputs, members, excluded, language, result);
  }
  std::sort(result.pairs.begin(), result.pairs.end(),
            [](const SimilarPair& x, const SimilarPair& y) {
              if (x.score() != y.score()) return x.score() > y.score();
              if (x.shared != y.shared) return x.shared > y.shared;
              if (x.a != y.a) return x.a < y.a;
              return x.b < y.b;
            });
  std::map<std::string, std::size_t> by_id;
  for (std::size_t i = 0; i < inputs.size(); ++i) by_id.emplace(inputs[i].id, i);
  std::unordered_set<std::string> kept;
  for (const SimilarPair& pair : result.pairs) {
    for (const std::string* id : {&pair.a, &pair.b}) {
      if (kept.insert(*id).second) result.sources.push_back(inputs[by_id.at(*id)]);
    }
  }
  return result;
}

SimilarityInput read_similarity_input(const std::filesystem::path& path, std::string& reason) {
  SimilarityInput input;
  reason.clear();
  Submission submission;
  try {
    submission = discover_submission(path);
  } catch (const std::exception& e) {
    input.id = path.filename().string();
    reason = e.what();
    return input;
  }
  input.id = submission.id;
  if (!submission.problem.empty() || !submission.language) {
    reason = submission.problem.empty() ? "no language could be told" : submission.problem;
    return input;
  }
  input.language = *submission.language;
  for (const std::filesystem::path& file : submission.files) {
    // At most kMaxLexedBytes, and no more memory than the file needs: a class is held at once.
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(submission.root / file, ec);
    std::ifstream in(submission.root / file, std::ios::binary);
    std::string text(
        ec ? 0 : static_cast<std::size_t>(std::min<std::uintmax_t>(size, kMaxLexedBytes)), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (ec || !in) {
      reason = "cannot read \"" + file.string() + "\"";
      input.files.clear();
      return input;
    }
    input.files.push_back({file.generic_string(), std::move(text)});
  }
  return input;
}

}  // namespace grader
