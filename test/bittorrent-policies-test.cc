/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
// BitTorrent's decision logic without a simulator, as the mainline client (3.4.1) decides:
// the piece picker (random first pieces, rarest first, strict priority for started pieces),
// the request book (16 KiB blocks, endgame with cancels), the choker (four best plus a
// rotating optimistic unchoke) and the rate meter.

#include "ns3/choker.h"
#include "ns3/object-factory.h"
#include "ns3/piece-picker.h"
#include "ns3/rate-meter.h"
#include "ns3/request-book.h"
#include "ns3/uinteger.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <functional>
#include <map>
#include <ostream>
#include <random>
#include <set>
#include <stdexcept>
#include <vector>

using namespace ns3;

namespace ns3
{
/// Blocks in gtest's messages.
void
PrintTo(const RequestBook::Block& b, std::ostream* os)
{
    *os << "{piece " << b.piece << ", begin " << b.begin << ", length " << b.length << "}";
}
} // namespace ns3

namespace
{

using PieceSet = std::set<uint32_t>;

/// A peerHas / wanted callback true exactly for \p s; counts its calls in \p calls if given.
std::function<bool(uint32_t)>
In(const PieceSet& s, uint32_t* calls = nullptr)
{
    return [s, calls](uint32_t p) {
        if (calls)
        {
            ++*calls;
        }
        return s.count(p) > 0;
    };
}

std::function<bool(uint32_t)>
All(uint32_t* calls = nullptr)
{
    return [calls](uint32_t) {
        if (calls)
        {
            ++*calls;
        }
        return true;
    };
}

std::function<bool(uint32_t)>
AllBut(const PieceSet& s)
{
    return [s](uint32_t p) {
        return s.count(p) == 0;
    };
}

Ptr<PiecePicker>
MakePicker(uint32_t pieces, int64_t stream)
{
    Ptr<PiecePicker> picker = CreateObject<PiecePicker>();
    EXPECT_EQ(picker->AssignStreams(stream), 1);
    picker->Initialize(pieces);
    return picker;
}

/// Gives piece i availability avail[i] (PeerHas that many times).
void
SetAvailability(PiecePicker& picker, const std::vector<uint32_t>& avail)
{
    for (uint32_t p = 0; p < avail.size(); ++p)
    {
        for (uint32_t k = 0; k < avail[p]; ++k)
        {
            picker.PeerHas(p);
        }
    }
}

/// The hand-made table of the rarest-first tests: pieces 0-9 with these availabilities,
/// pieces 10-13 (availability 1) complete, so the 4-piece random start is over.
const std::vector<uint32_t> kTable{3, 1, 2, 1, 5, 2, 4, 1, 6, 2, 1, 1, 1, 1};

Ptr<PiecePicker>
MakeRarestPicker(int64_t stream)
{
    Ptr<PiecePicker> picker = MakePicker(14, stream);
    SetAvailability(*picker, kTable);
    for (uint32_t p = 10; p < 14; ++p)
    {
        picker->Completed(p);
    }
    EXPECT_EQ(picker->GetCompletedCount(), 4u);
    return picker;
}

/// The first four picks of a fresh picker when every piece is available and wanted.
std::vector<uint32_t>
FirstFour(int64_t stream, const std::vector<uint32_t>& avail)
{
    Ptr<PiecePicker> picker = MakePicker(uint32_t(avail.size()), stream);
    SetAvailability(*picker, avail);
    std::vector<uint32_t> picks;
    for (int i = 0; i < 4; ++i)
    {
        auto p = picker->Next(All(), [&picker](uint32_t q) {
            return !picker->IsCompleted(q);
        });
        EXPECT_TRUE(p.has_value());
        picks.push_back(*p);
        picker->Completed(*p);
    }
    return picks;
}

/// randomBelow for the request book, from a seeded engine.
std::function<uint32_t(uint32_t)>
Below(std::mt19937& engine)
{
    return [&engine](uint32_t n) {
        return std::uniform_int_distribution<uint32_t>(0, n - 1)(engine);
    };
}

using Block = RequestBook::Block;

} // namespace

// ------------------------------------------------------------------ PiecePicker

TEST(PiecePicker, FirstPiecesFollowOneFixedRandomPermutationPerSeed)
{
    const std::vector<uint32_t> flat(40, 1);
    std::set<std::vector<uint32_t>> seen;
    for (int64_t stream = 1; stream <= 10; ++stream)
    {
        const auto picks = FirstFour(stream, flat);
        EXPECT_EQ(picks, FirstFour(stream, flat)) << "same seed, same order";
        EXPECT_EQ(std::set<uint32_t>(picks.begin(), picks.end()).size(), 4u);
        seen.insert(picks);
    }
    EXPECT_EQ(seen.size(), 10u) << "different seeds, different orders";

    // The four are the head of one permutation, which rarity does not change: make the
    // second of them the only rare piece and the first the most common one.
    const auto perm = FirstFour(3, flat);
    std::vector<uint32_t> skewed(40, 4);
    skewed[perm[0]] = 9;
    skewed[perm[1]] = 1;
    EXPECT_EQ(FirstFour(3, skewed), perm) << "random first ignores rarity";

    Ptr<PiecePicker> picker = MakePicker(40, 3);
    SetAvailability(*picker, flat);
    EXPECT_EQ(picker->Next(All(), All()), perm[0]);
    EXPECT_EQ(picker->Next(AllBut({perm[0]}), All()), perm[1]) << "the next in the permutation";
    EXPECT_EQ(picker->Next(All(), AllBut({perm[0], perm[1]})), perm[2]);
    EXPECT_EQ(picker->Next(In({perm[3], perm[1]}), All()), perm[1]);
    picker->Completed(perm[0]);
    EXPECT_EQ(picker->Next(All(), All()), perm[1]) << "a completed piece is skipped";
}

