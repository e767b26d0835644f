/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_OUTSTANDING_POLICY_H
#define BULLET_OUTSTANDING_POLICY_H

#include "ns3/nstime.h"
#include "ns3/object.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Per-sender controller of the number of blocks this node keeps requested from that
 * sender: a Bullet' receiver's flow control (2008 Section 4.3.3.2, compared in Section 5.11),
 * one object per sender, chosen by the protocol's Outstanding attribute.
 *
 * The protocol keeps GetLimit() blocks requested from the sender (queued there, in flight or
 * requested), asks TakeMark() for each request it sends, and reports each block that arrives
 * with the sender's feedback. No simulator inside.
 */
class OutstandingPolicy : public Object
{
  public:
    static TypeId GetTypeId();
    /// Blocks to keep requested from the sender now.
    virtual uint32_t GetLimit() const = 0;
    /// Whether the request about to be sent should carry the mark (set after an adjustment;
    /// consumed by this call).
    virtual bool TakeMark() = 0;
    /// A block arrived from the sender with the sender's feedback: blocks queued in front of its
    /// socket buffer when the request arrived (inFront), the wasted (<0) or service (>0) time it
    /// reports, the bandwidth this node measures from that sender (bits/s), the block's bytes,
    /// and whether its request carried the mark.
    virtual void BlockArrived(uint32_t inFront, Time wasted, double bandwidthBps,
                              uint32_t blockBytes, bool marked)
        = 0;
    /// The marked request will never be answered (the sender refused it, or the request was
    /// withdrawn): stop waiting for its block. Nothing for policies without marks.
    virtual void MarkLost();
};

/**
 * \ingroup bullet
 * \brief Bullet''s dynamic flow control (the default): an XCP-style efficiency controller that
 * keeps one block queued in front of the sender's socket buffer. The reconstruction of the
 * paper's Figure 7, line by line with the reasons, is in doc/bullet-prime.md, "Flow control
 * (Figure 7, reconstructed)".
 *
 * For each block that arrives (while no adjustment is in flight), in blocks:
 * \code
 *   spare = wasted < 0 ? -wasted * bandwidth / blockBits : 0
 *   queue = inFront - 1
 *   delta = Alpha * spare - Beta * queue
 *   limit = delta > 0 ? ceil(limit + delta) : floor(limit + delta), kept within [1, MaxLimit]
 * \endcode
 * A positive wasted (service time) adds nothing: it is the time the inFront blocks took, which
 * the queue term already counts. When the limit changed, the next request carries the mark and
 * feedback is ignored until a block whose request carried it arrives; that block's feedback is
 * used (it is the first taken after the change).
 */
class XcpOutstanding : public OutstandingPolicy
{
  public:
    static TypeId GetTypeId();
    uint32_t GetLimit() const override;
    bool TakeMark() override;
    void BlockArrived(uint32_t inFront, Time wasted, double bandwidthBps, uint32_t blockBytes,
                      bool marked) override;
    void MarkLost() override;

    /// Whether an adjustment is in flight: feedback is ignored until the marked block arrives.
    bool IsWaiting() const;
    /// delta for this feedback (blocks; no state change).
    double Delta(uint32_t inFront, Time wasted, double bandwidthBps, uint32_t blockBytes) const;

  private:
    uint32_t m_initial{3};
    double m_alpha{0.4};
    double m_beta{0.226};
    uint32_t m_maxLimit{1000};

    bool m_started{false}; ///< whether m_limit has left Initial
    uint32_t m_limit{3};
    bool m_markPending{false}; ///< the next request carries the mark
    bool m_waiting{false};     ///< feedback ignored until the marked block arrives
};

/**
 * \ingroup bullet
 * \brief A fixed number of outstanding blocks per sender (Section 5.11's 3, 6, 9, 15 and 50):
 * never changes, never marks.
 */
class StaticOutstanding : public OutstandingPolicy
{
  public:
    static TypeId GetTypeId();
    uint32_t GetLimit() const override;
    bool TakeMark() override;
    void BlockArrived(uint32_t inFront, Time wasted, double bandwidthBps, uint32_t blockBytes,
                      bool marked) override;

  private:
    uint32_t m_limit{3};
};

} // namespace ns3

#endif // BULLET_OUTSTANDING_POLICY_H
