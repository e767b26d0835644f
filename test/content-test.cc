/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "wire-test-util.h"

#include "ns3/block-manifest.h"
#include "ns3/block-store.h"
#include "ns3/file-content.h"
#include "ns3/sha256.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <iterator>
#include <numeric>
#include <stdexcept>
#include <string>
#include <unistd.h>
#include <vector>

using namespace ns3;
using namespace bullet_test;

namespace
{

// FIPS 180-2, Appendix B: SHA-256 of "abc" (B.1) and of a million 'a' (B.3); and of "".
const char* const kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
const char* const kMillionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";
const char* const kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// A path in the test temporary directory unique to this test process (CTest runs cases in
/// parallel).
std::string
TempPath(const std::string& name)
{
    return ::testing::TempDir() + "bullet-content-" + std::to_string(::getpid()) + "-" + name;
}

/// Writes \p bytes to \p path.
void
WriteFile(const std::string& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    ASSERT_TRUE(out.good()) << path;
}

/// The bytes of the file at \p path.
std::vector<uint8_t>
ReadFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::vector<uint8_t>(std::istreambuf_iterator<char>(in),
                                std::istreambuf_iterator<char>());
}

std::vector<uint8_t>
Bytes(const std::string& s)
{
    return std::vector<uint8_t>(s.begin(), s.end());
}

/// Every byte of \p content.
std::vector<uint8_t>
AllBytes(const FileContent& content)
{
    return std::vector<uint8_t>(content.GetData(), content.GetData() + content.GetSize());
}

/// 0..n-1 shuffled (Fisher-Yates, seeded).
std::vector<uint32_t>
Shuffled(uint32_t n, uint32_t seed)
{
    boost::random::mt19937 rng(seed);
    std::vector<uint32_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    for (uint32_t i = n; i > 1; --i)
    {
        boost::random::uniform_int_distribution<uint32_t> pick(0, i - 1);
        std::swap(order[i - 1], order[pick(rng)]);
    }
    return order;
}

} // namespace

// SHA-256 through the manifest of a one-block file matches FIPS 180-2's test vectors.
TEST(Content, ManifestDigestsMatchFipsVectors)
{
    BlockManifest abc = BlockManifest::Make(FileContent::FromBytes(Bytes("abc")), 16384);
    EXPECT_EQ(abc.GetNumBlocks(), 1u);
    EXPECT_EQ(abc.GetBlockBytes(0), 3u);
    EXPECT_EQ(BlockManifest::ToHex(abc.GetBlockDigest(0)), kAbc);
    EXPECT_EQ(BlockManifest::ToHex(abc.GetFileDigest()), kAbc);

    std::vector<uint8_t> million(1000000, 'a');
    BlockManifest oneBlock = BlockManifest::Make(FileContent::FromBytes(million), 1000000);
    EXPECT_EQ(oneBlock.GetNumBlocks(), 1u);
    EXPECT_EQ(BlockManifest::ToHex(oneBlock.GetBlockDigest(0)), kMillionA);
    EXPECT_EQ(BlockManifest::ToHex(oneBlock.GetFileDigest()), kMillionA);
    // The whole file's digest does not depend on how it is cut.
    BlockManifest blocks = BlockManifest::Make(FileContent::FromBytes(million), 16384);
    EXPECT_EQ(blocks.GetNumBlocks(), 62u);
    EXPECT_EQ(BlockManifest::ToHex(blocks.GetFileDigest()), kMillionA);

    // A file is never empty, so "" goes through the hasher the manifest uses, both ways.
    EXPECT_EQ(BlockManifest::ToHex(Sha256::Of(nullptr, 0)), kEmpty);
    Sha256 h;
    h.Update(nullptr, 0);
    EXPECT_EQ(BlockManifest::ToHex(h.Finish()), kEmpty);
    // Incremental, and reusable after Finish().
    h.Update(reinterpret_cast<const uint8_t*>("a"), 1);
    h.Update(reinterpret_cast<const uint8_t*>("bc"), 2);
    EXPECT_EQ(BlockManifest::ToHex(h.Finish()), kAbc);
}

