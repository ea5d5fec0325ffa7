#pragma once
/// \file
/// `grader serve` and `grader token`: the grader as a web service for a class (docs/server.md).
/// One binary holds the HTTP API, the page, the job queue and its workers; the data (accounts,
/// submissions, results) is in a Store under the data folder.

#include <filesystem>
#include <ostream>
#include <string>

#include "grader/error.hpp"
#include "grader/uploads.hpp"

namespace grader {

/// Everything `grader serve` can set.
struct ServeOptions {
  std::filesystem::path executable;       ///< this program, to find grader-box and exercises
  std::string listen = "127.0.0.1:8080";  ///< HOST:PORT; port 0 picks a free one
  std::filesystem::path data_dir = "grader-data";
  int workers = 0;                       ///< grading workers; 0: the number of cores
  std::filesystem::path exercises_root;  ///< empty: as for grade
  std::filesystem::path rules_file;      ///< course rules; empty: EXERCISES/course.json
  std::filesystem::path cache_dir;       ///< empty: the default cache folder
  bool no_cache = false;
  std::string python;  ///< Python interpreter override
  bool unsafe_no_sandbox = false;
  UploadLimits upload_limits;
  int submissions_per_minute = 10;  ///< per user; 0: no limit
};

/// Runs the server until SIGTERM or SIGINT: prepares every exercise, puts back in the queue the
/// jobs a previous run left running, listens, prints where and how to get a token, and on the
/// signal stops accepting requests and lets the workers finish the jobs they hold.
/// \throws UsageError for a bad --listen or a port in use; StoreError; SpecError as grading does.
ExitCode run_serve(const ServeOptions& options, std::ostream& out, std::ostream& err);

/// What `grader token` can set.
struct TokenOptions {
  std::string user;         ///< ID
  bool instructor = false;  ///< --instructor
  bool revoke = false;      ///< --revoke
  std::filesystem::path data_dir = "grader-data";
  std::filesystem::path roster;  ///< --roster FILE: CSV with id,name,email columns
};

/// `grader token ID [--instructor]`: creates the user if needed and prints a new bearer token;
/// `--revoke`: revokes every token of ID. `--roster FILE`: creates every student of the CSV file
/// and prints `id,token` for each (CSV). \throws UsageError for a bad roster or a missing ID.
ExitCode run_token(const TokenOptions& options, std::ostream& out);

}  // namespace grader
