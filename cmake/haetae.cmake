# haetae_module(NAME DIRS d1 [d2...] DEPS t1 [t2...])
# One static library per module from the *.cc files of its folders (tests excluded), and one
# GoogleTest executable per module from the *_test.cc files in those folders' tests/ subfolders.
# Globs use CONFIGURE_DEPENDS so a new file can never sit outside the build.
function(haetae_module name)
  cmake_parse_arguments(M "" "" "DIRS;DEPS;TEST_DEPS" ${ARGN})
  set(sources)
  set(tests)
  foreach(dir ${M_DIRS})
    file(GLOB dir_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/*.cc)
    list(FILTER dir_sources EXCLUDE REGEX "_test\\.cc$|/main\\.cc$")
    list(APPEND sources ${dir_sources})
    file(GLOB dir_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${dir}/tests/*.cc)
    list(APPEND tests ${dir_tests})
  endforeach()
  if(sources)
    add_library(haetae_${name} STATIC ${sources})
    target_include_directories(haetae_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(haetae_${name} PUBLIC ${M_DEPS})
  else()  # header-only so far
    add_library(haetae_${name} INTERFACE)
    target_include_directories(haetae_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(haetae_${name} INTERFACE ${M_DEPS})
  endif()
  if(tests)
    add_executable(${name}_tests ${tests})
    target_link_libraries(${name}_tests PRIVATE haetae_${name} ${M_TEST_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
    # Tests that run the real binary find it here; `make test` builds everything first. (No
    # target dependency: building one module's tests must not need every other module.)
    target_compile_definitions(${name}_tests PRIVATE HAETAE_BINARY="$<TARGET_FILE:haetae>")
    gtest_discover_tests(${name}_tests DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                         PROPERTIES LABELS ${name} TIMEOUT 600)
  endif()
endfunction()

# haetae_test_suite(NAME DIR dir DEPS ...): one GoogleTest executable from every .cc in `dir`
# (tests and their helpers), for suites that test the whole program from outside.
function(haetae_test_suite name)
  cmake_parse_arguments(M "" "DIR" "DEPS" ${ARGN})
  file(GLOB sources CONFIGURE_DEPENDS ${M_DIR}/*.cc)
  if(NOT sources)
    return()
  endif()
  add_executable(${name}_tests ${sources})
  target_link_libraries(${name}_tests PRIVATE ${M_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name}_tests PRIVATE HAETAE_BINARY="$<TARGET_FILE:haetae>")
  add_dependencies(${name}_tests haetae)
  gtest_discover_tests(${name}_tests DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS ${name} TIMEOUT 600)
endfunction()
