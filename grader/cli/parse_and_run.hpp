#pragma once
// The command line's common end, for grader and grader-server: parse, run the chosen command,
// map failures to exit codes (docs/cli.md).

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>

#include "grader/error.hpp"

namespace grader::cli {

/// Parses argv into `app`, then returns what `run` returns (an ExitCode). Help and --version
/// print and exit 0; a bad command line is exit 2; a grader::Error its own code; anything else
/// an internal error (exit 4).
template <typename Run>
int parse_and_run(CLI::App& app, int argc, char** argv, const Run& run) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "grader: error: " << e.what() << "\n"
              << "run 'grader --help' for usage\n";
    return static_cast<int>(ExitCode::Usage);
  }
  try {
    return static_cast<int>(run());
  } catch (const Error& e) {
    std::cerr << "grader: error: " << e.what() << "\n";
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    std::cerr << "grader: error: internal error: " << e.what() << "\n";
    return static_cast<int>(ExitCode::Internal);
  }
}

}  // namespace grader::cli
