#include "grader/status.hpp"

#include <array>
#include <utility>

namespace grader {
namespace {

constexpr std::array<std::pair<CaseStatus, std::string_view>, 11> kCaseStatusNames{{
    {CaseStatus::Passed, "passed"},
    {CaseStatus::WrongAnswer, "wrong_answer"},
    {CaseStatus::WrongShape, "wrong_shape"},
    {CaseStatus::NotANumber, "not_a_number"},
    {CaseStatus::RuntimeError, "runtime_error"},
    {CaseStatus::Timeout, "timeout"},
    {CaseStatus::MemoryLimit, "memory_limit"},
    {CaseStatus::OutputLimit, "output_limit"},
    {CaseStatus::Missing, "missing"},
    {CaseStatus::NotRun, "not_run"},
    {CaseStatus::SecurityViolation, "security_violation"},
}};

constexpr std::array<std::pair<SubmissionStatus, std::string_view>, 4> kSubmissionStatusNames{{
    {SubmissionStatus::Graded, "graded"},
    {SubmissionStatus::CompileError, "compile_error"},
    {SubmissionStatus::Invalid, "invalid"},
    {SubmissionStatus::InternalError, "internal_error"},
}};

constexpr std::array<std::pair<Visibility, std::string_view>, 2> kVisibilityNames{{
    {Visibility::Visible, "visible"},
    {Visibility::Hidden, "hidden"},
}};

constexpr std::array<std::pair<Language, std::string_view>, 2> kLanguageNames{{
    {Language::Cpp, "cpp"},
    {Language::Python, "python"},
}};

template <typename Enum, std::size_t N>
std::string_view name_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                         Enum value) {
  for (const auto& [entry, name] : table) {
    if (entry == value) return name;
  }
  return "?";  // unreachable for valid enum values: every enumerator is in its table
}

template <typename Enum, std::size_t N>
std::optional<Enum> value_of(const std::array<std::pair<Enum, std::string_view>, N>& table,
                             std::string_view text) {
  for (const auto& [entry, name] : table) {
    if (name == text) return entry;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(CaseStatus status) { return name_of(kCaseStatusNames, status); }
std::string_view to_string(SubmissionStatus status) {
  return name_of(kSubmissionStatusNames, status);
}
std::string_view to_string(Visibility visibility) { return name_of(kVisibilityNames, visibility); }
std::string_view to_string(Language language) { return name_of(kLanguageNames, language); }

std::optional<CaseStatus> parse_case_status(std::string_view text) {
  return value_of(kCaseStatusNames, text);
}
std::optional<SubmissionStatus> parse_submission_status(std::string_view text) {
  return value_of(kSubmissionStatusNames, text);
}
std::optional<Visibility> parse_visibility(std::string_view text) {
  return value_of(kVisibilityNames, text);
}
std::optional<Language> parse_language(std::string_view text) {
  return value_of(kLanguageNames, text);
}

}  // namespace grader