// Generate() gives the same bytes for the same size and seed, different bytes for another
// seed, and a shorter file is a prefix of a longer one; pinned to one digest so that a change
// of the generator (or a machine that disagrees) shows.
TEST(Content, GenerateIsDeterministicAndDiffersBySeed)
{
    FileContent a = FileContent::Generate(100003, 1);
    FileContent b = FileContent::Generate(100003, 1);
    FileContent c = FileContent::Generate(100003, 2);
    EXPECT_FALSE(a.IsVirtual());
    EXPECT_EQ(a.GetSize(), 100003u);
    EXPECT_EQ(AllBytes(a), AllBytes(b));
    EXPECT_NE(AllBytes(a), AllBytes(c));
    // Not a degenerate stream: every byte value appears, no long runs of one value.
    std::vector<uint32_t> seen(256, 0);
    for (uint8_t x : AllBytes(a))
    {
        ++seen[x];
    }
    for (uint32_t n : seen)
    {
        EXPECT_GT(n, 200u);
        EXPECT_LT(n, 600u);
    }
    std::vector<uint8_t> shorter = AllBytes(FileContent::Generate(1001, 1));
    std::vector<uint8_t> longer = AllBytes(a);
    EXPECT_TRUE(std::equal(shorter.begin(), shorter.end(), longer.begin()));

    // Computed independently from the documented formula (a Python replica and hashlib).
    EXPECT_EQ(BlockManifest::ToHex(Sha256::Of(a.GetData(), a.GetSize())),
              "207b7db2d295532cbf472425fc64df5f9c2db4eddd0ee1ebb1dc5fa29f2e4cb5");
    EXPECT_THROW(FileContent::Generate(0, 1), std::runtime_error);
}

// A generated file whose last block is short: sizes, per-block digests, ReadBlock.
TEST(Content, ManifestOfGeneratedFileWithShortLastBlock)
{
    const uint32_t blockSize = 16384;
    FileContent content = FileContent::Generate(6 * blockSize + 1696, 7);
    BlockManifest m = BlockManifest::Make(content, blockSize);
    EXPECT_FALSE(m.IsVirtual());
    EXPECT_EQ(m.GetFileSize(), 6u * blockSize + 1696);
    EXPECT_EQ(m.GetBlockSize(), blockSize);
    ASSERT_EQ(m.GetNumBlocks(), 7u);
    std::vector<uint8_t> block;
    Sha256 file;
    for (uint32_t b = 0; b < 7; ++b)
    {
        content.ReadBlock(b, blockSize, block);
        EXPECT_EQ(block.size(), b < 6 ? blockSize : 1696u);
        EXPECT_EQ(m.GetBlockBytes(b), block.size());
        EXPECT_TRUE(std::equal(block.begin(), block.end(), content.GetData() + b * blockSize));
        EXPECT_EQ(m.GetBlockDigest(b), Sha256::Of(block.data(), block.size()));
        EXPECT_TRUE(m.Verify(b, block.data(), block.size()));
        file.Update(block.data(), block.size());
    }
    EXPECT_EQ(m.GetFileDigest(), file.Finish());
    EXPECT_NE(m.GetBlockDigest(0), m.GetBlockDigest(1));
    // A block size that divides the file exactly: no short block.
    BlockManifest even = BlockManifest::Make(FileContent::Generate(4 * 4096, 7), 4096);
    EXPECT_EQ(even.GetNumBlocks(), 4u);
    EXPECT_EQ(even.GetBlockBytes(3), 4096u);
    EXPECT_THROW(BlockManifest::Make(content, 0), std::invalid_argument);
    EXPECT_THROW(content.ReadBlock(0, 0, block), std::invalid_argument);
}

