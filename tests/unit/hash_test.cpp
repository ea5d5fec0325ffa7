#include "grader/hash.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace grader {
namespace {

TEST(HashTest, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// Both ways of compressing (the processor's SHA instructions where it has them, and the
// portable code) give the standard's digests, and each other's on inputs of every length
// around the block size.
TEST(HashTest, HardwareAndPortableAgree) {
  const bool had_hardware = Sha256::hardware();
  std::vector<std::string> inputs = {"", "abc", std::string(1000000, 'a')};
  std::string text;
  for (int i = 0; i < 300; ++i) {
    inputs.push_back(text);
    text.push_back(static_cast<char>((i * 131 + 7) & 0xff));
  }
  std::vector<std::string> digests[2];
  for (const bool hardware : {false, true}) {
    Sha256::use_hardware(hardware);
    EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
              "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    EXPECT_EQ(sha256_hex("abc"),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    for (const std::string& input : inputs) digests[hardware].push_back(sha256_hex(input));
  }
  Sha256::use_hardware(had_hardware);
  EXPECT_EQ(digests[0], digests[1]);
  if (!had_hardware)
    GTEST_SKIP() << "this processor has no SHA instructions: only the portable code ran";
}

TEST(HashTest, IncrementalEqualsWhole) {
  const std::string text(1000, 'x');
  Sha256 parts;
  for (std::size_t i = 0; i < text.size(); i += 7) parts.update(text.substr(i, 7));
  EXPECT_EQ(parts.hex_digest(), sha256_hex(text));
}

}  // namespace
}  // namespace grader
