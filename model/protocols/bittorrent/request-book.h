/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BT_REQUEST_BOOK_H
#define BULLET_BT_REQUEST_BOOK_H

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A BitTorrent downloader's book of requests: the 16 KiB blocks of each piece, which
 * were requested from which peers and which arrived, with mainline's endgame. No simulator
 * inside; peers are the caller's ids.
 *
 * A block is in one of three states: unrequested, outstanding (requested from one or more
 * peers: more than one only in endgame) or received. A piece is done after PieceDone (its
 * hash checked, or held from the start); PieceFailed makes all its blocks unrequested again.
 *
 * Endgame (mainline 3.4.1's StorageWrapper/Downloader): once no block of a piece we still
 * need is unrequested, InEndgame() is true and EndgameRequests() books blocks outstanding at
 * other peers at a peer too; when one copy arrives, Received() names the other peers it is
 * outstanding at, to send them a cancel. InEndgame() is computed from the counts, so it ends
 * again if a block becomes unrequested (a peer choked us or left, a piece failed its check).
 *
 * Only pieces with a requested block hold per-block state (so memory follows the pieces in
 * progress, not the file). Costs (B the blocks of a piece, P the pieces in progress, R the
 * requests outstanding at the peer in question):
 *   - GetNumPieces, GetBlocksIn, GetBlockLength, GetPieceLength, InEndgame, GetOutstanding:
 *     O(1); HasUnrequested, PieceFull: O(log P);
 *   - RequestFrom: O(log P + B) (allocates B entries when a piece starts);
 *   - Received, Cancelled: O(log P + copies of the block + log R);
 *   - PieceFailed, PieceDone: O(log P + B log R);
 *   - Forget: O(R (log P + log R));
 *   - EndgameRequests: O(blocks of the pieces in progress), called only in endgame.
 */
class RequestBook
{
  public:
    /// The block size every current client uses (BEP 3): requests for more are refused.
    static constexpr uint32_t kBlockBytes = 16384;
    /// Largest number of pieces a book accepts (a 1 TiB torrent at 256 KiB pieces).
    static constexpr uint32_t kMaxPieces = 1u << 22;

    /**
     * \brief A block: the (piece, begin, length) of a request, piece or cancel message.
     */
    struct Block
    {
        uint32_t piece;  ///< piece index
        uint32_t begin;  ///< byte offset in the piece, a multiple of kBlockBytes
        uint32_t length; ///< bytes: kBlockBytes, less for the last block of the file

        /// \param o another block \return whether all three fields are equal
        bool operator==(const Block& o) const;
        /// \param o another block \return whether this block comes first in (piece, begin)
        bool operator<(const Block& o) const;
    };

    /**
     * \brief A book with every block unrequested.
     * \param length the file's (the torrent's) bytes
     * \param pieceLength the piece size: a multiple of kBlockBytes; the last piece is shorter
     *        when length is not a multiple of it
     * \throws std::invalid_argument if length is 0, pieceLength is 0 or not a multiple of
     *         kBlockBytes, or the torrent has more than kMaxPieces pieces
     */
    RequestBook(uint64_t length, uint32_t pieceLength);

    /// \return the number of pieces
    uint32_t GetNumPieces() const;
    /**
     * \param piece the piece index
     * \return the piece's bytes (pieceLength but for the last piece)
     * \throws std::out_of_range if piece is not a piece index
     */
    uint32_t GetPieceLength(uint32_t piece) const;
    /**
     * \param piece the piece index
     * \return the number of blocks of the piece
     * \throws std::out_of_range if piece is not a piece index
     */
    uint32_t GetBlocksIn(uint32_t piece) const;
    /**
     * \param piece the piece index
     * \param block the block index in the piece
     * \return the block's bytes (kBlockBytes but for the last block of the file)
     * \throws std::out_of_range if piece or block is out of range
     */
    uint32_t GetBlockLength(uint32_t piece, uint32_t block) const;

    /**
     * \brief Whether \p piece, not done, has a block nobody was asked for (PiecePicker::Next's
     * "wanted").
     * \param piece the piece index
     * \return whether a block of the piece is unrequested
     * \throws std::out_of_range if piece is not a piece index
     */
    bool HasUnrequested(uint32_t piece) const;
    /**
     * \brief Books the unrequested block of \p piece with the lowest begin as requested from
     * \p peer.
     * \param peer the peer asked
     * \param piece the piece index
     * \return the block to send a request for, or nullopt if the piece is done or has no
     *         unrequested block
     * \throws std::out_of_range if piece is not a piece index
     */
    std::optional<Block> RequestFrom(uint32_t peer, uint32_t piece);
    /**
     * \brief A block arrived from \p peer. If it was outstanding at anyone (normally at
     * \p peer), it is received from now on and no longer outstanding anywhere; \p cancelTo gets
     * the other peers it was outstanding at (endgame: send them a cancel; no Cancelled call
     * is needed). A block that matches no block of the torrent (bad index, begin or length),
     * of a done piece, already received or outstanding nowhere (e.g. forgotten after a choke)
     * is not taken.
     * \param peer the peer it came from
     * \param b the block
     * \param cancelTo cleared, then filled with the other peers it was outstanding at, in the
     *        order they were asked
     * \return whether the block was taken (outstanding at anyone); false: unrequested or a
     *         duplicate, to be dropped
     */
    bool Received(uint32_t peer, const Block& b, std::vector<uint32_t>& cancelTo);
    /**
     * \param piece the piece index
     * \return whether every block of \p piece was received (time to check its hash); false for
     *         a done piece
     * \throws std::out_of_range if piece is not a piece index
     */
    bool PieceFull(uint32_t piece) const;
    /**
     * \brief \p piece failed its hash check: all its blocks unrequested again (requests still
     * outstanding for it are dropped from the book; a done piece is not done any more).
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     */
    void PieceFailed(uint32_t piece);
    /**
     * \brief \p piece is done (hash checked, or held from the start): nothing of it is
     * requested again; requests still outstanding for it are dropped from the book.
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     */
    void PieceDone(uint32_t piece);
    /**
     * \brief \p peer choked us or left: none of its requests is outstanding any more; each of
     * those blocks becomes unrequested unless another peer has it outstanding (endgame).
     * \param peer the peer
     * \return every block that was outstanding at the peer, in (piece, begin) order
     */
    std::vector<Block> Forget(uint32_t peer);
    /**
     * \brief We sent \p peer a cancel for \p b: no longer outstanding there (unrequested again
     * if outstanding nowhere else). Nothing if it was not outstanding at the peer.
     * \param peer the peer
     * \param b the block
     */
    void Cancelled(uint32_t peer, const Block& b);
    /**
     * \param peer the peer
     * \return the number of blocks outstanding at \p peer
     */
    uint32_t GetOutstanding(uint32_t peer) const;
    /**
     * \param peer the peer
     * \param b a block
     * \return whether \p b is outstanding at \p peer (false for a block not of this torrent)
     */
    bool IsOutstandingAt(uint32_t peer, const Block& b) const;
    /**
     * \return the number of blocks of pieces not done that are unrequested
     */
    uint64_t GetUnrequestedCount() const;
    /**
     * \return the number of pieces done
     */
    uint32_t GetDoneCount() const;

    /**
     * \brief Endgame (mainline): some piece is not done, and every block of every piece not
     * done is outstanding or received (none unrequested).
     * \return whether in endgame
     */
    bool InEndgame() const;
    /**
     * \brief In endgame: books up to \p max blocks, outstanding at other peers but not at
     * \p peer, of pieces the peer has, as also outstanding at \p peer; chosen uniformly at
     * random among those (a partial shuffle driven by \p randomBelow). Nothing outside endgame.
     * \param peer the peer to send the requests to
     * \param peerHas whether the peer has a piece (called once per piece in progress)
     * \param max the most blocks to book (e.g. the backlog minus GetOutstanding(peer))
     * \param randomBelow a uniform integer in [0, n) for n > 0
     * \return the blocks booked, to request from the peer
     * \throws std::logic_error if randomBelow returns a value not below n
     */
    std::vector<Block> EndgameRequests(uint32_t peer, const std::function<bool(uint32_t)>& peerHas,
                                       uint32_t max,
                                       const std::function<uint32_t(uint32_t n)>& randomBelow);

  private:
    /// Per-block state of a piece in progress.
    struct PieceState
    {
        std::vector<bool> received;                 ///< per block
        std::vector<std::vector<uint32_t>> askedAt; ///< per block: peers it is outstanding at
        uint32_t unrequested{0};                    ///< blocks neither received nor outstanding
        uint32_t receivedCount{0};
        uint32_t firstUnrequested{0}; ///< no unrequested block below this index
    };

    /// Throws std::out_of_range unless \p piece < m_numPieces; \p what names the caller.
    void Check(uint32_t piece, const char* what) const;
    /// The block index of \p b if it is a block of this torrent, else nullopt.
    std::optional<uint32_t> IndexOf(const Block& b) const;
    /// The block (piece, index).
    Block MakeBlock(uint32_t piece, uint32_t index) const;
    /// \p peer no longer has block (piece, index) outstanding: unrequested if nobody has.
    void DropAsk(uint32_t peer, uint32_t piece, PieceState& st, uint32_t index);
    /// Removes every outstanding request for the piece from the per-peer sets.
    void DropAllAsks(uint32_t piece, PieceState& st);
    /// The key of block (piece, index) in the per-peer sets: ordered by piece, then index.
    static uint64_t Key(uint32_t piece, uint32_t index);

    uint64_t m_length;
    uint32_t m_pieceLength;
    uint32_t m_numPieces;
    uint32_t m_blocksPerPiece;
    uint32_t m_lastPieceLength;

    std::vector<bool> m_done; ///< per piece
    uint32_t m_doneCount{0};
    uint64_t m_unrequested{0};                       ///< unrequested blocks of pieces not done
    std::map<uint32_t, PieceState> m_active;         ///< pieces in progress (not done)
    std::map<uint32_t, std::set<uint64_t>> m_byPeer; ///< peer -> outstanding block keys
};

} // namespace ns3

#endif // BULLET_BT_REQUEST_BOOK_H
