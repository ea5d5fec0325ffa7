#pragma once
/// \file
/// The class-grading formats, each a Reporter on an injected stream, all made from the same
/// Report model (report.hpp). formats.hpp decides where each one's file goes.
///
/// Hidden cases never show more than their status in any of them: no inputs, expected or
/// actual values, no student output. Student text (ids, messages, compiler output) is escaped
/// for the format and cleaned of invalid UTF-8 and control characters.

#include <memory>
#include <ostream>

#include "grader/report.hpp"

namespace grader {

/// Gradescope's results.json for ONE submission (the first one added; formats.cpp feeds one
/// submission per file). Top level: `score`, `execution_time` (seconds), `output`,
/// `visibility` "visible", `stdout_visibility` "hidden", `tests`. Per task, in task order:
/// test "N.1 <task> (visible cases)", visibility "visible", worth the visible cases' share of the
/// task's points, with the first failing visible case and the hint in its output; and, when the
/// task has hidden cases, test "N.2 <task> (hidden cases)", visibility "after_due_date", worth
/// the rest, saying only how many hidden cases passed. Since a task's score is proportional to
/// its passed cases, the tests' scores add up to the submission's score. A submission that was
/// not graded gets one failed test per task worth its points (or none when the exercise's tasks
/// are unknown) and the reason in `output`. `status` is "passed" iff every case of the test
/// passed.
std::unique_ptr<Reporter> make_gradescope_reporter(std::ostream& out);

/// grades.csv (RFC 4180: CRLF line ends, fields quoted when needed, quotes doubled). Columns, in
/// this order: id, status, score, max_score, one per task (its score, in order of first
/// appearance in the report; 0 for a submission with no result for it), language, diagnoses
/// (diagnosis names joined with ';'). One row per submission, in report order.
std::unique_ptr<Reporter> make_csv_reporter(std::ostream& out);

/// junit.xml in the Apache Ant dialect (validates against junit-ant.xsd): `testsuites` with one
/// `testsuite` per submission and one `testcase` per task. A failed task carries a `failure`
/// with its first failing visible case (call, expected, actual, errors, tolerance, message,
/// hint), or only the hidden cases' count when no visible case failed. A submission that was not
/// graded (compile error, invalid, internal error) gets an `error` on each task's testcase, or on
/// a single "build" testcase when it has no tasks.
std::unique_ptr<Reporter> make_junit_reporter(std::ostream& out);

/// summary.md: a class summary table (counts by status, mean and median score, per-task pass
/// rate, frequent mistakes) and one table row per submission.
std::unique_ptr<Reporter> make_markdown_reporter(std::ostream& out);

/// index.html: one self-contained page (inline style and script, no network: a
/// Content-Security-Policy forbids any fetch) with the class summary, a score histogram (inline
/// SVG), per-task pass rates, frequent mistakes, a sortable table of submissions (click a header;
/// `#sort=<column>` or `#sort=-<column>` in the URL sorts on load) and a detail section per
/// submission. Its script checks on load that the table agrees with the histogram and the counts,
/// logs any disagreement with console.error, and sets `data-selfcheck` on <body> to "ok" or
/// "failed".
std::unique_ptr<Reporter> make_html_reporter(std::ostream& out);

}  // namespace grader
