// `grader-box --probe`: what isolation this machine offers, for `grader doctor`.
#pragma once

#include <string>

namespace grader::box {

/// The key=value lines (docs/protocols.md section 1, "Probe"). Never fails: what cannot be
/// determined is reported as 0/absent.
std::string probe_report();

}  // namespace grader::box
