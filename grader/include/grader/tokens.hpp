#pragma once
/// \file
/// Bearer tokens of the server: random, stored only as a SHA-256, compared in constant time.
///
/// A token is "gt_" followed by 64 hex digits (32 bytes from /dev/urandom). Its first 16 hex
/// digits are its selector, stored in clear to find the token; the SHA-256 of the whole token is
/// stored to check it. The token itself is printed once and never stored.

#include <optional>
#include <string>
#include <string_view>

namespace grader {

/// `bytes` random bytes from /dev/urandom, as 2 * bytes lowercase hex digits.
/// \throws StoreError when /dev/urandom cannot be read.
std::string random_hex(std::size_t bytes);

/// A token with its selector and hash.
struct NewToken {
  std::string token;     ///< give this to the user, once
  std::string selector;  ///< stored in clear
  std::string hash;      ///< stored: SHA-256 of `token`
};

/// A fresh random token.
NewToken make_token();

/// The selector of `token`, or nothing when `token` does not have the shape of a token.
std::optional<std::string> token_selector(std::string_view token);

/// SHA-256 of `token` as hex.
std::string token_hash(std::string_view token);

/// Whether `a` and `b` are equal, in a time that depends only on their lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace grader
