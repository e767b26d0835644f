/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_BT_CHOKER_H
#define BULLET_BT_CHOKER_H

#include "ns3/object.h"
#include "ns3/random-variable-stream.h"

#include <cstdint>
#include <set>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What the choker needs to know of one connection.
 */
struct ChokerPeer
{
    uint32_t id;         ///< the caller's id of the connection (as given to AddPeer)
    bool interested;     ///< the peer is interested in us (it wants to download)
    bool snubbed;        ///< the peer sent us nothing for a while (mainline: 30 s)
    double downloadRate; ///< bytes/s from the peer to us
    double uploadRate;   ///< bytes/s from us to the peer
};

/**
 * \ingroup bullet
 * \brief Who a BitTorrent peer uploads to: mainline's choker (3.4.1) with BEP 3's numbers. No
 * simulator inside: the caller calls Round every 10 s and Decide when an unchoked peer loses
 * interest or leaves, and unchokes exactly the peers returned, choking the others.
 *
 * The choker keeps the connections in a rotation order. A new connection enters at a uniform
 * position in [-2, size], clamped to 0, so it is three times as likely as any other position
 * to land at the head (BEP 3: new connections are three times as likely to get the optimistic
 * unchoke). Decide():
 *   1. preferred: the RegularUnchokes interested peers with the best download rate to us
 *      (upload rate from us when seeding); snubbed peers are left out while downloading
 *      (snubbing is about what a peer sends us, so it is ignored when seeding); equal rates
 *      go to the peer earlier in the rotation;
 *   2. then the rotation is walked from its head, unchoking interested peers not preferred,
 *      until OptimisticUnchokes of them are unchoked and, as mainline's min_uploads does, at
 *      least RegularUnchokes + OptimisticUnchokes peers are unchoked in all (so when fewer
 *      peers qualify as preferred, e.g. snubbed ones, the walk fills their slots).
 * Only interested peers are unchoked (mainline also leaves uninterested peers it walks past
 * unchoked, which makes no difference to what is sent).
 *
 * Round() advances a round counter; every RoundsPerOptimistic-th round it first rotates the
 * order so that its first peer that is choked (not in the last set returned) and interested is
 * at the head: that peer becomes the optimistic unchoke, for the next RoundsPerOptimistic
 * rounds (30 s with the defaults).
 *
 * Costs (n connections): AddPeer, RemovePeer O(n); Round, Decide O(n log n).
 */
class Choker : public Object
{
  public:
    /**
     * \brief Get the type ID.
     * \return the object TypeId; attributes RegularUnchokes (4), OptimisticUnchokes (1),
     *         RoundsPerOptimistic (3)
     */
    static TypeId GetTypeId();
    /// Creates the choker, with no connections, and its random variable.
    Choker();

    /**
     * \brief Uses \p stream for the choker's one random variable (AddPeer's positions).
     * \param stream the first stream index to use
     * \return the number of streams used (1)
     */
    int64_t AssignStreams(int64_t stream);

    /**
     * \brief A new connection: it enters the rotation at a uniform position in [-2, size],
     * clamped to 0. It is choked.
     * \param id the connection's id
     * \throws std::invalid_argument if id is already in the rotation
     */
    void AddPeer(uint32_t id);
    /**
     * \brief A connection closed: it leaves the rotation. Nothing for an unknown id.
     * \param id the connection's id
     */
    void RemovePeer(uint32_t id);

    /**
     * \brief The 10-s round: advances the round counter; every RoundsPerOptimistic-th round
     * first rotates the order so its first choked and interested peer is at the head (the
     * new optimistic unchoke). Then Decide().
     * \param peers every connection's state (ids as added; connections missing from it count
     *        as not interested)
     * \param seeding whether we have the whole torrent (rank by upload rate)
     * \return the peers to unchoke (all others choked)
     * \throws std::invalid_argument if peers names an id twice or one not added
     */
    std::set<uint32_t> Round(const std::vector<ChokerPeer>& peers, bool seeding);
    /**
     * \brief The choke decision without advancing the round (see the class description). The
     * choker remembers the set it returns as the peers unchoked now.
     * \param peers every connection's state (ids as added; connections missing from it count
     *        as not interested)
     * \param seeding whether we have the whole torrent (rank by upload rate)
     * \return the peers to unchoke (all others choked)
     * \throws std::invalid_argument if peers names an id twice or one not added
     */
    std::set<uint32_t> Decide(const std::vector<ChokerPeer>& peers, bool seeding) const;

    /// \return the rotation order, head first (for tests)
    std::vector<uint32_t> GetRotation() const;
    /// RegularUnchokes + OptimisticUnchokes: how many interested peers are unchoked at most.
    uint32_t GetUploadSlots() const;
    /// \return the number of rounds so far
    uint64_t GetRound() const;

  protected:
    void DoDispose() override;

  private:
    uint32_t m_regular{4};
    uint32_t m_optimistic{1};
    uint32_t m_roundsPerOptimistic{3};
    Ptr<UniformRandomVariable> m_rng;

    std::vector<uint32_t> m_rotation;
    uint64_t m_round{0};
    mutable std::set<uint32_t> m_unchoked; ///< the last set Decide returned
};

} // namespace ns3

#endif // BULLET_BT_CHOKER_H
