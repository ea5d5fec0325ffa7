// The similarity check's result as JSON, CSV, HTML and text (similarity_formats.hpp). Ids and
// file names come from students: each writer escapes them for its format.

#include "grader/similarity_formats.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "grader/report.hpp"
#include "report/escape.hpp"

namespace grader {
namespace {

using ordered = nlohmann::ordered_json;

// The dashboard shows at most this many pairs, and this many lines of each file, side by side.
constexpr std::size_t kMaxHtmlPairs = 200;
constexpr std::size_t kMaxHtmlLines = 400;
constexpr std::size_t kMatchColours = 6;

std::string range_text(const LineRange& r) {
  return r.first == r.last ? fmt::format("{}:{}", r.file, r.first)
                           : fmt::format("{}:{}-{}", r.file, r.first, r.last);
}

ordered range_json(const LineRange& r) {
  return {{"file", r.file}, {"first_line", r.first}, {"last_line", r.last}};
}

std::string esc(std::string_view text) { return detail::xml_escape(text, true); }

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find('\n', start);
    if (end == std::string::npos) {
      if (start < text.size()) lines.push_back(text.substr(start));
      break;
    }
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

const SimilarityInput* find_source(const SimilarityResult& result, const std::string& id) {
  for (const SimilarityInput& s : result.sources) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

// One side of a pair: each file that holds a match, its lines numbered, matched lines marked
// with the number (and colour) of their match.
void write_side(const SimilarPair& pair, bool side_a, const SimilarityInput* source,
                std::ostream& out) {
  const std::string& id = side_a ? pair.a : pair.b;
  out << "<div class=\"sim-side\"><h4>" << esc(id) << "</h4>\n";
  std::vector<std::string> files;
  for (const SimilarityMatch& m : pair.matches) {
    const std::string& f = side_a ? m.a.file : m.b.file;
    if (std::find(files.begin(), files.end(), f) == files.end()) files.push_back(f);
  }
  for (const std::string& file : files) {
    const SimilaritySource* text = nullptr;
    if (source != nullptr) {
      for (const SimilaritySource& s : source->files) {
        if (s.file == file) text = &s;
      }
    }
    out << "<p class=\"sim-file\">" << esc(file) << "</p>\n";
    if (text == nullptr) {
      out << "<p class=\"muted\">(text not available)</p>\n";
      continue;
    }
    const std::vector<std::string> lines = split_lines(text->text);
    std::map<std::uint32_t, std::size_t> match_of_line;    // line -> 1-based match number
    for (std::size_t i = pair.matches.size(); i-- > 0;) {  // the largest match wins a line
      const LineRange& r = side_a ? pair.matches[i].a : pair.matches[i].b;
      if (r.file != file) continue;
      for (std::uint32_t l = r.first; l <= r.last; ++l) match_of_line[l] = i + 1;
    }
    out << "<pre class=\"sim-code\">";
    for (std::size_t l = 1; l <= lines.size() && l <= kMaxHtmlLines; ++l) {
      const auto it = match_of_line.find(static_cast<std::uint32_t>(l));
      const std::string number = fmt::format("<span class=\"ln\">{:>4}</span> ", l);
      if (it == match_of_line.end()) {
        out << number << esc(lines[l - 1]) << "\n";
      } else {
        out << fmt::format("<mark class=\"m{}\" data-match=\"{}\">",
                           (it->second - 1) % kMatchColours, it->second)
            << number << esc(lines[l - 1]) << "</mark>\n";
      }
    }
    if (lines.size() > kMaxHtmlLines) {
      out << fmt::format("[... {} more lines]\n", lines.size() - kMaxHtmlLines);
    }
    out << "</pre>\n";
  }
  out << "</div>\n";
}

constexpr const char* kStyle =
    "#similarity .sim-pair{border:1px solid #d0d7de;border-radius:6px;padding:8px 16px;"
    "margin:12px 0}"
    "#similarity .sim-sides{display:grid;grid-template-columns:1fr 1fr;gap:16px}"
    "#similarity .sim-side{min-width:0}#similarity h4{margin:6px 0}"
    "#similarity .sim-file{margin:4px 0;font-family:ui-monospace,monospace;color:#57606a}"
    "#similarity pre.sim-code{background:#f6f8fa;padding:8px;overflow:auto;max-height:480px;"
    "white-space:pre;font-size:12px;line-height:1.35}"
    "#similarity .ln{color:#8c959f;user-select:none}"
    "#similarity mark{display:inline-block;width:100%;color:inherit}"
    "#similarity mark.m0{background:#fff8c5}#similarity mark.m1{background:#ddf4ff}"
    "#similarity mark.m2{background:#dafbe1}#similarity mark.m3{background:#ffebe9}"
    "#similarity mark.m4{background:#fbefff}#similarity mark.m5{background:#fff1e5}"
    "#similarity table{border-collapse:collapse;width:100%}"
    "#similarity th,#similarity td{border-bottom:1px solid #d0d7de;padding:4px 8px;"
    "text-align:left;vertical-align:top}"
    "#similarity td.num,#similarity th.num{text-align:right}";

}  // namespace

nlohmann::ordered_json similarity_json(const SimilarityResult& result) {
  const SimilarityOptions& o = result.options;
  ordered j;
  j["method"] = "winnowing";
  j["kgram"] = o.kgram;
  j["window"] = o.window;
  j["guarantee_tokens"] = o.guarantee_tokens();
  j["threshold"] = o.threshold;
  j["boilerplate_share"] = o.boilerplate_share;
  j["boilerplate_min_count"] = o.boilerplate_min_count;
  j["min_shared"] = o.min_shared;
  j["compared"] = result.compared;
  ordered skipped = ordered::array();
  for (const SimilaritySkipped& s : result.skipped) {
    skipped.push_back({{"id", s.id}, {"reason", s.reason}});
  }
  j["skipped"] = skipped;
  ordered pairs = ordered::array();
  for (const SimilarPair& p : result.pairs) {
    ordered pj;
    pj["a"] = p.a;
    pj["b"] = p.b;
    pj["language"] = to_string(p.language);
    pj["score"] = p.score();  // harmonic mean of the two directions
    pj["score_a"] = p.score_a;
    pj["score_b"] = p.score_b;
    pj["shared"] = p.shared;
    pj["fingerprints_a"] = p.fingerprints_a;
    pj["fingerprints_b"] = p.fingerprints_b;
    ordered matches = ordered::array();
    for (const SimilarityMatch& m : p.matches) {
      matches.push_back(
          {{"a", range_json(m.a)}, {"b", range_json(m.b)}, {"fingerprints", m.fingerprints}});
    }
    pj["matches"] = matches;
    pairs.push_back(pj);
  }
  j["pairs"] = pairs;
  return j;
}

void write_similarity_csv(const SimilarityResult& result, std::ostream& out) {
  const auto row = [&](const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) out << ',';
      out << detail::csv_field(cells[i]);
    }
    out << "\r\n";
  };
  row({"rank", "a", "b", "language", "score", "score_a", "score_b", "shared", "fingerprints_a",
       "fingerprints_b", "matches"});
  for (std::size_t i = 0; i < result.pairs.size(); ++i) {
    const SimilarPair& p = result.pairs[i];
    std::vector<std::string> matches;
    for (const SimilarityMatch& m : p.matches) {
      matches.push_back(range_text(m.a) + "=" + range_text(m.b));
    }
    row({std::to_string(i + 1), detail::spreadsheet_text(p.a), detail::spreadsheet_text(p.b),
         std::string(to_string(p.language)), format_number(p.score()), format_number(p.score_a),
         format_number(p.score_b), std::to_string(p.shared), std::to_string(p.fingerprints_a),
         std::to_string(p.fingerprints_b), fmt::format("{}", fmt::join(matches, "; "))});
  }
  out.flush();
}

