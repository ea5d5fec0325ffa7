#include "grader/tokenize.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>

namespace grader {
namespace {

std::vector<std::uint32_t> symbols(const std::vector<Token>& tokens) {
  std::vector<std::uint32_t> out;
  for (const Token& t : tokens) out.push_back(t.symbol);
  return out;
}

std::vector<TokenKind> kinds(const std::vector<Token>& tokens) {
  std::vector<TokenKind> out;
  for (const Token& t : tokens) out.push_back(t.kind);
  return out;
}

TEST(TokenizeTest, CppRenamingAndReformattingChangeNothing) {
  const auto a = tokenize_cpp(
      "#include <cmath>\n"
      "// the forward pass\n"
      "double forward(double w, double x, double b) {\n"
      "  return 1.0 / (1.0 + std::exp(-(w * x + b)));  /* sigmoid */\n"
      "}\n");
  const auto b = tokenize_cpp(
      "#include \"backprop.hpp\"\n#include <cmath>\n"
      "double   predict ( double weight,double input,double bias ){return 1/(1+std::exp(-(weight*"
      "input+bias)));}");
  EXPECT_EQ(symbols(a), symbols(b));
  ASSERT_FALSE(a.empty());
  EXPECT_EQ(a.front().kind, TokenKind::Keyword);  // double: the include line is gone
  EXPECT_EQ(a.front().line, 3u);
}

TEST(TokenizeTest, CppLiteralsFoldToTheirKind) {
  const auto t =
      tokenize_cpp("x = 0x1p-3; s = u8\"a\\\"b\"; c = 'q'; r = R\"xy(a)\"b)xy\"; n = 1'000;");
  EXPECT_EQ(
      kinds(t),
      (std::vector<TokenKind>{
          TokenKind::Identifier, TokenKind::Operator, TokenKind::Number, TokenKind::Operator,
          TokenKind::Identifier, TokenKind::Operator, TokenKind::String, TokenKind::Operator,
          TokenKind::Identifier, TokenKind::Operator, TokenKind::Char,   TokenKind::Operator,
          TokenKind::Identifier, TokenKind::Operator, TokenKind::String, TokenKind::Operator,
          TokenKind::Identifier, TokenKind::Operator, TokenKind::Number, TokenKind::Operator}));
}

TEST(TokenizeTest, CppOperatorsTakeTheLongestMatch) {
  const auto t = tokenize_cpp("a<<=b->c::d<=>e");
  ASSERT_EQ(t.size(), 9u);
  EXPECT_NE(t[1].symbol, tokenize_cpp("a<b")[1].symbol);
  EXPECT_EQ(t[1].symbol, tokenize_cpp("<<=")[0].symbol);
  EXPECT_EQ(t[7].symbol, tokenize_cpp("<=>")[0].symbol);
}

TEST(TokenizeTest, CppDirectivesOtherThanIncludeAreKept) {
  const auto t = tokenize_cpp("  #  define SQ(x) ((x)*(x))\n#include <x>\nint y;");
  ASSERT_FALSE(t.empty());
  EXPECT_EQ(t[0].kind, TokenKind::Directive);
  EXPECT_EQ(t[0].symbol, tokenize_cpp("#define")[0].symbol);
  EXPECT_EQ(t.back().line, 3u);
}

TEST(TokenizeTest, CppLineNumbersCountEveryNewline) {
  const auto t = tokenize_cpp("/* a\n b\n */ int\n\"s\"\nR\"(1\n2)\" x");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[0].line, 3u);
  EXPECT_EQ(t[1].line, 4u);
  EXPECT_EQ(t[2].line, 5u);
  EXPECT_EQ(t[3].line, 6u);
}

TEST(TokenizeTest, PythonIndentationBecomesTokens) {
  const auto t =
      tokenize_python("def f(a,\n      b):\n    if a:\n        return b\n    return a\n");
  EXPECT_EQ(
      kinds(t),
      (std::vector<TokenKind>{
          TokenKind::Keyword,    TokenKind::Identifier, TokenKind::Operator, TokenKind::Identifier,
          TokenKind::Operator,   TokenKind::Identifier, TokenKind::Operator, TokenKind::Operator,
          TokenKind::Newline,    TokenKind::Indent,     TokenKind::Keyword,  TokenKind::Identifier,
          TokenKind::Operator,   TokenKind::Newline,    TokenKind::Indent,   TokenKind::Keyword,
          TokenKind::Identifier, TokenKind::Newline,    TokenKind::Dedent,   TokenKind::Keyword,
          TokenKind::Identifier, TokenKind::Newline,    TokenKind::Dedent}));
}

TEST(TokenizeTest, PythonCommentsDocstringsAndBlankLinesChangeNothing) {
  const auto a = tokenize_python(
      "import math\n\n\ndef forward(w, x, b):\n    \"\"\"The prediction.\n\n    Long.\"\"\"\n"
      "    # z first\n    z = w * x + b  # pre-activation\n\n    return 1 / (1 + math.exp(-z))\n");
  const auto b = tokenize_python(
      "import math\ndef predict(weight, inp, bias):\n  z = weight*inp+bias\n"
      "  return 1.0/(1.0+math.exp(-z))\n");
  EXPECT_EQ(symbols(a), symbols(b));
}

TEST(TokenizeTest, PythonStringPrefixesAndNumbers) {
  const auto t = tokenize_python("x = rb'a\\'b' + f\"{y}\" + 1_000.5e-3j + 0x_ff\n");
  EXPECT_EQ(kinds(t),
            (std::vector<TokenKind>{TokenKind::Identifier, TokenKind::Operator, TokenKind::String,
                                    TokenKind::Operator, TokenKind::String, TokenKind::Operator,
                                    TokenKind::Number, TokenKind::Operator, TokenKind::Number,
                                    TokenKind::Newline}));
}

TEST(TokenizeTest, UnterminatedStringsAndCommentsEndTheText) {
  EXPECT_EQ(tokenize_cpp("int x; /* never closed").size(), 3u);
  EXPECT_EQ(tokenize_cpp("s = \"open\nint y;").size(), 6u);  // the string stops at the line end
  EXPECT_EQ(tokenize_cpp("s = R\"d(never closed").size(), 3u);
  EXPECT_EQ(tokenize_python("s = '''never closed\n\n").size(), 4u);
  EXPECT_EQ(tokenize_python("x = (1,\n2)\n").size(), 8u);  // no Newline inside brackets
}

TEST(TokenizeTest, HostileBytesNeverCrashOrHang) {
  std::mt19937 random(17);
  for (int round = 0; round < 200; ++round) {
    std::string junk(static_cast<std::size_t>(random() % 4000), '\0');
    for (char& c : junk) c = static_cast<char>(random() % 256);
    // Biased toward the characters that open or close tokens.
    for (std::size_t i = 0; i < junk.size(); i += 7) junk[i] = "\"'/*#\\\n(R)\t "[random() % 13];
    const auto cpp = tokenize_cpp(junk);
    const auto py = tokenize_python(junk);
    EXPECT_LE(cpp.size(), junk.size());
    EXPECT_LE(py.size(), 3 * junk.size() + 200);
  }
}

TEST(TokenizeTest, HugeInputsAreCapped) {
  const std::string big(3 * kMaxLexedBytes, 'a');
  std::string spaced;
  for (std::size_t i = 0; i < 2 * kMaxLexedBytes / 2; ++i) spaced += "a ";
  EXPECT_EQ(tokenize_cpp(big).size(), 1u);
  EXPECT_EQ(tokenize_cpp(spaced).size(), kMaxLexedBytes / 2);
  // Deep indentation and unbalanced brackets stay bounded.
  std::string deep;
  for (int i = 0; i < 5000; ++i) deep += std::string(static_cast<std::size_t>(i), ' ') + "x\n";
  EXPECT_LT(tokenize_python(deep).size(), 5u * 5000u);
  EXPECT_FALSE(tokenize_python(std::string(100000, '(')).empty());
}

}  // namespace
}  // namespace grader