TEST(PiecePicker, RarestFirstAfterTheCutoff)
{
    Ptr<PiecePicker> picker = MakeRarestPicker(1);
    EXPECT_EQ(picker->GetAvailability(4), 5u);
    // The peer has 0 (3), 2 (2), 4 (5), 6 (4), 8 (6): piece 2 is the rarest it has.
    EXPECT_EQ(picker->Next(In({0, 2, 4, 6, 8}), All()), 2u);
    EXPECT_EQ(picker->Next(In({0, 4, 6, 8}), All()), 0u);
    EXPECT_EQ(picker->Next(In({4, 6, 8}), All()), 6u);
    // The rarest pieces are not wanted (all their blocks requested): the next rarest.
    const auto p = picker->Next(All(), AllBut({1, 3, 7}));
    ASSERT_TRUE(p.has_value());
    EXPECT_TRUE(*p == 2 || *p == 5 || *p == 9) << *p;
    // Availability moves pieces: piece 6 loses two peers and becomes the rarest of 0/6.
    picker->PeerLost(6);
    picker->PeerLost(6);
    EXPECT_EQ(picker->GetAvailability(6), 2u);
    EXPECT_EQ(picker->Next(In({0, 6}), All()), 6u);
    picker->PeerHas(6);
    picker->PeerHas(6);
    picker->PeerHas(6);
    EXPECT_EQ(picker->Next(In({0, 6}), All()), 0u);
}

TEST(PiecePicker, EquallyRarePiecesAreSplitEvenlyOverSeeds)
{
    std::map<uint32_t, int> two;
    std::map<uint32_t, int> three;
    const int runs = 600;
    for (int64_t stream = 1; stream <= runs; ++stream)
    {
        Ptr<PiecePicker> picker = MakeRarestPicker(stream);
        auto p = picker->Next(In({1, 3, 4, 8}), All()); // 1 and 3: availability 1
        ASSERT_TRUE(p.has_value());
        ++two[*p];
        auto q = picker->Next(AllBut({1, 3, 7}), All()); // 2, 5 and 9: availability 2
        ASSERT_TRUE(q.has_value());
        ++three[*q];
    }
    ASSERT_EQ(two.size(), 2u);
    EXPECT_NEAR(two[1], runs / 2, runs * 0.08) << "piece 1 against piece 3";
    ASSERT_EQ(three.size(), 3u);
    for (uint32_t piece : {2u, 5u, 9u})
    {
        EXPECT_NEAR(three[piece], runs / 3, runs * 0.08) << "piece " << piece;
    }
}

TEST(PiecePicker, StartedPiecesHaveStrictPriority)
{
    Ptr<PiecePicker> picker = MakeRarestPicker(2);
    picker->Started(4); // availability 5, where 1 has 1
    EXPECT_TRUE(picker->IsStarted(4));
    EXPECT_EQ(picker->Next(In({1, 4}), All()), 4u);
    picker->Started(8); // availability 6: the rarest started piece wins
    EXPECT_EQ(picker->Next(In({1, 4, 8}), All()), 4u);
    EXPECT_EQ(picker->Next(In({1, 8}), All()), 8u);
    // A started piece the peer has but we do not want (all blocks requested) gives way.
    EXPECT_EQ(picker->Next(In({1, 4, 8}), AllBut({4, 8})), 1u);

    // Also during the random first pieces.
    Ptr<PiecePicker> fresh = MakePicker(40, 5);
    SetAvailability(*fresh, std::vector<uint32_t>(40, 1));
    const uint32_t first = *fresh->Next(All(), All());
    const uint32_t other = (first + 7) % 40;
    fresh->Started(other);
    EXPECT_EQ(fresh->Next(All(), All()), other);

    // Equally rare started pieces: either, at random.
    std::map<uint32_t, int> count;
    for (int64_t stream = 1; stream <= 200; ++stream)
    {
        Ptr<PiecePicker> p = MakeRarestPicker(stream);
        p->Started(3);
        p->Started(1);
        p->Started(0);
        ++count[*p->Next(All(), All())];
    }
    EXPECT_EQ(count.count(0), 0u) << "piece 0 is less rare";
    EXPECT_GT(count[1], 60);
    EXPECT_GT(count[3], 60);
}

TEST(PiecePicker, CompletedPiecesAreNeverPickedAndFailedOnesComeBack)
{
    Ptr<PiecePicker> picker = MakeRarestPicker(3);
    for (uint32_t p : {1u, 3u, 7u})
    {
        picker->Started(p);
        picker->Completed(p);
        EXPECT_FALSE(picker->IsStarted(p));
    }
    EXPECT_EQ(picker->GetCompletedCount(), 7u);
    EXPECT_EQ(picker->Next(In({1, 3, 7, 10}), All()), std::nullopt)
        << "wanted() says yes, but they are complete";
    picker->Started(3);
    EXPECT_FALSE(picker->IsStarted(3)) << "starting a complete piece changes nothing";
    for (int i = 0; i < 50; ++i)
    {
        const auto p = picker->Next(All(), All());
        ASSERT_TRUE(p.has_value());
        EXPECT_TRUE(*p == 2 || *p == 5 || *p == 9) << *p;
        picker->Completed(*p);
        if (picker->GetCompletedCount() == 10)
        {
            break;
        }
    }
    // Failed (a completed piece, here) goes back to the pool.
    picker->Failed(3);
    EXPECT_EQ(picker->GetCompletedCount(), 9u);
    EXPECT_FALSE(picker->IsCompleted(3));
    EXPECT_EQ(picker->Next(In({1, 3, 7}), All()), 3u);
    // A started piece that fails its check loses its priority.
    picker->Started(8);
    EXPECT_EQ(picker->Next(In({0, 8}), All()), 8u);
    picker->Failed(8);
    EXPECT_FALSE(picker->IsStarted(8));
    EXPECT_EQ(picker->Next(In({0, 8}), All()), 0u);
}

