// Hostile test submission (cpp-include-reference-abs): hands in nothing but an #include of the
// repository's reference solution by its absolute path (@REPO@ is filled in by the checker).
// Expected: compile_error (the repository is not in the box). Had it compiled, the reference
// would score full marks for this submission.
#include "@REPO@/reference/backprop/solution.cpp"
