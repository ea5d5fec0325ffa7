// grader-server: `grader serve` and `grader token` (docs/server.md). grader hands these two
// commands over with their arguments; this executable alone links HTTP, SQLite and libarchive.

#include <CLI/CLI.hpp>
#include <iostream>

#include "grader/app.hpp"
#include "grader/error.hpp"
#include "grader/server.hpp"
#include "parse_and_run.hpp"

int main(int argc, char** argv) {
  using grader::ExitCode;
  CLI::App app{"grader: grades numerical programming exercises (C++ and Python) in a sandbox",
               "grader"};
  app.require_subcommand(1);
  app.set_version_flag("--version", grader::grader_version());

  grader::ServeOptions serve_options;
  serve_options.executable = grader::executable_path(argc > 0 ? argv[0] : "grader-server");
  CLI::App* serve = app.add_subcommand("serve", "run the grader as a web service for a class");
  serve->add_option("--listen", serve_options.listen, "HOST:PORT (default 127.0.0.1:8080)");
  serve->add_option("--data", serve_options.data_dir, "data folder (default ./grader-data)");
  serve->add_option("--workers", serve_options.workers, "grading workers (default: cores)")
      ->check(CLI::Range(1, 256));
  serve->add_option("--exercises", serve_options.exercises_root, "folder of exercises");
  serve->add_option("--rules", serve_options.rules_file,
                    "course file with the rules (default: EXERCISES/course.json)");
  serve
      ->add_option("--max-upload-bytes", serve_options.upload_limits.max_bytes,
                   "largest submission, all files together (default 1 MiB)")
      ->check(CLI::Range(1, 64 * 1024 * 1024));
  serve
      ->add_option("--max-files", serve_options.upload_limits.max_files,
                   "most files in one submission (default 20)")
      ->check(CLI::Range(1, 1000));
  serve
      ->add_option("--per-minute", serve_options.submissions_per_minute,
                   "submissions a user may make per minute (default 10; 0: no limit)")
      ->check(CLI::Range(0, 100000));
  serve->add_option("--python", serve_options.python, "Python interpreter (absolute path)");
  serve->add_option("--cache-dir", serve_options.cache_dir, "cache of prepared exercises");
  serve->add_flag("--no-cache", serve_options.no_cache, "neither read nor write the cache");
  serve->add_flag("--unsafe-no-sandbox", serve_options.unsafe_no_sandbox,
                  "run student code WITHOUT isolation (limits only)");
  grader::TokenOptions token_options;
  CLI::App* token = app.add_subcommand("token", "create a user if needed and print a new token");
  token->add_option("ID", token_options.user, "user id (a student number, a login)");
  token->add_flag("--instructor", token_options.instructor, "an instructor (sees every result)");
  token->add_flag("--revoke", token_options.revoke, "revoke every token of ID");
  token->add_option("--roster", token_options.roster,
                    "CSV with a header id,name,email: create every user, print id,token");
  token->add_option("--data", token_options.data_dir, "data folder (default ./grader-data)");

  return grader::cli::parse_and_run(app, argc, argv, [&] {
    if (*serve) return grader::run_serve(serve_options, std::cout, std::cerr);
    if (*token) return grader::run_token(token_options, std::cout);
    return ExitCode::Usage;
  });
}