TEST(PiecePicker, NothingWantedGivesNullopt)
{
    Ptr<PiecePicker> unset = CreateObject<PiecePicker>();
    EXPECT_EQ(unset->Next(All(), All()), std::nullopt) << "before Initialize";
    for (bool afterCutoff : {false, true})
    {
        Ptr<PiecePicker> picker = afterCutoff ? MakeRarestPicker(4) : MakePicker(14, 4);
        if (!afterCutoff)
        {
            SetAvailability(*picker, kTable);
        }
        picker->Started(2);
        EXPECT_EQ(picker->Next(In({}), All()), std::nullopt);
        EXPECT_EQ(picker->Next(All(), In({})), std::nullopt);
        EXPECT_EQ(picker->Next(In({0, 1}), In({2, 3})), std::nullopt);
    }
    // A piece nobody announced is not picked, whatever peerHas says.
    Ptr<PiecePicker> picker = MakePicker(5, 4);
    picker->PeerHas(3);
    EXPECT_EQ(picker->Next(In({0, 1, 2}), All()), std::nullopt);
    EXPECT_EQ(picker->Next(All(), All()), 3u);
}

TEST(PiecePicker, AvailabilityCountsAndBadCallsAreRejected)
{
    Ptr<PiecePicker> picker = MakePicker(3, 1);
    EXPECT_EQ(picker->GetNumPieces(), 3u);
    picker->PeerHas(1);
    picker->PeerHas(1);
    picker->PeerLost(1);
    EXPECT_EQ(picker->GetAvailability(1), 1u);
    picker->Completed(1);
    picker->PeerHas(1);
    EXPECT_EQ(picker->GetAvailability(1), 2u) << "still counted for a complete piece";
    EXPECT_THROW(picker->PeerLost(0), std::logic_error);
    EXPECT_THROW(picker->PeerHas(3), std::out_of_range);
    EXPECT_THROW(picker->Started(7), std::out_of_range);
    EXPECT_THROW(picker->Completed(3), std::out_of_range);
    EXPECT_THROW(picker->Failed(3), std::out_of_range);
    EXPECT_THROW(picker->GetAvailability(3), std::out_of_range);
    EXPECT_THROW(picker->Initialize(0), std::invalid_argument);
    EXPECT_THROW(picker->Initialize(PiecePicker::kMaxPieces + 1), std::invalid_argument);
    picker->Initialize(2);
    EXPECT_EQ(picker->GetAvailability(1), 0u) << "Initialize starts over";
    EXPECT_EQ(picker->GetCompletedCount(), 0u);
}

TEST(PiecePicker, CutoffAttributeAndNextDoesNotScanEveryPiece)
{
    ObjectFactory f("ns3::PiecePicker");
    f.Set("RandomFirstCutoff", UintegerValue(0));
    Ptr<PiecePicker> picker = f.Create<PiecePicker>();
    picker->AssignStreams(9);
    picker->Initialize(4);
    SetAvailability(*picker, {3, 2, 1, 2});
    EXPECT_EQ(picker->Next(All(), All()), 2u) << "cutoff 0: rarest first from the start";

    // 20000 pieces, availability 1 to 3: the rarest piece the peer has comes from the first
    // bucket, without looking at the others.
    const uint32_t n = 20000;
    Ptr<PiecePicker> big = MakePicker(n, 2);
    std::vector<uint32_t> avail(n);
    for (uint32_t p = 0; p < n; ++p)
    {
        avail[p] = 1 + (p * 7919) % 3;
    }
    SetAvailability(*big, avail);
    for (uint32_t p = 0; p < 4; ++p)
    {
        big->Completed(p * 3 + 1);
    }
    uint32_t calls = 0;
    const auto p = big->Next(All(&calls), All());
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(big->GetAvailability(*p), 1u);
    EXPECT_EQ(calls, 1u) << "the first piece looked at was taken";
}

// ------------------------------------------------------------------ RequestBook

TEST(RequestBook, GeometryOfPiecesAndBlocks)
{
    RequestBook book(3 * 262144ull + 40000, 262144);
    EXPECT_EQ(book.GetNumPieces(), 4u);
    EXPECT_EQ(book.GetBlocksIn(0), 16u);
    EXPECT_EQ(book.GetPieceLength(2), 262144u);
    EXPECT_EQ(book.GetPieceLength(3), 40000u);
    EXPECT_EQ(book.GetBlocksIn(3), 3u);
    EXPECT_EQ(book.GetBlockLength(3, 1), 16384u);
    EXPECT_EQ(book.GetBlockLength(3, 2), 40000u - 2 * 16384);
    EXPECT_EQ(book.GetUnrequestedCount(), 3u * 16 + 3);
    EXPECT_THROW(book.GetBlockLength(3, 3), std::out_of_range);
    EXPECT_THROW(book.GetBlocksIn(4), std::out_of_range);
    EXPECT_THROW(book.RequestFrom(1, 4), std::out_of_range);
    EXPECT_THROW(book.HasUnrequested(9), std::out_of_range);

    RequestBook exact(65536, 32768);
    EXPECT_EQ(exact.GetNumPieces(), 2u);
    EXPECT_EQ(exact.GetBlockLength(1, 1), 16384u) << "no short block";
    RequestBook tiny(100, 16384);
    EXPECT_EQ(tiny.GetNumPieces(), 1u);
    EXPECT_EQ(tiny.GetBlockLength(0, 0), 100u);

    EXPECT_THROW((void) RequestBook(0, 16384), std::invalid_argument);
    EXPECT_THROW((void) RequestBook(100000, 0), std::invalid_argument);
    EXPECT_THROW((void) RequestBook(100000, 10000), std::invalid_argument);
    EXPECT_THROW((void) RequestBook(1ull << 40, 16384), std::invalid_argument) << "2^26 pieces";
}