// Every block verifies; a block with one flipped bit, or truncated, or padded, is REJECTED
// and counted and nothing of it is kept; a later good copy is STORED.
TEST(Content, CorruptBlockIsRejectedAndGoodCopyStored)
{
    const uint32_t blockSize = 1000;
    FileContent content = FileContent::Generate(5500, 3);
    BlockManifest m = BlockManifest::Make(content, blockSize);
    BlockStore store(m);
    std::vector<uint8_t> block;
    for (uint32_t b = 0; b < m.GetNumBlocks(); ++b)
    {
        content.ReadBlock(b, blockSize, block);
        EXPECT_TRUE(m.Verify(b, block.data(), block.size())) << b;
    }

    content.ReadBlock(2, blockSize, block);
    std::vector<uint8_t> bad = block;
    bad[517] ^= 0x10;
    EXPECT_FALSE(m.Verify(2, bad.data(), bad.size()));
    EXPECT_EQ(store.Store(2, bad.data(), bad.size()), BlockStore::REJECTED);
    EXPECT_EQ(store.GetRejectedCount(), 1u);
    EXPECT_FALSE(store.Has(2));
    EXPECT_EQ(store.GetStoredCount(), 0u);
    EXPECT_EQ(store.GetBytesVerified(), 0u);
    // Wrong lengths: one byte short, one byte more.
    EXPECT_EQ(store.Store(2, block.data(), block.size() - 1), BlockStore::REJECTED);
    std::vector<uint8_t> longer = block;
    longer.push_back(0);
    EXPECT_EQ(store.Store(2, longer.data(), longer.size()), BlockStore::REJECTED);
    // Another block's (correct) bytes under this number.
    std::vector<uint8_t> other;
    content.ReadBlock(3, blockSize, other);
    EXPECT_EQ(store.Store(2, other.data(), other.size()), BlockStore::REJECTED);
    EXPECT_EQ(store.Store(2, nullptr, block.size()), BlockStore::REJECTED);
    EXPECT_EQ(store.GetRejectedCount(), 5u);

    EXPECT_EQ(store.Store(2, block.data(), block.size()), BlockStore::STORED);
    EXPECT_TRUE(store.Has(2));
    EXPECT_EQ(store.GetStoredCount(), 1u);
    EXPECT_EQ(store.GetRejectedCount(), 5u);
    EXPECT_EQ(store.GetBytesVerified(), blockSize);
    std::vector<uint8_t> served;
    store.ReadBlock(2, served);
    EXPECT_EQ(served, block);
    // The short last block.
    content.ReadBlock(5, blockSize, block);
    ASSERT_EQ(block.size(), 500u);
    bad = block;
    bad.back() ^= 0x01;
    EXPECT_EQ(store.Store(5, bad.data(), bad.size()), BlockStore::REJECTED);
    EXPECT_EQ(store.Store(5, block.data(), block.size()), BlockStore::STORED);
    EXPECT_EQ(store.GetBytesVerified(), blockSize + 500u);
    EXPECT_EQ(store.GetRejectedCount(), 6u);
}

// A second copy of a held block is a DUPLICATE: discarded unhashed, counted apart from
// rejections, and the held bytes stay as they were.
TEST(Content, DuplicatesAreDiscarded)
{
    FileContent content = FileContent::Generate(3000, 11);
    BlockManifest m = BlockManifest::Make(content, 1024);
    BlockStore store(m);
    std::vector<uint8_t> block;
    content.ReadBlock(1, 1024, block);
    EXPECT_EQ(store.Store(1, block.data(), block.size()), BlockStore::STORED);
    EXPECT_EQ(store.Store(1, block.data(), block.size()), BlockStore::DUPLICATE);
    std::vector<uint8_t> bad = block;
    bad[0] ^= 0xff;
    EXPECT_EQ(store.Store(1, bad.data(), bad.size()), BlockStore::DUPLICATE);
    EXPECT_EQ(store.GetDuplicateCount(), 2u);
    EXPECT_EQ(store.GetRejectedCount(), 0u);
    EXPECT_EQ(store.GetStoredCount(), 1u);
    EXPECT_EQ(store.GetBytesVerified(), 1024u);
    std::vector<uint8_t> served;
    store.ReadBlock(1, served);
    EXPECT_EQ(served, block);
}

// Block numbers beyond the file: Verify false, Store REJECTED (and counted), no size, no
// digest, nothing to read.
TEST(Content, OutOfRangeBlock)
{
    FileContent content = FileContent::Generate(2500, 5);
    BlockManifest m = BlockManifest::Make(content, 1000);
    ASSERT_EQ(m.GetNumBlocks(), 3u);
    BlockStore store(m);
    std::vector<uint8_t> block;
    content.ReadBlock(0, 1000, block);
    EXPECT_FALSE(m.Verify(3, block.data(), block.size()));
    EXPECT_FALSE(m.Verify(0xffffffffu, block.data(), block.size()));
    EXPECT_EQ(m.GetBlockBytes(3), 0u);
    EXPECT_THROW(m.GetBlockDigest(3), std::out_of_range);
    EXPECT_EQ(store.Store(3, block.data(), block.size()), BlockStore::REJECTED);
    EXPECT_EQ(store.Store(0xffffffffu, block.data(), block.size()), BlockStore::REJECTED);
    EXPECT_EQ(store.GetRejectedCount(), 2u);
    EXPECT_EQ(store.GetStoredCount(), 0u);
    EXPECT_FALSE(store.Has(3));
    EXPECT_THROW(store.ReadBlock(3, block), std::out_of_range);
    EXPECT_THROW(store.ReadBlock(0, block), std::logic_error); // in range, not held
    EXPECT_THROW(content.ReadBlock(3, 1000, block), std::out_of_range);
    EXPECT_THROW(content.ReadBlock(0xffffffffu, 1000, block), std::out_of_range);
}

