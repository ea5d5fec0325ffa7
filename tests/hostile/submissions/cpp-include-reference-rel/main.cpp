// Hostile test submission (cpp-include-reference-rel): hands in nothing but an #include of
// `reference/` by a path relative to the submission. The checker copies the submissions to
// TMP/subs/ and plants TMP/reference/backprop/solution.cpp (a correct solution carrying the
// run's secret), which is what this path reaches from outside a box.
// Expected: compile_error (nothing above /box in the box); the secret never shows up.
#include "../../reference/backprop/solution.cpp"
