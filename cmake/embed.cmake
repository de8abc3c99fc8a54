# Turns a text file into a C++ source defining `std::string_view NAME()`, so the binary carries
# its schema migrations and API document with it.
file(READ "${INPUT}" content)
file(WRITE "${OUTPUT}.tmp"
  "#include <string_view>\nnamespace depot::embedded {\nstd::string_view ${NAME}() {\n"
  "  static constexpr char kText[] = R\"depot_embed(${content})depot_embed\";\n"
  "  return {kText, sizeof(kText) - 1};\n}\n}  // namespace depot::embedded\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
