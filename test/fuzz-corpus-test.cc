/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// The libFuzzer targets of fuzz/, run over their committed seeds (fuzz/corpus/<target>/) in the
// ordinary suite. Each target is compiled into this suite with its entry point renamed (the
// build's fuzz-targets.inc lists them, CMakeLists.txt); a target's checks abort on a failure
// (FUZZ_CHECK in fuzz/fuzz-util.h), which ends this case's process with the failed check on
// stderr. So a target that no longer compiles, or a seed that a parser change now breaks (a
// round trip that is no longer exact, an accepted input that no longer serializes to its
// bytes), fails here without the fuzz build; the fuzz build (`./ns3 configure --fuzz`,
// fuzz/run-all) is still what searches for new inputs.

#include <gtest/gtest.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#define BULLET_FUZZ_TARGET(name, fn) extern "C" int fn(const uint8_t* data, size_t size);
#include "fuzz-targets.inc"
#undef BULLET_FUZZ_TARGET

namespace
{

struct FuzzTarget
{
    const char* name;                          ///< fuzz/<name>.cc, fuzz/corpus/<name>/
    int (*entry)(const uint8_t*, size_t size); ///< its LLVMFuzzerTestOneInput
};

const std::vector<FuzzTarget>&
Targets()
{
#define BULLET_FUZZ_TARGET(name, fn) {name, &fn},
    static const std::vector<FuzzTarget> targets = {
#include "fuzz-targets.inc"
    };
#undef BULLET_FUZZ_TARGET
    return targets;
}

std::vector<std::string>
TargetNames()
{
    std::vector<std::string> names;
    for (const auto& t : Targets())
    {
        names.emplace_back(t.name);
    }
    return names;
}

std::vector<uint8_t>
ReadFile(const std::filesystem::path& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
}

class FuzzCorpus : public ::testing::TestWithParam<std::string>
{
};

TEST(FuzzCorpus, EveryTargetIsInTheSuiteWithSeeds)
{
    // The suite compiles fuzz/*.cc but make-corpus.cc; each needs seeds to be worth running.
    const std::filesystem::path fuzz = std::filesystem::path(BULLET_SOURCE_DIR) / "fuzz";
    std::vector<std::string> sources;
    for (const auto& entry : std::filesystem::directory_iterator(fuzz))
    {
        if (entry.path().extension() == ".cc" && entry.path().stem() != "make-corpus")
        {
            sources.push_back(entry.path().stem().string());
        }
    }
    std::sort(sources.begin(), sources.end());
    std::vector<std::string> names = TargetNames();
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, sources);
    for (const auto& name : names)
    {
        EXPECT_TRUE(std::filesystem::is_directory(fuzz / "corpus" / name))
            << "no seeds for fuzz target " << name << " (fuzz/make-corpus.cc writes them)";
    }
}

TEST_P(FuzzCorpus, SeedsPassTheTargetsChecks)
{
    const auto& targets = Targets();
    auto it = std::find_if(targets.begin(), targets.end(), [](const FuzzTarget& t) {
        return GetParam() == t.name;
    });
    ASSERT_NE(it, targets.end());
    const std::filesystem::path dir
        = std::filesystem::path(BULLET_SOURCE_DIR) / "fuzz" / "corpus" / GetParam();
    ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
    std::vector<std::filesystem::path> paths;
    for (const auto& entry : std::filesystem::directory_iterator(dir))
    {
        if (entry.is_regular_file())
        {
            paths.push_back(entry.path());
        }
    }
    std::sort(paths.begin(), paths.end());
    ASSERT_FALSE(paths.empty()) << dir;
    std::vector<std::vector<uint8_t>> seeds;
    for (const auto& path : paths)
    {
        SCOPED_TRACE(path.string());
        seeds.push_back(ReadFile(path));
        // libFuzzer's contract: the return value must be 0 (non-zero is reserved).
        EXPECT_EQ(it->entry(seeds.back().data(), seeds.back().size()), 0);
    }
    // Inputs the seeds cannot be: none at all, and each seed cut short by one byte (a parser
    // must reject or accept a truncated message cleanly; the target's checks say which).
    static const uint8_t kNone[1] = {0};
    EXPECT_EQ(it->entry(kNone, 0), 0);
    for (size_t k = 0; k < seeds.size(); ++k)
    {
        SCOPED_TRACE(paths[k].string() + ", last byte cut");
        if (!seeds[k].empty())
        {
            EXPECT_EQ(it->entry(seeds[k].data(), seeds[k].size() - 1), 0);
        }
    }
}

INSTANTIATE_TEST_SUITE_P(Targets, FuzzCorpus, ::testing::ValuesIn(TargetNames()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             std::string id = info.param;
                             std::replace(id.begin(), id.end(), '-', '_');
                             return id;
                         });

} // namespace