// All blocks stored in a shuffled order: the reassembled file's digest is the source's, and
// WriteTo writes a file byte-identical to the one FromFile read.
TEST(Content, ShuffledReassemblyWritesIdenticalFile)
{
    const std::string src = TempPath("source.bin");
    const std::string dst = TempPath("copy.bin");
    std::vector<uint8_t> original = AllBytes(FileContent::Generate(200000 + 123, 99));
    WriteFile(src, original);
    FileContent content = FileContent::FromFile(src);
    ASSERT_EQ(content.GetSize(), original.size());
    EXPECT_EQ(AllBytes(content), original);

    const uint32_t blockSize = 4096;
    BlockManifest m = BlockManifest::Make(content, blockSize);
    EXPECT_EQ(m.GetFileDigest(), Sha256::Of(original.data(), original.size()));
    BlockStore store(m);
    EXPECT_THROW(store.ComputeFileDigest(), std::logic_error);
    EXPECT_THROW(store.WriteTo(dst), std::runtime_error); // incomplete
    std::vector<uint8_t> block;
    std::vector<uint32_t> order = Shuffled(m.GetNumBlocks(), 4);
    for (size_t i = 0; i < order.size(); ++i)
    {
        EXPECT_FALSE(store.IsComplete());
        content.ReadBlock(order[i], blockSize, block);
        ASSERT_EQ(store.Store(order[i], block.data(), block.size()), BlockStore::STORED);
        EXPECT_EQ(store.GetStoredCount(), i + 1);
    }
    EXPECT_TRUE(store.IsComplete());
    EXPECT_EQ(store.GetBytesVerified(), original.size());
    EXPECT_EQ(store.GetRejectedCount(), 0u);
    EXPECT_EQ(store.ComputeFileDigest(), m.GetFileDigest());
    for (uint32_t b = 0; b < m.GetNumBlocks(); ++b)
    {
        std::vector<uint8_t> served;
        store.ReadBlock(b, served);
        content.ReadBlock(b, blockSize, block);
        EXPECT_EQ(served, block) << b;
    }

    store.WriteTo(dst);
    EXPECT_EQ(ReadFile(dst), original);
    EXPECT_EQ(BlockManifest::Make(FileContent::FromFile(dst), blockSize), m);
    // Unwritable destination: the message names the path.
    const std::string nowhere = TempPath("no-such-dir") + "/copy.bin";
    try
    {
        store.WriteTo(nowhere);
        ADD_FAILURE() << "WriteTo into a missing directory did not throw";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(nowhere), std::string::npos) << e.what();
    }
    std::remove(src.c_str());
    std::remove(dst.c_str());
}