TEST(RequestBook, BlocksAreRequestedInOrderWithTheShortLastBlock)
{
    RequestBook book(3 * 262144ull + 40000, 262144);
    for (uint32_t i = 0; i < 16; ++i)
    {
        EXPECT_TRUE(book.HasUnrequested(0));
        const auto b = book.RequestFrom(7, 0);
        ASSERT_TRUE(b.has_value());
        EXPECT_EQ(*b, (Block{0, i * 16384, 16384}));
    }
    EXPECT_FALSE(book.HasUnrequested(0));
    EXPECT_EQ(book.RequestFrom(8, 0), std::nullopt);
    EXPECT_EQ(book.GetOutstanding(7), 16u);
    EXPECT_EQ(book.GetOutstanding(8), 0u);

    EXPECT_EQ(book.RequestFrom(2, 3), (Block{3, 0, 16384}));
    EXPECT_EQ(book.RequestFrom(2, 3), (Block{3, 16384, 16384}));
    EXPECT_EQ(book.RequestFrom(9, 3), (Block{3, 32768, 7232}));
    EXPECT_EQ(book.RequestFrom(9, 3), std::nullopt);
    EXPECT_EQ(book.GetUnrequestedCount(), 32u);
    EXPECT_FALSE(book.InEndgame());
}

TEST(RequestBook, KnowsWhichPeerEachBlockIsOutstandingAt)
{
    // The peer application takes a block only from a peer it asked (as mainline's got_piece).
    RequestBook book(2 * 65536, 65536);
    const auto a = book.RequestFrom(1, 0);
    const auto b = book.RequestFrom(2, 0);
    ASSERT_TRUE(a && b);
    EXPECT_TRUE(book.IsOutstandingAt(1, *a));
    EXPECT_FALSE(book.IsOutstandingAt(2, *a)) << "asked of peer 1 only";
    EXPECT_TRUE(book.IsOutstandingAt(2, *b));
    EXPECT_FALSE(book.IsOutstandingAt(1, Block{1, 0, 16384})) << "never asked of anyone";
    EXPECT_FALSE(book.IsOutstandingAt(1, Block{0, 1, 16384})) << "not a block of the torrent";
    EXPECT_FALSE(book.IsOutstandingAt(1, Block{9, 0, 16384})) << "beyond the torrent";
    std::vector<uint32_t> cancel;
    EXPECT_TRUE(book.Received(1, *a, cancel));
    EXPECT_FALSE(book.IsOutstandingAt(1, *a)) << "received";
    book.Forget(2);
    EXPECT_FALSE(book.IsOutstandingAt(2, *b)) << "forgotten";
}

TEST(RequestBook, ForgetReturnsAChokingPeersBlocks)
{
    RequestBook book(4 * 65536, 65536); // 4 pieces of 4 blocks
    for (int i = 0; i < 3; ++i)
    {
        book.RequestFrom(1, 0);
    }
    book.RequestFrom(2, 0);
    book.RequestFrom(1, 2);
    std::vector<uint32_t> cancel;
    EXPECT_TRUE(book.Received(1, Block{0, 16384, 16384}, cancel));
    EXPECT_TRUE(cancel.empty());

    const auto forgotten = book.Forget(1);
    EXPECT_EQ(forgotten, (std::vector<Block>{{0, 0, 16384}, {0, 32768, 16384}, {2, 0, 16384}}))
        << "outstanding ones only (not the received block), in order";
    EXPECT_EQ(book.GetOutstanding(1), 0u);
    EXPECT_EQ(book.GetOutstanding(2), 1u);
    EXPECT_TRUE(book.Forget(1).empty());
    EXPECT_TRUE(book.Forget(99).empty());
    EXPECT_EQ(book.GetUnrequestedCount(), 16u - 2);
    // The lowest unrequested block goes first again; the other peer's block stays booked.
    EXPECT_EQ(book.RequestFrom(3, 0), (Block{0, 0, 16384}));
    EXPECT_EQ(book.RequestFrom(3, 0), (Block{0, 32768, 16384}));
    EXPECT_EQ(book.RequestFrom(3, 0), std::nullopt) << "block 3 is still at peer 2";
    // A forgotten block that arrives anyway (it was in flight) is not taken.
    EXPECT_FALSE(book.Received(1, Block{2, 0, 16384}, cancel));
    // Cancelled makes a block unrequested like Forget, for one block.
    book.Cancelled(3, Block{0, 32768, 16384});
    EXPECT_EQ(book.GetOutstanding(3), 1u);
    EXPECT_TRUE(book.HasUnrequested(0));
    book.Cancelled(3, Block{0, 32768, 16384}); // again: nothing
    EXPECT_EQ(book.GetOutstanding(3), 1u);
}

TEST(RequestBook, APieceIsFullExactlyWhenEveryBlockArrived)
{
    RequestBook book(2 * 65536 - 1000, 65536);
    std::vector<Block> asked;
    while (auto b = book.RequestFrom(4, 1))
    {
        asked.push_back(*b);
    }
    ASSERT_EQ(asked.size(), 4u);
    EXPECT_EQ(asked.back().length, 16384u - 1000);
    std::vector<uint32_t> cancel;
    // Blocks that are no blocks of the torrent, or not requested, are not taken.
    EXPECT_FALSE(book.Received(4, Block{1, 16384, 16000}, cancel)) << "wrong length";
    EXPECT_FALSE(book.Received(4, Block{1, 100, 16384}, cancel)) << "misaligned";
    EXPECT_FALSE(book.Received(4, Block{1, 65536, 16384}, cancel)) << "past the piece";
    EXPECT_FALSE(book.Received(4, Block{2, 0, 16384}, cancel)) << "no piece 2";
    EXPECT_FALSE(book.Received(4, Block{0, 0, 16384}, cancel)) << "never requested";
    for (size_t i = 0; i < asked.size(); ++i)
    {
        EXPECT_FALSE(book.PieceFull(1)) << i << " blocks";
        EXPECT_TRUE(book.Received(4, asked[(i + 2) % 4], cancel)) << "any order";
        EXPECT_FALSE(book.Received(4, asked[(i + 2) % 4], cancel)) << "a duplicate";
    }
    EXPECT_TRUE(book.PieceFull(1));
    EXPECT_FALSE(book.PieceFull(0));
    EXPECT_EQ(book.GetOutstanding(4), 0u);

    book.PieceDone(1);
    EXPECT_FALSE(book.PieceFull(1));
    EXPECT_FALSE(book.HasUnrequested(1));
    EXPECT_EQ(book.RequestFrom(4, 1), std::nullopt);
    EXPECT_EQ(book.GetDoneCount(), 1u);
    EXPECT_EQ(book.GetUnrequestedCount(), 4u) << "piece 0's blocks";
}

