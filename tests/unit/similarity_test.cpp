#include "grader/similarity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>

#include "grader/formats.hpp"
#include "grader/report.hpp"
#include "grader/similarity_formats.hpp"
#include "support/temp_dir.hpp"

namespace grader {
namespace {

// A C++ solution with enough code of its own to be told apart from another.
const char* kOriginal = R"cpp(#include <cmath>
#include <iostream>

                              // Logistic function.
                              double squash(double z) { return 1.0 / (1.0 + std::exp(-z)); }

                              double forward(double weight, double input, double bias) {
                                double z = weight * input + bias;
                                return squash(z);
                              }

                              double loss(double prediction, double target) {
                                double diff = prediction - target;
                                return diff * diff;
                              }

                              double gradient(double weight, double input, double bias, double target) {
                                double s = forward(weight, input, bias);
                                double dl = 2.0 * (s - target);
                                double ds = s * (1.0 - s);
                                return dl * ds * input;
                              }

                              double update_weight(double weight, double gradient, double learning_rate) {
                                return weight - learning_rate * gradient;
                              }

                              int main() {
                                double w = 0.5;
                                for (int epoch = 0; epoch < 100; ++epoch) {
                                  double g = gradient(w, 1.5, 0.3, 1.0);
                                  w = update_weight(w, g, 0.1);
                                  if (epoch % 10 == 0)
                                    std::cout << "epoch " << epoch << " loss " << loss(forward(w, 1.5, 0.3), 1.0) << "\n";
                                }
                                std::cout << w << std::endl;
                                return 0;
                              }
)cpp";

// The same program renamed, reordered and reformatted, with other comments.
const char* kDisguised = R"cpp(#include <iostream>
#include <cmath>
                               int main() {
                                 double weightValue = 0.25;  // start
                                 for (int it = 0; it < 500; ++it) {
                                   double grad = gradient(weightValue, 2.5, 0.7, 0.0);
                                   weightValue = update_weight(weightValue, grad, 0.01);
                                   if (it % 50 == 0)
                                     std::cout << "iteration " << it << " cost "
                                               << loss(forward(weightValue, 2.5, 0.7), 0.0) << "\n";
                                 }
                                 std::cout << weightValue << std::endl;
                                 return 0;
                               }
                               double update_weight(double w, double g, double lr) { return w - lr * g; }
                               double sig(double t) { return 1.0 / (1.0 + std::exp(-t)); }
                               double gradient(double w, double x, double b, double y) {
                                 double p = forward(w, x, b);
                                 double a1 = 2.0 * (p - y);
                                 double a2 = p * (1.0 - p);
                                 return a1 * a2 * x;
                               }
                               double forward(double w, double x, double b) {
                                 double pre = w * x + b;
                                 return sig(pre);
                               }
                               double loss(double p, double y) {
                                 double e = p - y;
                                 return e * e;
                               }
)cpp";

// Written independently: another shape of the same four functions.
const char* kIndependent = R"cpp(#include <cmath>
#include <vector>

                                 static double logistic(double v) {
                                   if (v >= 0) {
                                     const double e = std::exp(-v);
                                     return 1.0 / (1.0 + e);
                                   }
                                   const double e = std::exp(v);
                                   return e / (1.0 + e);
                                 }

                                 double forward(double weight, double input, double bias) { return logistic(weight * input + bias); }
                                 double loss(double prediction, double target) { return std::pow(prediction - target, 2); }
                                 double gradient(double weight, double input, double bias, double target) {
                                   const double p = forward(weight, input, bias);
                                   return 2 * (p - target) * p * (1 - p) * input;
                                 }
                                 double update_weight(double weight, double gradient, double learning_rate) {
                                   std::vector<double> history{weight};
                                   history.push_back(weight - learning_rate * gradient);
                                   return history.back();
                                 }
)cpp";

SimilarityInput cpp(const std::string& id, const std::string& text) {
  return SimilarityInput{id, Language::Cpp, {{"main.cpp", text}}};
}

SimilarityOptions low_threshold() {
  SimilarityOptions o;
  o.threshold = 0.0;
  o.min_shared = 1;
  return o;
}

