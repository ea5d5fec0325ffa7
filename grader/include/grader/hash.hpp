#pragma once
/// \file
/// SHA-256, for content hashes of submissions and exercises (cache keys, deduplication).

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace grader {

/// Incremental SHA-256 (FIPS 180-4).
class Sha256 {
 public:
  Sha256();
  /// Feeds more bytes.
  void update(std::string_view bytes);
  /// Finishes and returns the digest as 64 lowercase hex digits. Call once.
  std::string hex_digest();

  /// Whether this processor's SHA instructions do the work (about 5x faster), and a switch
  /// for tests to compare both ways (process-wide; the portable code when `use` is false or the
  /// processor lacks them).
  static bool hardware();
  static void use_hardware(bool use);

 private:
  void compress(const unsigned char* block);
  void compress_portable(const unsigned char* block);
  std::array<std::uint32_t, 8> state_;
  std::array<unsigned char, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

/// SHA-256 of `bytes` as hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace grader
