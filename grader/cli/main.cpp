// grader: parse the command line, run the pipeline, print, map failures to exit codes.

#include <fmt/format.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "grader/app.hpp"
#include "grader/error.hpp"
#include "parse_and_run.hpp"

namespace {

// `grader serve ...` and `grader token ...` are grader-server's, with the same arguments.
[[noreturn]] void run_server(const std::filesystem::path& executable, int argc, char** argv) {
  const std::string server = (executable.parent_path() / "grader-server").string();
  std::vector<char*> args = {const_cast<char*>(server.c_str())};
  for (int i = 1; i < argc; ++i) args.push_back(argv[i]);
  args.push_back(nullptr);
  ::execv(server.c_str(), args.data());
  std::cerr << fmt::format(
      "grader: error: cannot run {} ({}): 'grader {}' needs it beside grader "
      "(build the grader-server target)\n",
      server, std::strerror(errno), argv[1]);
  std::exit(static_cast<int>(grader::ExitCode::SpecOrToolchain));
}

}  // namespace

int main(int argc, char** argv) {
  using grader::ExitCode;
  grader::AppOptions options;
  options.executable = grader::executable_path(argc > 0 ? argv[0] : "grader");
  if (argc > 1 && (std::string(argv[1]) == "serve" || std::string(argv[1]) == "token")) {
    run_server(options.executable, argc, argv);
  }

  CLI::App app{"grader: grades numerical programming exercises (C++ and Python) in a sandbox"};
  app.require_subcommand(1);
  app.set_version_flag("--version", grader::grader_version());

  const auto add_common = [&](CLI::App* sub) {
    sub->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    sub->add_option("--exercises", options.exercises_root,
                    "folder of exercises (default: $GRADER_EXERCISES, else beside the build)");
    sub->add_option("--report", options.report_file, "write the JSON report to FILE");
    sub->add_option("--min-score", options.min_score,
                    "exit 1 when a submission scores below this fraction of the maximum")
        ->check(CLI::Range(0.0, 1.0));
    sub->add_option("--color", options.color, "colour: auto, always or never")
        ->check(CLI::IsMember({"auto", "always", "never"}));
    sub->add_option("--python", options.python, "Python interpreter (absolute path)");
    sub->add_flag("--unsafe-no-sandbox", options.unsafe_no_sandbox,
                  "run student code WITHOUT isolation (limits only); marks the report");
    sub->add_flag("--quiet,-q", options.quiet, "print only the final summary");
    sub->add_option("--format", options.formats,
                    "report format to write into --report-dir (repeatable)");
    sub->add_option("--report-dir", options.report_dir, "folder for the --format files");
    sub->add_option("--cache-dir", options.cache_dir,
                    "cache of prepared exercises and results (default: $XDG_CACHE_HOME/grader, "
                    "else ~/.cache/grader)");
    sub->add_flag("--no-cache", options.no_cache, "neither read nor write the cache");
  };

  // Only the subcommand named first is built when there is one (building all of them is a
  // quarter of a millisecond of every command); all of them for --help and mistakes.
  const std::vector<std::string> names = {"grade",          "batch",   "similarity", "merge",
                                          "cache",          "doctor",  "init",       "cases",
                                          "check-exercise", "harness", "kit",        "explain"};
  const std::string first = argc > 1 ? argv[1] : "";
  const bool named = std::find(names.begin(), names.end(), first) != names.end();
  const auto wanted = [&](const std::string& name) { return !named || first == name; };
  CLI::App* grade = nullptr;
  CLI::App* batch = nullptr;
  CLI::App* similarity = nullptr;
  CLI::App* merge = nullptr;
  CLI::App* cache = nullptr;
  CLI::App* cache_clear = nullptr;
  CLI::App* doctor = nullptr;
  CLI::App* init = nullptr;
  CLI::App* cases = nullptr;
  CLI::App* check = nullptr;
  CLI::App* harness = nullptr;
  CLI::App* kit = nullptr;
  CLI::App* explain = nullptr;

  if (wanted("grade")) {
    grade = app.add_subcommand("grade", "grade one or more submissions");
    grade->add_option(
        "PATH", options.paths,
        "submission folders or files; with --changed-since: DIR (default submissions/)");
    grade->add_option("--changed-since", options.changed_since,
                      "grade only the submissions under DIR that differ from git revision REF");
    grade->add_option("--pull-request", options.pull_request,
                      "with --changed-since BASE: grade the one submission of DIR that commit HEAD "
                      "changes since BASE, read from git's objects; refuse anything else");
    grade->add_option("--roster", options.roster,
                      "with --pull-request: CSV of login,submission (who may change which)");
    grade->add_option("--author", options.author,
                      "with --pull-request: the GitHub login of the pull request's author");
    add_common(grade);
    grade->add_option("-j,--jobs", options.jobs, "parallel workers (default: number of cores)")
        ->check(CLI::Range(1, 256));
  }

  if (wanted("batch")) {
    batch = app.add_subcommand("batch", "grade every entry of a folder, in parallel");
    batch->add_option("DIR", options.batch_dir, "folder of submissions")->required();
    batch->add_option("-j,--jobs", options.jobs, "parallel workers (default: number of cores)")
        ->check(CLI::Range(1, 256));
    batch->add_option(
        "--shard", options.shard,
        "grade only part K of N (K/N, 1-based; auto/N: K from JOB_COMPLETION_INDEX or "
        "SLURM_ARRAY_TASK_ID) and record it in the report");
    add_common(batch);
    batch->add_flag(
        "--similarity", options.similarity,
        "also compare the submissions with one another (copied code, see 'similarity')");
    batch
        ->add_option("--similarity-threshold", options.similarity_threshold,
                     "report pairs sharing at least this share of their fingerprints (0..1)")
        ->check(CLI::Range(0.0, 1.0));
  }

  if (wanted("similarity")) {
    similarity = app.add_subcommand(
        "similarity", "find submissions of a folder that share code, even renamed and reordered");
    similarity->add_option("DIR", options.batch_dir, "folder of submissions")->required();
    similarity->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    similarity->add_option("--exercises", options.exercises_root, "folder of exercises");
    similarity->add_option("--report", options.report_file,
                           "write the JSON report (its similarity section) to FILE");
    similarity->add_option("--format", options.formats,
                           "json, csv or html, written into --report-dir (repeatable)");
    similarity->add_option("--report-dir", options.report_dir, "folder for the --format files");
    similarity
        ->add_option("--threshold", options.similarity_threshold,
                     "report pairs sharing at least this share of their fingerprints (0..1)")
        ->check(CLI::Range(0.0, 1.0));
    similarity
        ->add_option("--boilerplate", options.boilerplate_share,
                     "ignore fingerprints found in more than this share of the class (0..1)")
        ->check(CLI::Range(0.0, 1.0));
    similarity->add_option("--kgram", options.similarity_kgram, "k: tokens per hashed k-gram")
        ->check(CLI::Range(1, 1000));
    similarity->add_option("--window", options.similarity_window, "w: k-grams per winnowing window")
        ->check(CLI::Range(1, 1000));
    similarity
        ->add_option("--min-shared", options.similarity_min_shared,
                     "report only pairs sharing at least this many fingerprints")
        ->check(CLI::Range(1, 1000000));
  }

  if (wanted("merge")) {
    merge = app.add_subcommand("merge", "join the partial reports of batch --shard");
    merge->add_option("PARTS", options.merge_parts, "partial JSON reports, one per shard")
        ->required();
    merge->add_option("--report", options.report_file, "write the merged JSON report to FILE")
        ->required();
    merge
        ->add_option("--min-score", options.min_score,
                     "exit 1 when a submission scored below this fraction of the maximum")
        ->check(CLI::Range(0.0, 1.0));
  }

  if (wanted("cache")) {
    cache = app.add_subcommand("cache", "manage the cache of results");
    cache->require_subcommand(1);
    cache_clear = cache->add_subcommand("clear", "remove every cached entry");
    cache_clear->add_option("--cache-dir", options.cache_dir,
                            "cache folder (default: $XDG_CACHE_HOME/grader, else ~/.cache/grader)");
  }

  if (wanted("doctor")) {
    doctor = app.add_subcommand("doctor", "show what isolation this machine offers");
    doctor->add_flag("--strict", options.doctor_strict,
                     "exit 3 unless student code can be sandboxed here (for init steps)");
  }

  if (wanted("init")) {
    init = app.add_subcommand("init", "write the exercise's starter files into DIR");
    init->add_option("DIR", options.init_dir, "folder to create")->required();
    init->add_option("--language", options.init_language, "cpp or python")
        ->required()
        ->check(CLI::IsMember({"cpp", "python"}));
    init->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    init->add_option("--exercises", options.exercises_root, "folder of exercises");
  }

  if (wanted("cases")) {
    cases = app.add_subcommand("cases", "list the graded cases and expected values (JSON)");
    cases->add_flag("--show-hidden", options.show_hidden,
                    "include hidden cases' inputs and answers");
    cases->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    cases->add_option("--exercises", options.exercises_root, "folder of exercises");
    cases->add_flag("--unsafe-no-sandbox", options.unsafe_no_sandbox,
                    "run the reference without isolation");
    cases->add_option("--cache-dir", options.cache_dir,
                      "cache of prepared exercises (as for grade; a prepared exercise is reused)");
    cases->add_flag("--no-cache", options.no_cache, "neither read nor write the cache");
  }

  if (wanted("check-exercise")) {
    check = app.add_subcommand("check-exercise",
                               "check an exercise before students see it (reference, mistakes)");
    check->add_option("ID", options.exercise, "exercise id (default: the only one)");
    check->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    check->add_option("--exercises", options.exercises_root, "folder of exercises");
    check->add_option("--python", options.python, "Python interpreter (absolute path)");
    check->add_flag("--unsafe-no-sandbox", options.unsafe_no_sandbox,
                    "run the reference and mistakes without isolation");
  }

  if (wanted("harness")) {
    harness = app.add_subcommand("harness",
                                 "write the grader's harnesses as the exercise uses them into DIR");
    harness->add_option("--output", options.harness_dir, "folder to write into")->required();
    harness->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    harness->add_option("--exercises", options.exercises_root, "folder of exercises");
  }

  if (wanted("kit")) {
    kit = app.add_subcommand(
        "kit",
        "write the public part of the exercises (no hidden case, no reference) for students");
    kit->add_option("--output", options.kit_dir, "folder to write the kit into")->required();
    kit->add_option("--exercise", options.exercise, "one exercise (default: every exercise)");
    kit->add_option("--exercises", options.exercises_root, "folder of exercises");
    kit->add_option("--python", options.python, "Python interpreter (absolute path)");
    kit->add_option("--cache-dir", options.cache_dir, "cache of prepared exercises");
    kit->add_flag("--no-cache", options.no_cache, "neither read nor write the cache");
    kit->add_flag("--unsafe-no-sandbox", options.unsafe_no_sandbox,
                  "run the reference without isolation");
  }

  if (wanted("explain")) {
    explain = app.add_subcommand("explain", "print the exercise's statement");
    explain->add_option("--exercise", options.exercise, "exercise id (default: the only one)");
    explain->add_option("--exercises", options.exercises_root, "folder of exercises");
  }

  // grader serve / grader token (docs/server.md) run grader-server, which sits beside grader:
  // listed here for --help; main() hands them over before parsing.
  if (!named) {
    app.add_subcommand("serve", "run the grader as a web service for a class")->allow_extras();
    app.add_subcommand("token", "create a user if needed and print a new token")->allow_extras();
  }

  const auto chosen = [](const CLI::App* sub) { return sub != nullptr && sub->parsed(); };
  return grader::cli::parse_and_run(app, argc, argv, [&] {
    if (chosen(grade)) return grader::run_grade(options, std::cout, std::cerr);
    if (chosen(batch)) return grader::run_batch(options, std::cout, std::cerr);
    if (chosen(similarity)) return grader::run_similarity(options, std::cout, std::cerr);
    if (chosen(merge)) return grader::run_merge(options, std::cout, std::cerr);
    if (chosen(cache_clear)) return grader::run_cache_clear(options, std::cout);
    if (chosen(doctor)) return grader::run_doctor(options, std::cout);
    if (chosen(init)) return grader::run_init(options, std::cout);
    if (chosen(cases)) return grader::run_list_cases(options, std::cout, std::cerr);
    if (chosen(explain)) return grader::run_explain(options, std::cout);
    if (chosen(check)) return grader::run_check_exercise(options, std::cout);
    if (chosen(harness)) return grader::run_write_harness(options, std::cout);
    if (chosen(kit)) return grader::run_kit(options, std::cout, std::cerr);
    return ExitCode::Usage;
  });
}