TEST(RequestBook, AFailedPieceIsRequestedAllOverAgain)
{
    RequestBook book(3 * 65536, 65536);
    std::vector<uint32_t> cancel;
    for (uint32_t peer : {1u, 2u, 1u, 2u})
    {
        const auto b = book.RequestFrom(peer, 2);
        ASSERT_TRUE(b.has_value());
        EXPECT_TRUE(book.Received(peer, *b, cancel));
    }
    ASSERT_TRUE(book.PieceFull(2));
    EXPECT_EQ(book.GetUnrequestedCount(), 8u);
    book.PieceFailed(2);
    EXPECT_FALSE(book.PieceFull(2));
    EXPECT_TRUE(book.HasUnrequested(2));
    EXPECT_EQ(book.GetUnrequestedCount(), 12u);
    for (uint32_t i = 0; i < 4; ++i)
    {
        EXPECT_EQ(book.RequestFrom(3, 2), (Block{2, i * 16384, 16384}));
    }
    // A done piece that is found bad later is not done any more.
    book.PieceDone(0);
    EXPECT_EQ(book.GetUnrequestedCount(), 4u);
    book.PieceFailed(0);
    EXPECT_EQ(book.GetDoneCount(), 0u);
    EXPECT_EQ(book.GetUnrequestedCount(), 8u);
    EXPECT_EQ(book.RequestFrom(3, 0), (Block{0, 0, 16384}));
}

TEST(RequestBook, EndgameStartsExactlyWhenTheLastUnrequestedBlockIsRequested)
{
    RequestBook book(3 * 65536 - 5000, 65536); // 12 blocks, piece 0 held from the start
    book.PieceDone(0);
    std::vector<Block> asked;
    for (uint32_t piece : {2u, 1u})
    {
        for (uint32_t i = 0; i < 4; ++i)
        {
            EXPECT_FALSE(book.InEndgame()) << asked.size() << " requested";
            asked.push_back(*book.RequestFrom(asked.size() % 2 ? 10 : 11, piece));
        }
    }
    EXPECT_TRUE(book.InEndgame());
    EXPECT_EQ(book.GetUnrequestedCount(), 0u);
    // A choke gives blocks back: endgame is over until they are requested again.
    const auto back = book.Forget(10);
    EXPECT_EQ(back.size(), 4u);
    EXPECT_FALSE(book.InEndgame());
    for (const auto& b : back)
    {
        EXPECT_FALSE(book.InEndgame());
        EXPECT_EQ(book.RequestFrom(12, b.piece), b);
    }
    EXPECT_TRUE(book.InEndgame());
    // Everything received and done: nothing left to be in endgame for.
    std::vector<uint32_t> cancel;
    for (const auto& b : asked)
    {
        EXPECT_TRUE(book.Received(0, b, cancel)) << "from anyone, while outstanding";
    }
    book.PieceDone(1);
    EXPECT_TRUE(book.InEndgame());
    book.PieceDone(2);
    EXPECT_FALSE(book.InEndgame());
    EXPECT_EQ(book.GetDoneCount(), 3u);
}

TEST(RequestBook, EndgameRequestsNeverRepeatABlockAtTheSamePeer)
{
    RequestBook book(2 * 65536, 65536); // 8 blocks
    std::mt19937 engine(42);
    EXPECT_TRUE(book.EndgameRequests(3, All(), 10, Below(engine)).empty()) << "not in endgame";
    for (uint32_t piece : {0u, 1u})
    {
        for (int i = 0; i < 4; ++i)
        {
            book.RequestFrom(piece + 1, piece); // peer 1: piece 0, peer 2: piece 1
        }
    }
    ASSERT_TRUE(book.InEndgame());

    const auto some = book.EndgameRequests(3, All(), 3, Below(engine));
    EXPECT_EQ(some.size(), 3u) << "at most max";
    const auto rest = book.EndgameRequests(3, All(), 100, Below(engine));
    EXPECT_EQ(rest.size(), 5u);
    std::set<Block> at3(some.begin(), some.end());
    at3.insert(rest.begin(), rest.end());
    EXPECT_EQ(at3.size(), 8u) << "all eight, none twice";
    EXPECT_TRUE(book.EndgameRequests(3, All(), 100, Below(engine)).empty());
    EXPECT_EQ(book.GetOutstanding(3), 8u);

    // Peer 1 gets only what is outstanding elsewhere and not at itself: piece 1's blocks.
    const auto for1 = book.EndgameRequests(1, All(), 100, Below(engine));
    EXPECT_EQ(for1.size(), 4u);
    for (const auto& b : for1)
    {
        EXPECT_EQ(b.piece, 1u);
    }
    // A peer without piece 0 is offered none of it.
    const auto for4 = book.EndgameRequests(4, In({1}), 100, Below(engine));
    EXPECT_EQ(for4.size(), 4u);
    for (const auto& b : for4)
    {
        EXPECT_EQ(b.piece, 1u);
    }
    EXPECT_TRUE(book.EndgameRequests(5, All(), 0, Below(engine)).empty());
    EXPECT_THROW(book.EndgameRequests(5, All(), 2,
                                      [](uint32_t n) {
                                          return n;
                                      }),
                 std::logic_error);

    // The choice is at random: over many draws every block comes first sometimes.
    std::set<Block> firsts;
    for (int i = 0; i < 200; ++i)
    {
        RequestBook b2(2 * 65536, 65536);
        for (int k = 0; k < 8; ++k)
        {
            b2.RequestFrom(1, k / 4);
        }
        firsts.insert(b2.EndgameRequests(2, All(), 1, Below(engine)).at(0));
    }
    EXPECT_EQ(firsts.size(), 8u);
}

