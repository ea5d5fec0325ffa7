// `grader-box --probe`: what isolation this machine offers, for `grader doctor`.
#pragma once

#include <ostream>

namespace grader::box {

/// Prints key=value lines (docs/protocols.md section 1, "Probe"). Never fails: what cannot be
/// determined is reported as 0/absent.
void print_probe(std::ostream& out);

}  // namespace grader::box
