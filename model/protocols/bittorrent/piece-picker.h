/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BT_PIECE_PICKER_H
#define BULLET_BT_PIECE_PICKER_H

#include "ns3/object.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Which piece a BitTorrent downloader requests blocks of next, as the mainline client's
 * piece picker (3.4.1) does. No simulator inside.
 *
 * The picker knows, per piece, its availability (how many connected peers announced it:
 * PeerHas / PeerLost), whether a block of it was requested (Started) and whether it is
 * complete (Completed; Failed undoes both). Next() then applies, among the pieces the peer
 * has and we still want:
 *   1. strict priority to started pieces: the rarest of them, at random among equally rare;
 *   2. while fewer than RandomFirstCutoff pieces are complete: the first such piece in a fixed
 *      random permutation of all pieces, drawn once by Initialize ("random first piece");
 *   3. otherwise rarest first: the pieces of the lowest availability, at random among them.
 * A piece no peer announced (availability 0) is never picked, nor is a completed one.
 *
 * Rarest first keeps the pieces in availability buckets; inside a bucket the order is a
 * uniformly random permutation, kept up as pieces enter (at a uniform position) and leave
 * (O(1)), as mainline places a piece at a random position of its bucket. Next walks the
 * buckets from availability 1 up and returns the first piece the peer has and we want, so
 * among equally rare candidates the pick is uniform (over seeds) and stable between calls.
 *
 * Costs (N pieces, S started and not complete, A the highest availability):
 *   - Initialize: O(N) time and memory (about 20 bytes per piece);
 *   - PeerHas, PeerLost, Started, Completed, Failed, GetAvailability: O(1);
 *   - Next: O(S) for step 1, then O(k) where k is the number of pieces looked at before the
 *     first match (the callbacks are called once per piece looked at): usually a handful;
 *     O(N + A) at worst, when the peer has few of the pieces we want. No sorting.
 *
 * Random draws come from one UniformRandomVariable: the permutation in Initialize, a bucket
 * position in PeerHas, PeerLost and Failed, and ties between started pieces in Next. Call
 * AssignStreams before Initialize so that the permutation comes from the assigned stream.
 */
class PiecePicker : public Object
{
  public:
    /// Largest number of pieces Initialize accepts (a 1 TiB torrent at 256 KiB pieces).
    static constexpr uint32_t kMaxPieces = 1u << 22;

    /**
     * \brief Get the type ID.
     * \return the object TypeId; attribute RandomFirstCutoff (default 4).
     */
    static TypeId GetTypeId();
    /// Creates the picker (no pieces until Initialize) and its random variable.
    PiecePicker();

    /**
     * \brief Starts over with \p numPieces pieces, all unavailable, not started, not complete,
     * and draws the random-first permutation.
     * \param numPieces the torrent's number of pieces
     * \throws std::invalid_argument if numPieces is 0 or above kMaxPieces
     */
    void Initialize(uint32_t numPieces);
    /**
     * \brief Uses \p stream for the picker's one random variable.
     * \param stream the first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief A peer announced \p piece (a have message or a bitfield bit): availability + 1.
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     */
    void PeerHas(uint32_t piece);
    /**
     * \brief A peer that had announced \p piece left: availability - 1.
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     * \throws std::logic_error if the piece's availability is already 0
     */
    void PeerLost(uint32_t piece);
    /**
     * \brief A block of \p piece was requested: the piece has strict priority from now on, until
     * it is Completed or Failed. Nothing for a completed piece; repeating it changes nothing.
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     */
    void Started(uint32_t piece);
    /**
     * \brief \p piece passed its hash check: never picked again (until Failed). Repeating it
     * changes nothing.
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     */
    void Completed(uint32_t piece);
    /**
     * \brief \p piece failed its hash check: back to not started and not complete (a completed
     * piece also leaves the completed count).
     * \param piece the piece index
     * \throws std::out_of_range if piece is not a piece index
     */
    void Failed(uint32_t piece);

    /**
     * \brief The next piece to request blocks of from a peer (see the class description).
     * \param peerHas whether the peer has a piece
     * \param wanted whether we still want blocks of a piece (it is not complete and still has
     *        unrequested blocks, e.g. RequestBook::HasUnrequested)
     * \return the piece, or nullopt if the peer has no piece we want (or before Initialize)
     */
    std::optional<uint32_t> Next(const std::function<bool(uint32_t)>& peerHas,
                                 const std::function<bool(uint32_t)>& wanted) const;

    /**
     * \brief How many connected peers announced \p piece.
     * \param piece the piece index
     * \return the availability
     * \throws std::out_of_range if piece is not a piece index
     */
    uint32_t GetAvailability(uint32_t piece) const;
    /**
     * \return the number of pieces Completed (and not Failed since)
     */
    uint32_t GetCompletedCount() const;
    /**
     * \return the number of pieces (0 before Initialize)
     */
    uint32_t GetNumPieces() const;
    /**
     * \param piece the piece index
     * \return whether \p piece is started (has strict priority)
     * \throws std::out_of_range if piece is not a piece index
     */
    bool IsStarted(uint32_t piece) const;
    /**
     * \param piece the piece index
     * \return whether \p piece is complete
     * \throws std::out_of_range if piece is not a piece index
     */
    bool IsCompleted(uint32_t piece) const;

  protected:
    void DoDispose() override;

  private:
    /// Throws std::out_of_range unless \p piece < m_numPieces; \p what names the caller.
    void Check(uint32_t piece, const char* what) const;
    /// Puts \p piece at a uniformly random position of bucket m_avail[piece].
    void BucketInsert(uint32_t piece);
    /// Takes \p piece out of its bucket (the last member moves into its place).
    void BucketRemove(uint32_t piece);
    /// Takes \p piece out of the started list, if there.
    void StartedRemove(uint32_t piece);

    static constexpr uint32_t kNone = UINT32_MAX;

    uint32_t m_randomFirstCutoff{4};
    Ptr<UniformRandomVariable> m_rng;

    uint32_t m_numPieces{0};
    uint32_t m_completedCount{0};
    std::vector<uint32_t> m_avail;                ///< per piece: peers that announced it
    std::vector<std::vector<uint32_t>> m_buckets; ///< [availability]: pieces not complete
    std::vector<uint32_t> m_posInBucket;          ///< per piece: index in its bucket, or kNone
    std::vector<uint32_t> m_started;              ///< started, not complete pieces
    std::vector<uint32_t> m_posInStarted;         ///< per piece: index in m_started, or kNone
    std::vector<bool> m_completed;                ///< per piece
    std::vector<uint32_t> m_scrambled;            ///< the random-first permutation
};

} // namespace ns3

#endif // BULLET_BT_PIECE_PICKER_H