TEST(RequestBook, ReceivedInEndgameNamesEveryOtherPeerToCancel)
{
    RequestBook book(65536, 65536);
    std::mt19937 engine(7);
    for (int i = 0; i < 4; ++i)
    {
        book.RequestFrom(1, 0);
    }
    ASSERT_TRUE(book.InEndgame());
    for (uint32_t peer : {2u, 3u, 4u})
    {
        EXPECT_EQ(book.EndgameRequests(peer, All(), 10, Below(engine)).size(), 4u);
    }
    const Block b{0, 16384, 16384};
    std::vector<uint32_t> cancel{99};
    ASSERT_TRUE(book.Received(3, b, cancel));
    EXPECT_EQ(cancel, (std::vector<uint32_t>{1, 2, 4})) << "everyone else asked, in order";
    for (uint32_t peer : {1u, 2u, 3u, 4u})
    {
        EXPECT_EQ(book.GetOutstanding(peer), 3u) << "no longer outstanding at " << peer;
    }
    EXPECT_FALSE(book.Received(1, b, cancel)) << "the copy peer 1 sent before our cancel";
    EXPECT_TRUE(cancel.empty());

    // Cancelling at one peer keeps a block outstanding at the others: still endgame.
    const Block c{0, 0, 16384};
    book.Cancelled(2, c);
    book.Cancelled(3, c);
    book.Cancelled(4, c);
    EXPECT_TRUE(book.InEndgame());
    EXPECT_FALSE(book.HasUnrequested(0));
    EXPECT_TRUE(book.Forget(1).size() == 3);
    EXPECT_TRUE(book.HasUnrequested(0)) << "block 0 was outstanding only at peer 1";
    EXPECT_FALSE(book.InEndgame());
    ASSERT_TRUE(book.Received(4, Block{0, 32768, 16384}, cancel));
    EXPECT_EQ(cancel, (std::vector<uint32_t>{2, 3}));
}

TEST(RequestBook, PickerAndBookDownloadAFileWithEndgame)
{
    // Three peers with the whole file and a backlog of 5; each step every peer sends the
    // oldest block asked of it. Every byte is taken exactly once and endgame cancels fire.
    const uint64_t length = 10 * 65536 - 3000;
    RequestBook book(length, 65536);
    Ptr<PiecePicker> picker = MakePicker(book.GetNumPieces(), 11);
    const std::vector<uint32_t> peers{0, 1, 2};
    for (uint32_t p = 0; p < book.GetNumPieces(); ++p)
    {
        for (size_t k = 0; k < peers.size(); ++k)
        {
            picker->PeerHas(p);
        }
    }
    std::mt19937 engine(3);
    std::map<uint32_t, std::deque<Block>> queue;
    uint64_t taken = 0;
    uint32_t cancels = 0;
    bool sawEndgame = false;
    auto wanted = [&book](uint32_t p) {
        return book.HasUnrequested(p);
    };
    for (int step = 0; step < 1000 && book.GetDoneCount() < book.GetNumPieces(); ++step)
    {
        for (uint32_t peer : peers)
        {
            while (book.GetOutstanding(peer) < 5)
            {
                const auto piece = picker->Next(All(), wanted);
                if (!piece)
                {
                    break;
                }
                picker->Started(*piece);
                queue[peer].push_back(*book.RequestFrom(peer, *piece));
            }
            if (book.InEndgame())
            {
                sawEndgame = true;
                for (const auto& b : book.EndgameRequests(
                         peer, All(), 5 - std::min(5u, book.GetOutstanding(peer)), Below(engine)))
                {
                    queue[peer].push_back(b);
                }
            }
        }
        for (uint32_t peer : peers)
        {
            if (queue[peer].empty())
            {
                continue;
            }
            const Block b = queue[peer].front();
            queue[peer].pop_front();
            std::vector<uint32_t> cancelTo;
            if (!book.Received(peer, b, cancelTo))
            {
                continue;
            }
            taken += b.length;
            for (uint32_t q : cancelTo)
            {
                ++cancels;
                auto& qq = queue[q];
                qq.erase(std::remove(qq.begin(), qq.end(), b), qq.end());
            }
            if (book.PieceFull(b.piece))
            {
                book.PieceDone(b.piece);
                picker->Completed(b.piece);
            }
        }
    }
    EXPECT_EQ(book.GetDoneCount(), book.GetNumPieces());
    EXPECT_EQ(picker->GetCompletedCount(), book.GetNumPieces());
    EXPECT_EQ(taken, length) << "every byte taken exactly once";
    EXPECT_TRUE(sawEndgame);
    EXPECT_GT(cancels, 0u);
    for (uint32_t peer : peers)
    {
        EXPECT_EQ(book.GetOutstanding(peer), 0u);
    }
}

// ------------------------------------------------------------------ Choker

namespace
{

/// Peers 1-8, all interested, none snubbed; peer i sends us i kB/s and gets (9 - i) kB/s.
std::vector<ChokerPeer>
EightPeers()
{
    std::vector<ChokerPeer> peers;
    for (uint32_t i = 1; i <= 8; ++i)
    {
        peers.push_back(ChokerPeer{i, true, false, i * 1000.0, (9 - i) * 1000.0});
    }
    return peers;
}

Ptr<Choker>
MakeChoker(int64_t stream, uint32_t n = 8)
{
    Ptr<Choker> c = CreateObject<Choker>();
    EXPECT_EQ(c->AssignStreams(stream), 1);
    for (uint32_t i = 1; i <= n; ++i)
    {
        c->AddPeer(i);
    }
    return c;
}

/// The first peer in the rotation that is in \p among.
uint32_t
FirstInRotation(const Choker& c, const PieceSet& among)
{
    for (uint32_t id : c.GetRotation())
    {
        if (among.count(id))
        {
            return id;
        }
    }
    return UINT32_MAX;
}

} // namespace

