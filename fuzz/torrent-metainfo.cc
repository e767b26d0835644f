/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// Fuzz target: .torrent metainfo files (TorrentMetainfo::Parse). A parsed metainfo encodes
// back to exactly its bytes and parses again to the same torrent; the documented rejection is
// std::runtime_error (BencodeError included).

#include "ns3/torrent-metainfo.h"

#include "fuzz-util.h"

#include <stdexcept>

using namespace ns3;

extern "C" int
LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    bullet_fuzz::Init();
    const std::string input(reinterpret_cast<const char*>(data), size);
    TorrentMetainfo m;
    try
    {
        m = TorrentMetainfo::Parse(input);
    }
    catch (const std::runtime_error&)
    {
        return 0;
    }
    FUZZ_CHECK(m.Encode() == input);
    TorrentMetainfo back = TorrentMetainfo::Parse(m.Encode()); // must not throw
    FUZZ_CHECK(back.GetInfoHash() == m.GetInfoHash());
    FUZZ_CHECK(back.GetName() == m.GetName() && back.GetLength() == m.GetLength());
    FUZZ_CHECK(back.GetPieceLength() == m.GetPieceLength());
    FUZZ_CHECK(back.GetNumPieces() == m.GetNumPieces());
    FUZZ_CHECK(back.GetFiles() == m.GetFiles());
    FUZZ_CHECK(back.GetAnnounceList() == m.GetAnnounceList());
    // The pieces tile the file: the piece length each, the last 1..piece length.
    uint32_t n = m.GetNumPieces();
    FUZZ_CHECK(m.GetPieceLength() >= 1 && m.GetPieceLength() <= TorrentMetainfo::kMaxPieceLength);
    if (n > 0)
    {
        uint32_t last = m.GetPieceBytes(n - 1);
        FUZZ_CHECK(last >= 1 && last <= m.GetPieceLength());
        FUZZ_CHECK(uint64_t(n - 1) * m.GetPieceLength() + last == m.GetLength());
        FUZZ_CHECK(m.GetPieceBytes(0) == (n == 1 ? last : m.GetPieceLength()));
        (void) m.GetPieceHash(n - 1);
    }
    else
    {
        FUZZ_CHECK(m.GetLength() == 0);
    }
    FUZZ_CHECK(m.GetPieceBytes(n) == 0);
    uint64_t total = 0;
    for (const auto& [path, length] : m.GetFiles())
    {
        FUZZ_CHECK(!path.empty());
        total += length;
    }
    FUZZ_CHECK(total == m.GetLength());
    FUZZ_CHECK(m.GetInfoHashHex().size() == 40);
    return 0;
}
