#include "grader/tokens.hpp"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "grader/error.hpp"
#include "grader/hash.hpp"

namespace grader {
namespace {

constexpr std::string_view kPrefix = "gt_";
constexpr std::size_t kTokenHexDigits = 64;
constexpr std::size_t kSelectorHexDigits = 16;

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

}  // namespace

std::string random_hex(std::size_t bytes) {
  std::ifstream in("/dev/urandom", std::ios::binary);
  std::vector<unsigned char> raw(bytes);
  if (!in.read(reinterpret_cast<char*>(raw.data()), static_cast<std::streamsize>(bytes))) {
    throw StoreError(fmt::format("cannot read /dev/urandom: {}", std::strerror(errno)));
  }
  std::string hex;
  hex.reserve(2 * bytes);
  for (unsigned char b : raw) hex += fmt::format("{:02x}", b);
  return hex;
}

NewToken make_token() {
  NewToken t;
  t.token = std::string(kPrefix) + random_hex(kTokenHexDigits / 2);
  t.selector = *token_selector(t.token);
  t.hash = token_hash(t.token);
  return t;
}

std::optional<std::string> token_selector(std::string_view token) {
  if (token.size() != kPrefix.size() + kTokenHexDigits ||
      token.substr(0, kPrefix.size()) != kPrefix) {
    return std::nullopt;
  }
  const std::string_view digits = token.substr(kPrefix.size());
  for (char c : digits) {
    if (!is_hex(c)) return std::nullopt;
  }
  return std::string(digits.substr(0, kSelectorHexDigits));
}

std::string token_hash(std::string_view token) { return sha256_hex(token); }

bool constant_time_equal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff = static_cast<unsigned char>(
        diff | (static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i])));
  }
  return diff == 0;
}

}  // namespace grader
