#include "grader/hash.hpp"

#include <gtest/gtest.h>

namespace grader {
namespace {

TEST(HashTest, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(HashTest, IncrementalEqualsWhole) {
  const std::string text(1000, 'x');
  Sha256 parts;
  for (std::size_t i = 0; i < text.size(); i += 7) parts.update(text.substr(i, 7));
  EXPECT_EQ(parts.hex_digest(), sha256_hex(text));
}

}  // namespace
}  // namespace grader