// The manifest survives its wire form (with trailing data after it), every truncation is
// rejected, and so are inconsistent fields and absurd counts.
TEST(Content, ManifestWireRoundTripAndTruncation)
{
    BlockManifest m = BlockManifest::Make(FileContent::Generate(10000, 8), 3000);
    ASSERT_EQ(m.GetNumBlocks(), 4u);
    EXPECT_EQ(m.GetSerializedSize(), 18u + 32u * 5);
    BlockManifest v = BlockManifest::Make(FileContent::Virtual(1ull << 36), 16384);
    EXPECT_EQ(v.GetSerializedSize(), 18u);
    BlockManifest one = BlockManifest::Make(FileContent::FromBytes(Bytes("abc")), 16384);

    ExpectRoundTrip(m, BlockManifest());
    ExpectRoundTrip(v, m);
    ExpectRoundTrip(one, m);
    ExpectRoundTrip(BlockManifest(), m);
    ExpectEveryTruncationRejected(m, BlockManifest());
    ExpectEveryTruncationRejected(v, m);
    ExpectEveryTruncationRejected(one, v);

    // A received manifest verifies as the source's does.
    BlockManifest back;
    ASSERT_TRUE(FromBytes(ToBytes(m), m.GetSerializedSize(), back).ok);
    std::vector<uint8_t> block;
    FileContent::Generate(10000, 8).ReadBlock(3, 3000, block);
    EXPECT_TRUE(back.Verify(3, block.data(), block.size()));
    block[0] ^= 1;
    EXPECT_FALSE(back.Verify(3, block.data(), block.size()));

    const std::vector<uint8_t> base = ToBytes(m);
    const BlockManifest blank;
    // Offsets: 0 version, 1 flags, 2 file size (u64), 10 block size, 14 blocks, 18 digests.
    {
        auto b = base;
        b[0] = 2;
        ExpectInconsistentRejected(b, blank, "unknown version");
    }
    {
        auto b = base;
        b[1] = 0x02;
        ExpectInconsistentRejected(b, blank, "unknown flag");
    }
    {
        auto b = base;
        PutU32(b, 14, 5);
        ExpectInconsistentRejected(b, blank, "too many blocks for the size");
    }
    {
        auto b = base;
        PutU32(b, 14, 3);
        ExpectInconsistentRejected(b, blank, "too few blocks for the size");
    }
    {
        auto b = base;
        PutU32(b, 10, 0);
        ExpectInconsistentRejected(b, blank, "zero block size");
    }
    {
        auto b = base;
        PutU32(b, 2, 0);
        PutU32(b, 6, 0);
        ExpectInconsistentRejected(b, blank, "zero file size");
    }
    {
        // 2^32 - 1 one-byte blocks, consistent with the size, digests absent: rejected as
        // absurd before anything is allocated for them.
        auto b = base;
        b.resize(18);
        PutU32(b, 2, 0);
        PutU32(b, 6, 0xffffffffu);
        PutU32(b, 10, 1);
        PutU32(b, 14, 0xffffffffu);
        ExpectInconsistentRejected(b, blank, "absurd block count");
    }
    {
        // Just within the limit but the digests are missing: truncated, nothing allocated.
        auto b = base;
        b.resize(18);
        PutU32(b, 2, 0);
        PutU32(b, 6, BlockManifest::kMaxBlocks);
        PutU32(b, 10, 1);
        PutU32(b, 14, BlockManifest::kMaxBlocks);
        BlockManifest target;
        ReadResult r = FromBytes(b, b.size(), target);
        EXPECT_FALSE(r.ok);
        EXPECT_NE(r.error.find("truncated"), std::string::npos) << r.error;
        EXPECT_TRUE(target == blank);
    }
    {
        auto b = ToBytes(one);
        b[18] ^= 1; // the file digest of a one-block file must be its block's
        ExpectInconsistentRejected(b, blank, "one-block digests disagree");
    }
}

// FromFile names the path and the reason when it cannot read: missing, a directory, empty.
TEST(Content, FromFileErrorsNameThePath)
{
    const std::string missing = TempPath("does-not-exist.bin");
    try
    {
        FileContent::FromFile(missing);
        ADD_FAILURE() << "FromFile on a missing path did not throw";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos) << e.what();
    }
    EXPECT_THROW(FileContent::FromFile(::testing::TempDir()), std::runtime_error);
    const std::string empty = TempPath("empty.bin");
    WriteFile(empty, {});
    try
    {
        FileContent::FromFile(empty);
        ADD_FAILURE() << "FromFile on an empty file did not throw";
    }
    catch (const std::runtime_error& e)
    {
        EXPECT_NE(std::string(e.what()).find(empty), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
    }
    std::remove(empty.c_str());
    EXPECT_THROW(FileContent::FromBytes({}), std::runtime_error);
}

