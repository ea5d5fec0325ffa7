#include "grader/tokens.hpp"

#include <gtest/gtest.h>

namespace grader {
namespace {

TEST(TokensTest, SelectorAndHashOfAFreshToken) {
  const NewToken t = make_token();
  EXPECT_EQ(t.token.size(), 67u);
  EXPECT_EQ(t.token.substr(0, 3), "gt_");
  EXPECT_EQ(token_selector(t.token), t.token.substr(3, 16));
  EXPECT_EQ(token_hash(t.token), t.hash);
  EXPECT_NE(make_token().token, t.token);
}

TEST(TokensTest, MalformedTokensHaveNoSelector) {
  EXPECT_FALSE(token_selector(""));
  EXPECT_FALSE(token_selector("gt_abc"));
  EXPECT_FALSE(token_selector("xx_" + std::string(64, 'a')));
  EXPECT_FALSE(token_selector("gt_" + std::string(63, 'a') + "G"));
}

TEST(TokensTest, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal("abc", "abc"));
  EXPECT_FALSE(constant_time_equal("abc", "abd"));
  EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

}  // namespace
}  // namespace grader
