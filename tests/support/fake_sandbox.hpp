#pragma once
// A Sandbox that runs nothing: each call returns the next scripted outcome and records the request.

#include <deque>
#include <functional>
#include <mutex>
#include <vector>

#include "grader/sandbox.hpp"

namespace grader::testing {

class FakeSandbox final : public Sandbox {
 public:
  /// Computes an outcome from the request (for example from the cases file in its box).
  using Script = std::function<RunOutcome(const RunRequest&)>;

  void push(RunOutcome outcome) {
    scripted_.push_back([outcome](const RunRequest&) { return outcome; });
  }
  void push(Script script) { scripted_.push_back(std::move(script)); }

  RunOutcome run(const RunRequest& request) override {
    std::lock_guard<std::mutex> lock(mutex_);
    requests.push_back(request);
    if (scripted_.empty()) return RunOutcome{};
    Script next = std::move(scripted_.front());
    scripted_.pop_front();
    return next(request);
  }
  std::string description() const override { return "fake sandbox"; }
  bool unsafe() const override { return false; }

  std::vector<RunRequest> requests;

 private:
  std::mutex mutex_;
  std::deque<Script> scripted_;
};

}  // namespace grader::testing
