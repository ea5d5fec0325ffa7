#pragma once
// Which precompiled header may speed up a student's C++ compile (toolchain_gxx.cpp).
//
// g++ looks for NAME.gch in every include folder just before it looks for NAME there, and uses
// it only when it was made with the same compiler, flags and macros and the #include is the
// first thing in the file; otherwise it reads the header itself. The grader offers one only for
// a file that starts with a block of #include lines, made from exactly those lines in that
// order, and only with headers that a second inclusion leaves unchanged (include guards): what
// the file means is then what it means without it, and the file's own later lines of the block
// include nothing new. The exercise's own header is checked for that by the preprocessor
// (toolchain_gxx.cpp); standard headers are known to be guarded.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace grader {

/// One `#include` line: `<name>` or `"name"`.
struct LeadingInclude {
  std::string name;
  bool quoted = false;
  bool operator==(const LeadingInclude& other) const {
    return name == other.name && quoted == other.quoted;
  }
};

/// The `#include` lines `source` starts with, in order, with only blank lines and comments
/// before and between them; the list stops at anything else (code, another directive, text
/// after an include, a line continuation) and is empty when the file does not start so.
std::vector<LeadingInclude> leading_includes(std::string_view source);

/// Whether `name` is a standard header that include guards make idempotent: the C++17 library
/// and the usual C headers, but never <cassert> or <assert.h>, which are meant to be included
/// again with another NDEBUG.
bool idempotent_standard_header(std::string_view name);

/// The block as the lines of a header: `#include <cmath>` ...
std::string include_lines(const std::vector<LeadingInclude>& block);

}  // namespace grader