void write_similarity_section(const SimilarityResult& result, std::ostream& out) {
  const SimilarityOptions& o = result.options;
  out << "<section id=\"similarity\"><style>" << kStyle << "</style><h2>Similarity</h2>\n";
  out << fmt::format(
      "<p class=\"muted\">{} submissions compared; {} pair{} at or above {:.0f}% (k = {}, w = "
      "{}: every shared run of {} tokens or more is found; fingerprints in more than {:.0f}% "
      "of the class ignored).</p>\n",
      result.compared, result.pairs.size(), result.pairs.size() == 1 ? "" : "s",
      100.0 * o.threshold, o.kgram, o.window, o.guarantee_tokens(), 100.0 * o.boilerplate_share);
  if (!result.skipped.empty()) {
    out << "<p class=\"muted\">Not compared: ";
    for (std::size_t i = 0; i < result.skipped.size(); ++i) {
      out << (i > 0 ? "; " : "") << esc(result.skipped[i].id) << " ("
          << esc(result.skipped[i].reason) << ")";
    }
    out << "</p>\n";
  }
  if (result.pairs.empty()) {
    out << "<p>No pair of submissions is above the threshold.</p></section>\n";
    return;
  }
  out << "<table id=\"similarity-pairs\"><thead><tr><th class=\"num\">#</th><th>a</th><th>b</th>"
         "<th>language</th><th class=\"num\">score</th><th class=\"num\">a in b</th>"
         "<th class=\"num\">b in a</th><th class=\"num\">shared</th></tr></thead><tbody>\n";
  for (std::size_t i = 0; i < result.pairs.size(); ++i) {
    const SimilarPair& p = result.pairs[i];
    // Pairs past kMaxHtmlPairs have no side-by-side view to link to.
    const std::string rank = i < kMaxHtmlPairs ? fmt::format("<a href=\"#pair-{0}\">{0}</a>", i + 1)
                                               : std::to_string(i + 1);
    out << fmt::format(
        "<tr data-a=\"{1}\" data-b=\"{2}\" data-score=\"{4}\"><td class=\"num\">{0}</td>"
        "<td>{1}</td><td>{2}</td><td>{3}</td><td class=\"num\">{8:.0f}%</td>"
        "<td class=\"num\">{5:.0f}%</td><td class=\"num\">{6:.0f}%</td>"
        "<td class=\"num\">{7}</td></tr>\n",
        rank, esc(p.a), esc(p.b), to_string(p.language), format_number(p.score()),
        100.0 * p.score_a, 100.0 * p.score_b, p.shared, 100.0 * p.score());
  }
  out << "</tbody></table>\n";
  for (std::size_t i = 0; i < result.pairs.size() && i < kMaxHtmlPairs; ++i) {
    const SimilarPair& p = result.pairs[i];
    out << fmt::format(
        "<article class=\"sim-pair\" id=\"pair-{}\"><h3>{}. {} and {} &middot; score {:.0f}% "
        "&middot; {:.0f}% of {} in the other, {:.0f}% of {} &middot; {} matching stretch{}</h3>\n"
        "<div class=\"sim-sides\">\n",
        i + 1, i + 1, esc(p.a), esc(p.b), 100.0 * p.score(), 100.0 * p.score_a, esc(p.a),
        100.0 * p.score_b, esc(p.b), p.matches.size(), p.matches.size() == 1 ? "" : "es");
    write_side(p, true, find_source(result, p.a), out);
    write_side(p, false, find_source(result, p.b), out);
    out << "</div></article>\n";
  }
  if (result.pairs.size() > kMaxHtmlPairs) {
    out << fmt::format("<p class=\"muted\">{} more pairs are in the JSON report and the CSV.</p>\n",
                       result.pairs.size() - kMaxHtmlPairs);
  }
  out << "</section>\n";
}

