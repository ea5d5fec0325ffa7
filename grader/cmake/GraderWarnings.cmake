# Warnings for the project's own targets; not exported, not forced on anyone who embeds us.
add_library(grader_warnings INTERFACE)
target_compile_options(grader_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wswitch-enum)
if(GRADER_WARNINGS_AS_ERRORS)
  target_compile_options(grader_warnings INTERFACE -Werror)
endif()