TEST(Choker, TheFourFastestPlusExactlyOneOptimistic)
{
    for (int64_t stream = 1; stream <= 5; ++stream)
    {
        Ptr<Choker> c = MakeChoker(stream);
        const auto unchoked = c->Decide(EightPeers(), false);
        EXPECT_EQ(unchoked.size(), 5u);
        for (uint32_t fast : {5u, 6u, 7u, 8u})
        {
            EXPECT_TRUE(unchoked.count(fast)) << fast;
        }
        const uint32_t optimistic = FirstInRotation(*c, {1, 2, 3, 4});
        EXPECT_TRUE(unchoked.count(optimistic)) << "the first slow peer in rotation order";
        EXPECT_EQ(c->GetRound(), 0u) << "Decide does not advance the round";
    }
}

TEST(Choker, SnubbedAndUninterestedPeersAreNotAmongTheBest)
{
    Ptr<Choker> c = MakeChoker(2);
    auto peers = EightPeers();
    peers[7].snubbed = true;     // peer 8
    peers[6].interested = false; // peer 7
    const auto unchoked = c->Decide(peers, false);
    EXPECT_EQ(unchoked.size(), 5u);
    for (uint32_t best : {3u, 4u, 5u, 6u})
    {
        EXPECT_TRUE(unchoked.count(best)) << best;
    }
    EXPECT_FALSE(unchoked.count(7)) << "not interested: never unchoked";
    EXPECT_TRUE(unchoked.count(FirstInRotation(*c, {1, 2, 8})))
        << "a snubbed peer may still be the optimistic unchoke";

    // Fewer qualifying peers than regular slots: the rotation walk fills them (mainline's
    // min_uploads), with interested peers only.
    for (auto& p : peers)
    {
        p.snubbed = p.id > 2;
    }
    const auto filled = c->Decide(peers, false);
    EXPECT_EQ(filled.size(), 5u);
    EXPECT_TRUE(filled.count(1) && filled.count(2));
    EXPECT_FALSE(filled.count(7));
    std::set<uint32_t> expected{1, 2};
    for (uint32_t id : c->GetRotation())
    {
        if (expected.size() < 5 && id != 7)
        {
            expected.insert(id);
        }
    }
    EXPECT_EQ(filled, expected);

    // Only three interested peers: all three, nobody else.
    for (auto& p : peers)
    {
        p.interested = p.id <= 3;
    }
    EXPECT_EQ(c->Decide(peers, false), (std::set<uint32_t>{1, 2, 3}));
    // Missing from the list counts as not interested.
    EXPECT_EQ(c->Decide({peers[0]}, false), (std::set<uint32_t>{1}));
}

TEST(Choker, SeedingRanksByUploadRate)
{
    Ptr<Choker> c = MakeChoker(3);
    auto peers = EightPeers();
    peers[0].snubbed = true; // peer 1: snubbing means nothing to a seed
    const auto unchoked = c->Decide(peers, true);
    EXPECT_EQ(unchoked.size(), 5u);
    for (uint32_t best : {1u, 2u, 3u, 4u})
    {
        EXPECT_TRUE(unchoked.count(best)) << best;
    }
    EXPECT_TRUE(unchoked.count(FirstInRotation(*c, {5, 6, 7, 8})));
    EXPECT_TRUE(c->Decide(peers, false).count(8)) << "downloading: download rate again";
}

TEST(Choker, TheOptimisticSlotMovesEveryThirdRoundInRotationOrder)
{
    Ptr<Choker> c = MakeChoker(4);
    const auto peers = EightPeers();
    const PieceSet slow{1, 2, 3, 4};
    auto optimisticOf = [&slow](const std::set<uint32_t>& unchoked) {
        std::vector<uint32_t> o;
        for (uint32_t id : unchoked)
        {
            if (slow.count(id))
            {
                o.push_back(id);
            }
        }
        EXPECT_EQ(o.size(), 1u);
        EXPECT_EQ(unchoked.size(), 5u);
        return o.empty() ? UINT32_MAX : o[0];
    };
    const uint32_t first = optimisticOf(c->Round(peers, false));
    EXPECT_EQ(first, FirstInRotation(*c, slow));
    EXPECT_EQ(optimisticOf(c->Round(peers, false)), first) << "round 2: unchanged";
    std::vector<uint32_t> seen{first};
    uint32_t current = first;
    for (int cycle = 0; cycle < 3; ++cycle)
    {
        // Expected: the next slow peer after the current optimistic one in rotation order (the
        // current one is the first slow peer from the head, so this is also the first choked
        // and interested peer from the head).
        const auto rot = c->GetRotation();
        const auto at = std::find(rot.begin(), rot.end(), current) - rot.begin();
        uint32_t expected = UINT32_MAX;
        for (size_t k = 1; k <= rot.size(); ++k)
        {
            const uint32_t id = rot[(at + k) % rot.size()];
            if (slow.count(id) && id != current)
            {
                expected = id;
                break;
            }
        }
        const uint32_t moved = optimisticOf(c->Round(peers, false));
        EXPECT_EQ(moved, expected) << "round " << c->GetRound();
        EXPECT_EQ(c->GetRotation().front(), moved) << "the new optimistic heads the rotation";
        EXPECT_EQ(optimisticOf(c->Round(peers, false)), moved);
        EXPECT_EQ(optimisticOf(c->Round(peers, false)), moved);
        seen.push_back(moved);
        current = moved;
    }
    EXPECT_EQ(c->GetRound(), 11u);
    EXPECT_EQ(std::set<uint32_t>(seen.begin(), seen.end()), slow) << "each slow peer in turn";
}

TEST(Choker, ANewPeerHeadsTheRotationThreeTimesAsOften)
{
    const uint32_t n = 5;
    const int trials = 3000;
    std::vector<int> at(n + 1, 0);
    for (int t = 0; t < trials; ++t)
    {
        Ptr<Choker> c = MakeChoker(1000 + t, n);
        c->AddPeer(100);
        const auto rot = c->GetRotation();
        ASSERT_EQ(rot.size(), n + 1);
        ++at[std::find(rot.begin(), rot.end(), 100u) - rot.begin()];
    }
    EXPECT_NEAR(at[0] / double(trials), 3.0 / (n + 3), 0.05) << "head: 3/(n+3)";
    for (uint32_t pos = 1; pos <= n; ++pos)
    {
        EXPECT_NEAR(at[pos] / double(trials), 1.0 / (n + 3), 0.035) << "position " << pos;
    }
}

