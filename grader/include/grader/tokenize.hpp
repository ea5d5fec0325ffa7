#pragma once
/// \file
/// Lexers for the similarity check: C++ and Python source text as a sequence of normalised
/// tokens. Comments and whitespace are gone; identifiers and literals are folded to their kind,
/// so that renaming a variable, changing a constant or reformatting a file changes nothing.
/// Keywords and operators keep their spelling, since they carry the program's structure.
///
/// Both lexers accept any bytes: unterminated strings and comments end at the end of the text,
/// stray bytes are skipped, and every step consumes at least one byte, so the time is linear in
/// the size of the text. Callers cap that size (kMaxLexedBytes).

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "grader/status.hpp"

namespace grader {

/// Most bytes of one file that the lexers read; the rest of a larger file is ignored.
inline constexpr std::size_t kMaxLexedBytes = 1024 * 1024;

/// What a token is, before folding.
enum class TokenKind : std::uint8_t {
  Identifier,  ///< folded: every identifier has the same symbol
  Number,      ///< folded
  String,      ///< folded (C++ string literals, Python strings of every prefix)
  Char,        ///< folded (C++ character literals)
  Keyword,     ///< kept: `return`, `def`, `double`, ...
  Operator,    ///< kept: `+`, `->`, `(`, `;`, ...
  Directive,   ///< C++ preprocessor directive other than #include, kept: `#define`, `#if`, ...
  Newline,     ///< Python: end of a logical line
  Indent,      ///< Python: the block deepens
  Dedent,      ///< Python: the block ends
};

/// One token: its symbol (equal for tokens that must compare equal after folding), its kind and
/// the 1-based line it starts on.
struct Token {
  std::uint32_t symbol = 0;
  std::uint32_t line = 0;
  TokenKind kind = TokenKind::Operator;
};

/// C++ tokens of `text` (at most kMaxLexedBytes of it). `#include` lines are dropped (which
/// headers a file includes says nothing of who wrote it); other directives become one Directive
/// token followed by their own tokens. Raw strings, digit separators and line splices are
/// understood.
std::vector<Token> tokenize_cpp(std::string_view text);

/// Python tokens of `text` (at most kMaxLexedBytes of it), with Newline, Indent and Dedent as
/// Python's own tokenizer makes them (no Newline inside brackets or after a backslash
/// continuation). A logical line made of string literals only (a docstring) is dropped like a
/// comment.
std::vector<Token> tokenize_python(std::string_view text);

/// The lexer of `language`.
std::vector<Token> tokenize(Language language, std::string_view text);

}  // namespace grader
