/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_MESH_EVALUATION_POLICY_H
#define BULLET_MESH_EVALUATION_POLICY_H

#include "ns3/ipv4-address.h"
#include "ns3/nstime.h"
#include "ns3/object.h"

#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief How a Bullet node improves its mesh every EvaluationEpochs RanSub epochs: which
 * sender a receiver drops and which receiver a sender drops, chosen by BulletApplication's
 * MeshEvaluation attribute.
 *
 * Given the figures a node keeps of its peers since the last evaluation (in the order the
 * node keeps its peers), a policy names at most one peer of each kind to drop, and why. No
 * simulator inside.
 */
class MeshEvaluationPolicy : public Object
{
  public:
    static TypeId GetTypeId();

    /// What a receiver counted of one of its senders.
    struct SenderFigures
    {
        Ipv4Address address;
        uint32_t received{0};              ///< packets since the last evaluation
        uint32_t duplicates{0};            ///< of which duplicates
        uint32_t deliveredSinceRefresh{0}; ///< new packets since the last refresh (for rows)
    };

    /// What a sender counted of one of its receivers.
    struct ReceiverFigures
    {
        Ipv4Address address;
        uint64_t bytesSent{0};    ///< sent to it since the last evaluation
        uint32_t reportedKbps{0}; ///< what it receives in total, by its last refresh
    };

    /// Whom to drop, and why; nobody if !drop.
    struct Verdict
    {
        bool drop{false};
        Ipv4Address peer;
        std::string why;
    };

    /**
     * A receiver's choice among its \p senders.
     * \param maxSenders the MaxSenders attribute: the node is full at this many
     * \param duplicateThreshold the DuplicateThreshold attribute
     */
    virtual Verdict ChooseSender(const std::vector<SenderFigures>& senders, uint32_t maxSenders,
                                 double duplicateThreshold) const = 0;
    /**
     * A sender's choice among its \p receivers.
     * \param maxReceivers the MaxReceivers attribute: the node is full at this many
     * \param elapsed time since the last evaluation, over which bytesSent were counted
     */
    virtual Verdict ChooseReceiver(const std::vector<ReceiverFigures>& receivers,
                                   uint32_t maxReceivers, Time elapsed) const = 0;
};

/**
 * \ingroup bullet
 * \brief The 2003 paper's rule (Section 3.4).
 *
 * A receiver drops the sender whose duplicates exceed duplicateThreshold of what it sent
 * (the highest share; the first of equals), else, when full, the sender that gave the fewest
 * useful packets (the first of equals), which frees a trial slot. A full sender drops the
 * receiver that gets the least portion of its bandwidth from it: bytes sent over the
 * interval against the total the receiver reports (0 for a receiver that reports none);
 * a portion of 2 or more (a report lagging far behind what was sent) is not a candidate.
 */
class PaperMeshEvaluation : public MeshEvaluationPolicy
{
  public:
    static TypeId GetTypeId();
    Verdict ChooseSender(const std::vector<SenderFigures>& senders, uint32_t maxSenders,
                         double duplicateThreshold) const override;
    Verdict ChooseReceiver(const std::vector<ReceiverFigures>& receivers, uint32_t maxReceivers,
                           Time elapsed) const override;
};

} // namespace ns3

#endif // BULLET_MESH_EVALUATION_POLICY_H