TEST(SimilarityTest, RenamedIdentifiersMatch) {
  const std::string renamed = [] {
    std::string t = kOriginal;
    for (auto [from, to] : {std::pair<std::string, std::string>{"weight", "wgt"},
                            {"squash", "act"},
                            {"diff", "delta"},
                            {"epoch", "k"}}) {
      for (std::size_t at = t.find(from); at != std::string::npos;
           at = t.find(from, at + to.size())) {
        t.replace(at, from.size(), to);
      }
    }
    return t;
  }();
  const auto result = compare_submissions({cpp("a", kOriginal), cpp("b", renamed)}, {}, {});
  ASSERT_EQ(result.pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(result.pairs[0].score_a, 1.0);
  EXPECT_DOUBLE_EQ(result.pairs[0].score_b, 1.0);
}

TEST(SimilarityTest, ReorderedAndReformattedCopyIsFoundWithItsLines) {
  const auto result =
      compare_submissions({cpp("orig", kOriginal), cpp("copy", kDisguised)}, {}, {});
  ASSERT_EQ(result.pairs.size(), 1u);
  const SimilarPair& p = result.pairs[0];
  EXPECT_EQ(p.a, "copy");  // ids in order
  EXPECT_EQ(p.b, "orig");
  EXPECT_GE(p.score(), 0.7);
  ASSERT_FALSE(p.matches.empty());
  // The main loop is in lines 3-14 of the copy and 28-36 of the original: some match joins them.
  bool found = false;
  for (const SimilarityMatch& m : p.matches) {
    EXPECT_EQ(m.a.file, "main.cpp");
    EXPECT_LE(m.a.first, m.a.last);
    EXPECT_LE(m.b.first, m.b.last);
    if (m.a.first >= 3 && m.a.last <= 14 && m.b.first >= 27 && m.b.last <= 37) found = true;
  }
  EXPECT_TRUE(found);
}

TEST(SimilarityTest, IndependentSolutionsStayBelowTheThreshold) {
  const auto result =
      compare_submissions({cpp("orig", kOriginal), cpp("other", kIndependent)}, {}, {});
  EXPECT_TRUE(result.pairs.empty());
}

TEST(SimilarityTest, StarterCodeIsNotEvidence) {
  // Both hand in the starter untouched plus one line each: the starter is removed, so nothing
  // is shared.
  const std::string starter = kOriginal;
  const auto excluded = std::vector<SimilarityInput>{cpp("exercise", starter)};
  const auto result = compare_submissions(
      {cpp("a", starter + "int extra_a() { return 1; }\n"),
       cpp("b", starter + "double extra_b(double q) { return q * q + 2.0 * q - 1.0; }\n")},
      excluded, low_threshold());
  EXPECT_TRUE(result.pairs.empty());
  const auto without = compare_submissions(
      {cpp("a", starter + "int extra_a() { return 1; }\n"),
       cpp("b", starter + "double extra_b(double q) { return q * q + 2.0 * q - 1.0; }\n")},
      {}, {});
  EXPECT_EQ(without.pairs.size(), 1u);
}

TEST(SimilarityTest, BoilerplateSharedByMuchOfTheClassIsIgnored) {
  // Ten submissions share one long function; each pair also shares nothing else.
  std::vector<SimilarityInput> inputs;
  for (int i = 0; i < 10; ++i) {
    std::string own = "int own" + std::to_string(i) + "() {";
    for (int j = 0; j <= i; ++j) own += " for (int q = 0; q < 3; ++q) { if (q) break; }";
    own += " return 0; }\n";
    inputs.push_back(cpp("s" + std::to_string(i), std::string(kOriginal) + own));
  }
  SimilarityOptions options = low_threshold();
  options.boilerplate_share = 0.5;  // kOriginal is in all ten: boilerplate
  EXPECT_TRUE(compare_submissions(inputs, {}, options).pairs.size() < 45u);
  options.boilerplate_share = 1.0;  // nothing is boilerplate: every pair shares kOriginal
  EXPECT_EQ(compare_submissions(inputs, {}, options).pairs.size(), 45u);
}

TEST(SimilarityTest, DifferentLanguagesAreNeverCompared) {
  SimilarityInput py{"py", Language::Python, {{"main.py", kOriginal}}};
  const auto result = compare_submissions({cpp("c", kOriginal), py}, {}, low_threshold());
  EXPECT_TRUE(result.pairs.empty());
  EXPECT_EQ(result.compared, 2u);
}

TEST(SimilarityTest, PythonCopiesAreFound) {
  const std::string original =
      "import math\n\ndef forward(w, x, b):\n    z = w * x + b\n    return 1 / (1 + math.exp(-z))\n"
      "\ndef loss(p, t):\n    return (p - t) ** 2\n\n"
      "def gradient(w, x, b, t):\n    s = forward(w, x, b)\n    return 2 * (s - t) * s * (1 - s) * "
      "x\n"
      "\ndef update_weight(w, g, lr):\n    return w - lr * g\n\n"
      "if __name__ == '__main__':\n    w = 0.5\n    for i in range(100):\n"
      "        w = update_weight(w, gradient(w, 1.5, 0.3, 1.0), 0.1)\n"
      "        if i % 10 == 0:\n            print(i, loss(forward(w, 1.5, 0.3), 1.0))\n";
  const std::string copy =
      "import math\ndef update_weight(weight, grad, rate):\n  return weight - rate*grad\n"
      "def loss(pred, target):\n  \"\"\"Squared error.\"\"\"\n  return (pred-target)**2\n"
      "def forward(weight, inp, bias):\n  pre = weight*inp + bias  # z\n"
      "  return 1/(1+math.exp(-pre))\n"
      "def gradient(weight, inp, bias, target):\n  out = forward(weight, inp, bias)\n"
      "  return 2*(out-target)*out*(1-out)*inp\n"
      "if __name__ == '__main__':\n  wt = 0.1\n  for step in range(7):\n"
      "    wt = update_weight(wt, gradient(wt, 2.0, 0.1, 0.0), 0.5)\n"
      "    if step % 2 == 0:\n      print(step, loss(forward(wt, 2.0, 0.1), 0.0))\n";
  const auto result =
      compare_submissions({SimilarityInput{"p1", Language::Python, {{"main.py", original}}},
                           SimilarityInput{"p2", Language::Python, {{"main.py", copy}}}},
                          {}, {});
  ASSERT_EQ(result.pairs.size(), 1u);
  EXPECT_GE(result.pairs[0].score(), 0.8);  // k-grams across a moved function's edges differ
}

TEST(SimilarityTest, LargeShuffledCopiesReportTheirLargestMatchesOnly) {
  // Thousands of distinct one-line functions, the copy in another order: every line is a match
  // of its own; the pair is found and at most 100 matches are reported.
  std::mt19937 random(9);
  const char* shapes[] = {"x + y", "x * (y - 1.5)", "f(x) / y", "(x - y) * (x + 2)", "y"};
  std::vector<std::string> lines;
  for (int i = 0; i < 4000; ++i) {
    std::string body = shapes[random() % 5];
    for (int j = 0; j < 3; ++j)
      body = "(" + body + ") " + "+-*/"[random() % 4] + " " + shapes[random() % 5];
    lines.push_back("double g" + std::to_string(i) + "(double x, double y) { return " + body +
                    "; }");
  }
  std::string original, copy;
  for (const std::string& l : lines) original += l + "\n";
  std::shuffle(lines.begin(), lines.end(), random);
  for (const std::string& l : lines) copy += l + "\n";
  const auto result = compare_submissions({cpp("a", original), cpp("b", copy)}, {}, {});
  ASSERT_EQ(result.pairs.size(), 1u);
  EXPECT_GE(result.pairs[0].score(), 0.5);
  EXPECT_EQ(result.pairs[0].matches.size(), 100u);
}

TEST(SimilarityTest, WinnowingFindsEveryMatchOfTheGuaranteedLength) {
  // Random sequences sharing one run of exactly t = w + k - 1 symbols always share a fingerprint.
  const SimilarityOptions o;
  std::mt19937 random(5);
  for (int round = 0; round < 300; ++round) {
    std::vector<std::uint32_t> run(o.guarantee_tokens());
    for (auto& s : run) s = static_cast<std::uint32_t>(random() % 50);
    std::vector<std::uint32_t> x, y;
    for (int i = 0; i < 40; ++i) x.push_back(static_cast<std::uint32_t>(1000 + random() % 50));
    for (int i = 0; i < 25; ++i) y.push_back(static_cast<std::uint32_t>(2000 + random() % 50));
    x.insert(x.end(), run.begin(), run.end());
    y.insert(y.begin() + 10, run.begin(), run.end());
    const auto fx = winnow(kgram_hashes(x, o.kgram), o.window);
    const auto fy = winnow(kgram_hashes(y, o.kgram), o.window);
    bool shared = false;
    for (const auto& a : fx) {
      for (const auto& b : fy) shared = shared || a.hash == b.hash;
    }
    EXPECT_TRUE(shared) << "round " << round;
  }
}

TEST(SimilarityTest, WinnowingSelectsEachWindowsMinimumOnce) {
  const std::vector<std::uint64_t> hashes = {77, 72, 42, 17, 98, 50, 17, 98, 8,
                                             88, 67, 39, 77, 72, 42, 17, 98};
  // The paper's example (w = 4): 17 17 8 39 17.
  const auto f = winnow(hashes, 4);
  std::vector<std::uint64_t> values;
  for (const auto& x : f) values.push_back(x.hash);
  EXPECT_EQ(values, (std::vector<std::uint64_t>{17, 17, 8, 39, 17}));
  EXPECT_EQ(f[0].position, 3u);
  EXPECT_EQ(f[1].position, 6u);
  EXPECT_EQ(winnow({5, 3, 9}, 8).size(), 1u);  // shorter than a window: its minimum
  EXPECT_TRUE(kgram_hashes({1, 2, 3}, 4).empty());
}

TEST(SimilarityTest, ReportSectionAndCsvNameThePairs) {
  Report report;
  report.exercise = "backprop";
  report.similarity =
      compare_submissions({cpp("=evil", kOriginal), cpp("copy", kDisguised)}, {}, {});
  std::ostringstream json;
  auto reporter = make_json_reporter(json);
  write_report(*reporter, report);
  EXPECT_NE(json.str().find("\"similarity\": {"), std::string::npos);
  EXPECT_NE(json.str().find("\"guarantee_tokens\": 13"), std::string::npos);
  std::ostringstream csv;
  write_similarity_csv(*report.similarity, csv);
  EXPECT_EQ(csv.str().rfind("rank,a,b,language,score,", 0), 0u);
  EXPECT_NE(csv.str().find("1,'=evil,copy,cpp,"), std::string::npos);
  std::ostringstream html;
  write_similarity_page(*report.similarity, "backprop", html);
  EXPECT_NE(html.str().find("<mark class=\"m0\" data-match=\"1\">"), std::string::npos);
  EXPECT_EQ(html.str().find("<script"), std::string::npos);
}

TEST(SimilarityTest, ClassFormatsCarryTheSection) {
  // batch --similarity: the dashboard gets the section, csv a similarity.csv beside grades.csv.
  testing::TempDir dir;
  Report report;
  report.exercise = "backprop";
  report.similarity =
      compare_submissions({cpp("orig", kOriginal), cpp("copy", kDisguised)}, {}, {});
  write_formats(report, {"csv", "html", "json"}, dir.path());
  const auto read = [&](const char* name) {
    std::ifstream in(dir.path() / name);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  EXPECT_NE(read("index.html").find("<section id=\"similarity\">"), std::string::npos);
  EXPECT_EQ(read("similarity.csv").rfind("rank,a,b,", 0), 0u);
  EXPECT_FALSE(read("grades.csv").empty());
  EXPECT_NE(read("report.json").find("\"pairs\": ["), std::string::npos);
}

TEST(SimilarityTest, UnreadableSubmissionsAreSkippedWithTheirReason) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.path() / "empty");
  std::ofstream(dir.path() / "ok.py") << "print(1)\n";
  std::string reason;
  const SimilarityInput empty = read_similarity_input(dir.path() / "empty", reason);
  EXPECT_EQ(empty.id, "empty");
  EXPECT_FALSE(reason.empty());
  const SimilarityInput ok = read_similarity_input(dir.path() / "ok.py", reason);
  EXPECT_TRUE(reason.empty());
  EXPECT_EQ(ok.language, Language::Python);
  ASSERT_EQ(ok.files.size(), 1u);
  EXPECT_EQ(ok.files[0].text, "print(1)\n");
}

}  // namespace
}  // namespace grader