// Virtual content carries sizes only: the manifest has no digests, Verify and Store check
// the length, the store completes without holding bytes and has no file to digest or write.
TEST(Content, VirtualModeSizes)
{
    const uint64_t size = 10ull * 1000 * 1000 * 1000 + 5; // 10 GB, never allocated
    FileContent content = FileContent::Virtual(size);
    EXPECT_TRUE(content.IsVirtual());
    EXPECT_EQ(content.GetSize(), size);
    EXPECT_EQ(content.GetData(), nullptr);
    EXPECT_THROW(FileContent::Virtual(0), std::runtime_error);
    std::vector<uint8_t> block;
    content.ReadBlock(0, 16384, block);
    EXPECT_EQ(block, std::vector<uint8_t>(16384, 0));

    const uint32_t blockSize = 1 << 20;
    BlockManifest m = BlockManifest::Make(content, blockSize);
    EXPECT_TRUE(m.IsVirtual());
    EXPECT_EQ(m.GetFileSize(), size);
    ASSERT_EQ(m.GetNumBlocks(), 9537u); // 10^10 / 2^20 = 9536.74...
    const uint32_t last = m.GetNumBlocks() - 1;
    EXPECT_EQ(m.GetBlockBytes(last), size - uint64_t(last) * blockSize);
    EXPECT_EQ(m.GetBlockDigest(0), Sha256Digest{});
    EXPECT_EQ(m.GetFileDigest(), Sha256Digest{});
    EXPECT_TRUE(m.Verify(0, nullptr, blockSize));
    EXPECT_FALSE(m.Verify(0, nullptr, blockSize - 1));
    EXPECT_FALSE(m.Verify(last, nullptr, blockSize));
    EXPECT_TRUE(m.Verify(last, nullptr, m.GetBlockBytes(last)));
    EXPECT_FALSE(m.Verify(last + 1, nullptr, blockSize));

    BlockStore store(m);
    EXPECT_EQ(store.Store(0, nullptr, blockSize - 1), BlockStore::REJECTED);
    for (uint32_t b = 0; b < m.GetNumBlocks(); ++b)
    {
        ASSERT_EQ(store.Store(b, nullptr, m.GetBlockBytes(b)), BlockStore::STORED);
    }
    EXPECT_EQ(store.Store(0, nullptr, blockSize), BlockStore::DUPLICATE);
    EXPECT_TRUE(store.IsComplete());
    EXPECT_EQ(store.GetBytesVerified(), size);
    EXPECT_EQ(store.GetRejectedCount(), 1u);
    store.ReadBlock(last, block);
    EXPECT_EQ(block.size(), m.GetBlockBytes(last));
    EXPECT_THROW(store.ComputeFileDigest(), std::logic_error);
    EXPECT_THROW(store.WriteTo(TempPath("virtual.bin")), std::runtime_error);

    // Too many blocks for a manifest.
    EXPECT_THROW(
        BlockManifest::Make(FileContent::Virtual(uint64_t(BlockManifest::kMaxBlocks) + 1), 1),
        std::invalid_argument);
}

/// A store for bytes a protocol checked itself (BitTorrent's SHA-1 pieces, with only the
/// .torrent): any bytes of the right length count and are kept, wrong lengths and numbers are
/// still refused, and the reassembled file is exactly the bytes stored.
TEST(Content, StoreOfBytesCheckedElsewhereKeepsThemAndChecksOnlyLengths)
{
    const FileContent content = FileContent::Generate(40000, 9); // 3 blocks, the last 7,232 B
    BlockStore store = BlockStore::KeepBytesCheckedElsewhere(content.GetSize(), 16384);
    EXPECT_TRUE(store.HoldsBytes());
    EXPECT_FALSE(BlockStore(BlockManifest::Make(FileContent::Virtual(40000), 16384)).HoldsBytes());
    EXPECT_TRUE(BlockStore(BlockManifest::Make(content, 16384)).HoldsBytes());
    const uint8_t* data = content.GetData();
    EXPECT_EQ(store.Store(0, data, 16383), BlockStore::REJECTED); // a length no block has
    EXPECT_EQ(store.Store(3, data, 16384), BlockStore::REJECTED); // beyond the file
    EXPECT_THROW(store.ComputeFileDigest(), std::logic_error);    // incomplete
    EXPECT_EQ(store.Store(2, data + 2 * 16384, 40000 - 2 * 16384), BlockStore::STORED);
    EXPECT_EQ(store.Store(0, data, 16384), BlockStore::STORED);
    EXPECT_EQ(store.Store(0, data, 16384), BlockStore::DUPLICATE);
    std::vector<uint8_t> block;
    store.ReadBlock(2, block);
    EXPECT_TRUE(std::equal(block.begin(), block.end(), data + 2 * 16384));
    EXPECT_EQ(store.Store(1, data + 16384, 16384), BlockStore::STORED);
    EXPECT_TRUE(store.IsComplete());
    EXPECT_EQ(store.GetRejectedCount(), 2u);
    EXPECT_EQ(store.ComputeFileDigest(), Sha256::Of(data, content.GetSize()));
    char path[] = "/tmp/bullet-store-XXXXXX";
    int fd = mkstemp(path);
    ASSERT_GE(fd, 0);
    close(fd);
    store.WriteTo(path);
    std::ifstream in(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                               std::istreambuf_iterator<char>());
    std::remove(path);
    ASSERT_EQ(bytes.size(), content.GetSize());
    EXPECT_TRUE(std::equal(bytes.begin(), bytes.end(), data));
}
