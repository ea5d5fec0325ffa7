#pragma once
/// \file
/// The similarity check's result in each format: the JSON report's `similarity` section, a CSV
/// file, an HTML section (the dashboard's, or a page of its own) and the text on a terminal.
/// Each writes to the stream it is given. Submission ids and file names are student text and
/// are escaped for the format.

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "grader/similarity.hpp"

namespace grader {

/// The report's top-level `similarity` section: the parameters (`kgram`, `window`,
/// `guarantee_tokens`, `threshold`, `boilerplate_share`, `boilerplate_min_count`, `min_shared`),
/// `compared`, `skipped` (id and reason) and `pairs`, ranked, each with `a`, `b`, `language`,
/// `score`, `score_a`, `score_b`, `shared`, `fingerprints_a`, `fingerprints_b` and `matches`
/// (`a` and `b` as `{file, first_line, last_line}`, and `fingerprints`).
nlohmann::ordered_json similarity_json(const SimilarityResult& result);

/// similarity.csv (RFC 4180, CRLF): rank, a, b, language, score, score_a, score_b, shared,
/// fingerprints_a, fingerprints_b, matches (each `file:first-last=file:first-last`, joined with
/// `; `). Ids a spreadsheet would run as formulas get a leading `'`.
void write_similarity_csv(const SimilarityResult& result, std::ostream& out);

/// An HTML `<section id="similarity">` with its own inline style: the ranked pairs and, for
/// each, the two submissions' files side by side with the matching lines highlighted (each
/// match in its own colour, numbered alike on both sides). No script, no external resource.
void write_similarity_section(const SimilarityResult& result, std::ostream& out);

/// similarity.html: a self-contained page (a Content-Security-Policy forbids any fetch) holding
/// write_similarity_section for `exercise`.
void write_similarity_page(const SimilarityResult& result, const std::string& exercise,
                           std::ostream& out);

/// The ranked pairs for a terminal: one line per pair with both scores and the first matches.
void print_similarity(const SimilarityResult& result, std::ostream& out);

}  // namespace grader
