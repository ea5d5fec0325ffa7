#include "grader/precompiled_header.hpp"

#include <algorithm>
#include <array>
#include <cctype>

namespace grader {
namespace {

bool horizontal_space(char c) { return c == ' ' || c == '\t' || c == '\f' || c == '\v'; }
bool line_end(char c) { return c == '\n' || c == '\r'; }

// A cursor over source text that understands comments, and refuses line continuations.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") at_ = 3;
  }

  bool done() const { return at_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[at_]; }
  bool starts(std::string_view word) const { return text_.substr(at_, word.size()) == word; }
  void advance(std::size_t n) { at_ += n; }

  // Spaces and comments on the current line. False at a comment that never ends, or at a line
  // continuation (which could join this line with the next).
  bool skip_space_on_line() {
    for (;;) {
      while (!done() && horizontal_space(peek())) ++at_;
      if (starts("/*")) {
        const std::size_t end = text_.find("*/", at_ + 2);
        if (end == std::string_view::npos) return false;
        at_ = end + 2;
        continue;
      }
      if (starts("//")) {
        const std::size_t end = text_.find('\n', at_);
        const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
        const std::string_view comment = text_.substr(at_, stop - at_);
        const std::size_t last = comment.find_last_not_of('\r');
        if (last != std::string_view::npos && comment[last] == '\\') return false;
        at_ = stop;
      }
      return peek() != '\\';
    }
  }

  // Blank lines, comments and spaces up to the next token. False as skip_space_on_line.
  bool skip_blank() {
    for (;;) {
      if (!skip_space_on_line()) return false;
      if (done() || !line_end(peek())) return true;
      ++at_;
    }
  }

  // An identifier-like word (letters, digits, '_').
  std::string_view word() {
    const std::size_t start = at_;
    while (!done() && (std::isalnum(static_cast<unsigned char>(peek())) != 0 || peek() == '_')) {
      ++at_;
    }
    return text_.substr(start, at_ - start);
  }

 private:
  std::string_view text_;
  std::size_t at_ = 0;
};

// `#include <x>` or `#include "x"` from the '#' on; std::nullopt for anything else, including
// text after the include other than a comment.
std::optional<LeadingInclude> read_include(Scanner& in) {
  if (in.peek() != '#') return std::nullopt;
  in.advance(1);
  if (!in.skip_space_on_line() || in.word() != "include" || !in.skip_space_on_line()) {
    return std::nullopt;
  }
  const char open = in.peek();
  if (open != '<' && open != '"') return std::nullopt;
  in.advance(1);
  std::string name;
  const char close = open == '<' ? '>' : '"';
  while (!in.done() && in.peek() != close) {
    const char c = in.peek();
    if (line_end(c) || c == '\\' || horizontal_space(c) || c == '"' || c == '<' || c == '>') {
      return std::nullopt;
    }
    name.push_back(c);
    in.advance(1);
  }
  if (in.done() || name.empty()) return std::nullopt;
  in.advance(1);
  if (!in.skip_space_on_line() || !(in.done() || line_end(in.peek()))) return std::nullopt;
  return LeadingInclude{name, open == '"'};
}

}  // namespace

std::vector<LeadingInclude> leading_includes(std::string_view source) {
  constexpr std::size_t kMostIncludes = 32;
  std::vector<LeadingInclude> block;
  Scanner in(source);
  while (block.size() < kMostIncludes && in.skip_blank() && !in.done()) {
    std::optional<LeadingInclude> include = read_include(in);
    if (!include) break;
    block.push_back(std::move(*include));
  }
  return block;
}

bool idempotent_standard_header(std::string_view name) {
  static constexpr std::array<std::string_view, 83> kHeaders = {
      // The C++ standard ([using.headers]) lets a program include each library header more than
      // once "with no effect different from being included exactly once", except <cassert>
      // and <assert.h>. C++17 library headers:
      "algorithm", "any", "array", "atomic", "bitset", "charconv", "chrono", "complex",
      "condition_variable", "deque", "exception", "filesystem", "forward_list", "fstream",
      "functional", "future", "initializer_list", "iomanip", "ios", "iosfwd", "iostream", "istream",
      "iterator", "limits", "list", "locale", "map", "memory", "memory_resource", "mutex", "new",
      "numeric", "optional", "ostream", "queue", "random", "ratio", "regex", "scoped_allocator",
      "set", "shared_mutex", "sstream", "stack", "stdexcept", "streambuf", "string", "string_view",
      "system_error", "thread", "tuple", "type_traits", "typeindex", "typeinfo", "unordered_map",
      "unordered_set", "utility", "valarray", "variant", "vector",
      // The C library as C++ headers, without <cassert>.
      "cctype", "cerrno", "cfloat", "cinttypes", "climits", "cmath", "cstddef", "cstdint", "cstdio",
      "cstdlib", "cstring", "ctime",
      // The C headers students also write, without <assert.h>.
      "ctype.h", "errno.h", "float.h", "inttypes.h", "limits.h", "math.h", "stddef.h", "stdint.h",
      "stdio.h", "stdlib.h", "string.h", "time.h"};
  return std::find(kHeaders.begin(), kHeaders.end(), name) != kHeaders.end();
}

std::string include_lines(const std::vector<LeadingInclude>& block) {
  std::string text;
  for (const LeadingInclude& include : block) {
    text += include.quoted ? "#include \"" + include.name + "\"\n"
                           : "#include <" + include.name + ">\n";
  }
  return text;
}

}  // namespace grader