TEST(Choker, AttributesAndBadCalls)
{
    ObjectFactory f("ns3::Choker");
    f.Set("RegularUnchokes", UintegerValue(2));
    f.Set("OptimisticUnchokes", UintegerValue(2));
    f.Set("RoundsPerOptimistic", UintegerValue(1));
    Ptr<Choker> c = f.Create<Choker>();
    for (uint32_t i = 1; i <= 8; ++i)
    {
        c->AddPeer(i);
    }
    const auto unchoked = c->Round(EightPeers(), false);
    EXPECT_EQ(unchoked.size(), 4u);
    EXPECT_TRUE(unchoked.count(8) && unchoked.count(7));

    EXPECT_THROW(c->AddPeer(3), std::invalid_argument);
    auto twice = EightPeers();
    twice.push_back(twice[0]);
    EXPECT_THROW(c->Decide(twice, false), std::invalid_argument);
    auto stranger = EightPeers();
    stranger.push_back(ChokerPeer{42, true, false, 1e9, 0});
    EXPECT_THROW(c->Decide(stranger, false), std::invalid_argument);
    EXPECT_THROW(c->Round(stranger, false), std::invalid_argument);
    EXPECT_EQ(c->GetRound(), 1u) << "a rejected round does not count";
    c->RemovePeer(42); // unknown: nothing
    c->RemovePeer(8);
    EXPECT_EQ(c->GetRotation().size(), 7u);
    EXPECT_THROW(c->Decide(EightPeers(), false), std::invalid_argument) << "8 was removed";
}

// ------------------------------------------------------------------ RateMeter

TEST(RateMeter, ASteadyStreamReadsItsRate)
{
    RateMeter m;
    EXPECT_EQ(m.GetWindow(), Seconds(20));
    EXPECT_EQ(m.GetRate(Seconds(3)), 0.0) << "nothing yet";
    // 100 kB/s in 16 KiB blocks for 60 s.
    const double rate = 100000;
    const Time gap = Seconds(16384 / rate);
    Time t = Seconds(2);
    for (; t <= Seconds(62); t += gap)
    {
        m.Add(16384, t);
        if (t >= Seconds(7))
        {
            ASSERT_NEAR(m.GetRate(t), rate, rate * 0.05) << t.GetSeconds();
        }
        if (t >= Seconds(23))
        {
            ASSERT_NEAR(m.GetRate(t), rate, rate * 0.02) << t.GetSeconds();
        }
    }
    EXPECT_EQ(m.GetTotal() % 16384, 0u);
    EXPECT_NEAR(m.GetTotal(), rate * 60, 16384 * 2);

    // A faster stream after it: the window catches up within 20 s.
    for (Time u = t; u <= t + Seconds(25); u += gap / 2)
    {
        m.Add(16384, u);
    }
    EXPECT_NEAR(m.GetRate(t + Seconds(25)), 2 * rate, 2 * rate * 0.02);
}

TEST(RateMeter, APeerThatStopsDecaysToZero)
{
    RateMeter m;
    const double rate = 100000;
    const Time gap = Seconds(16384 / rate);
    Time t;
    for (t = Seconds(0); t <= Seconds(30); t += gap)
    {
        m.Add(16384, t);
    }
    const double atStop = m.GetRate(Seconds(30));
    EXPECT_NEAR(atStop, rate, rate * 0.02);
    double previous = atStop;
    for (double s = 31; s <= 52; s += 1)
    {
        const double r = m.GetRate(Seconds(s));
        EXPECT_LE(r, previous) << s;
        previous = r;
    }
    EXPECT_NEAR(m.GetRate(Seconds(40)), rate * 10 / 20, rate * 0.1) << "about half at 10 s";
    EXPECT_LT(m.GetRate(Seconds(48)), rate * 0.2);
    EXPECT_EQ(m.GetRate(Seconds(51)), 0.0) << "a window after the last byte";
    EXPECT_EQ(m.GetRate(Seconds(500)), 0.0);
    // It comes back.
    m.Add(16384, Seconds(500));
    m.Add(16384, Seconds(501));
    EXPECT_NEAR(m.GetRate(Seconds(502)), 2 * 16384 / 19.0, 1)
        << "two blocks over the window (19 whole slots at a slot boundary)";
}

TEST(RateMeter, AFreshConnectionsFirstBlockIsNotAnAbsurdRate)
{
    RateMeter m;
    m.Add(16384, Seconds(10));
    EXPECT_LE(m.GetRate(Seconds(10)), 16384.0) << "spread over at least a second";
    EXPECT_LE(m.GetRate(MicroSeconds(10000050)), 16384.0);
    EXPECT_GT(m.GetRate(Seconds(10)), 0.0);
    EXPECT_NEAR(m.GetRate(Seconds(14)), 16384 / 4.0, 1) << "then over the time since it started";

    // The clock can be started when the connection opens.
    RateMeter opened;
    opened.Add(0, Seconds(2));
    opened.Add(16384, Seconds(10));
    EXPECT_NEAR(opened.GetRate(Seconds(10)), 16384 / 8.0, 1);
    EXPECT_EQ(opened.GetTotal(), 16384u);

    RateMeter shortWindow(Seconds(2), MilliSeconds(100));
    shortWindow.Add(1000, Seconds(1));
    EXPECT_NEAR(shortWindow.GetRate(Seconds(1)), 10000, 1);
    EXPECT_EQ(shortWindow.GetRate(Seconds(3.1)), 0.0);

    EXPECT_THROW((void) RateMeter(Seconds(0)), std::invalid_argument);
    EXPECT_THROW((void) RateMeter(Seconds(20), Seconds(0)), std::invalid_argument);
    EXPECT_THROW((void) RateMeter(Seconds(2), Seconds(3)), std::invalid_argument);
    EXPECT_THROW(m.Add(1, Seconds(9)), std::invalid_argument) << "time went backwards";
    EXPECT_THROW(m.GetRate(Seconds(9)), std::invalid_argument);
}
