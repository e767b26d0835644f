# The libFuzzer targets of fuzz/ (included by CMakeLists.txt when BULLET_FUZZ is on; standalone
# build only). Every fuzz/<name>.cc but make-corpus.cc is one target, fuzz-<name>, in bin/.
# The module is compiled with libFuzzer's coverage instrumentation, AddressSanitizer and
# UndefinedBehaviorSanitizer; an undefined-behaviour report aborts, so libFuzzer records the
# input as a crash. See doc/hardening.md.
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "BULLET_FUZZ needs clang (libFuzzer): configure with "
                      "-DCMAKE_CXX_COMPILER=clang++-14, or use ./ns3 configure --fuzz")
endif()
set(bullet_fuzz_flags -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
                      -fno-omit-frame-pointer)
target_compile_options(ns3-bullet PRIVATE ${bullet_fuzz_flags})
target_link_options(ns3-bullet PRIVATE -fsanitize=address,undefined)

file(GLOB bullet_fuzz_sources CONFIGURE_DEPENDS ${bullet_dir}/fuzz/*.cc)
list(FILTER bullet_fuzz_sources EXCLUDE REGEX "/make-corpus\\.cc$")
add_custom_target(bullet-fuzz)
foreach(src ${bullet_fuzz_sources})
  get_filename_component(name ${src} NAME_WE)
  add_executable(fuzz-${name} ${src})
  target_compile_options(fuzz-${name} PRIVATE ${bullet_fuzz_flags})
  target_link_options(fuzz-${name} PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(fuzz-${name} PRIVATE ns3-bullet)
  add_dependencies(bullet-fuzz fuzz-${name})
endforeach()

# The seed corpora's generator (an ordinary program: its own main, no libFuzzer).
add_executable(bullet-fuzz-corpus ${bullet_dir}/fuzz/make-corpus.cc)
target_compile_options(bullet-fuzz-corpus PRIVATE ${bullet_fuzz_flags})
target_link_options(bullet-fuzz-corpus PRIVATE -fsanitize=address,undefined)
target_link_libraries(bullet-fuzz-corpus PRIVATE ns3-bullet)