void write_similarity_page(const SimilarityResult& result, const std::string& exercise,
                           std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
         "style-src 'unsafe-inline'\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>Similarity: " << esc(exercise) << "</title>\n<style>"
      << "body{font:14px/1.45 system-ui,sans-serif;margin:0 24px 48px;color:#1f2328}"
         ".muted{color:#57606a}</style>\n</head>\n<body>\n<p class=\"muted\">exercise "
      << esc(exercise) << "</p>\n";
  write_similarity_section(result, out);
  out << "</body>\n</html>\n";
  out.flush();
}

void print_similarity(const SimilarityResult& result, std::ostream& out) {
  const SimilarityOptions& o = result.options;
  out << fmt::format(
      "similarity: {} submissions compared, {} pair{} at or above {:.0f}% (k={}, w={}, any "
      "shared run of {}+ tokens is found)\n",
      result.compared, result.pairs.size(), result.pairs.size() == 1 ? "" : "s",
      100.0 * o.threshold, o.kgram, o.window, o.guarantee_tokens());
  for (const SimilaritySkipped& s : result.skipped) {
    out << fmt::format("  not compared: {}: {}\n", detail::clean_text(s.id),
                       detail::clean_text(s.reason));
  }
  for (std::size_t i = 0; i < result.pairs.size(); ++i) {
    const SimilarPair& p = result.pairs[i];
    out << fmt::format(
        "{:>4}. {}  {}  ({})  score {:.0f}%  (a in b {:.0f}%, b in a {:.0f}%)  "
        "shared {}\n",
        i + 1, detail::clean_text(p.a), detail::clean_text(p.b), to_string(p.language),
        100.0 * p.score(), 100.0 * p.score_a, 100.0 * p.score_b, p.shared);
    for (std::size_t m = 0; m < p.matches.size() && m < 3; ++m) {
      out << fmt::format("        {} ~ {}\n", detail::clean_text(range_text(p.matches[m].a)),
                         detail::clean_text(range_text(p.matches[m].b)));
    }
    if (p.matches.size() > 3) out << fmt::format("        ({} more)\n", p.matches.size() - 3);
  }
}

}  // namespace grader
