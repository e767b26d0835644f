/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_REQUEST_STRATEGY_H
#define BULLET_REQUEST_STRATEGY_H

#include "ns3/object.h"
#include "ns3/random-variable-stream.h"

#include <functional>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief In what order a Bullet' receiver requests blocks from one of its senders (2008
 * Section 4.3.3.1, compared in Section 5.9): one small interface, chosen by the protocol's
 * RequestStrategy attribute.
 *
 * No simulator inside. A strategy sees the blocks the sender has that this node neither holds
 * nor has requested, in the order this node learned of them, and how many of this node's
 * senders hold each; it returns the ones to request now. Every strategy calls \p holders at
 * most once per candidate and returns distinct blocks (a candidate listed twice counts once,
 * at its first place).
 */
class RequestStrategy : public Object
{
  public:
    static TypeId GetTypeId();

    /// Orders requests (2008 Section 4.3.3.1). candidates: blocks the sender has and this node
    /// neither holds nor has requested, in the order this node learned of them (first
    /// encountered first). holders(b): how many of this node's senders have block b (rarity).
    /// Returns at most count distinct blocks from candidates, in request order.
    virtual std::vector<uint32_t> Choose(const std::vector<uint32_t>& candidates,
                                         const std::function<uint32_t(uint32_t)>& holders,
                                         uint32_t count)
        = 0;
    /// Random draws, for strategies that make them; returns streams used (0 here).
    virtual int64_t AssignStreams(int64_t stream);

  protected:
    /// \p candidates without repeats, first occurrence kept, in order.
    static std::vector<uint32_t> Distinct(const std::vector<uint32_t>& candidates);
};

/**
 * \ingroup bullet
 * \brief The base of the strategies that draw at random: one uniform random variable, on the
 * stream AssignStreams() gives it.
 */
class RandomizedRequestStrategy : public RequestStrategy
{
  public:
    static TypeId GetTypeId();
    RandomizedRequestStrategy();
    int64_t AssignStreams(int64_t stream) override;

  protected:
    void DoDispose() override;

    Ptr<UniformRandomVariable> m_rng;
};

/**
 * \ingroup bullet
 * \brief "First encountered": blocks in the order this node learned of them, the ones it has
 * known longest first (the paper's lockstep, low-diversity baseline).
 */
class FirstEncounteredRequest : public RequestStrategy
{
  public:
    static TypeId GetTypeId();
    std::vector<uint32_t> Choose(const std::vector<uint32_t>& candidates,
                                 const std::function<uint32_t(uint32_t)>& holders,
                                 uint32_t count) override;
};

/**
 * \ingroup bullet
 * \brief "Random": a uniformly random order of the candidates (each subset of \p count
 * blocks, in each order, equally likely); rarity is not looked at.
 */
class RandomRequest : public RandomizedRequestStrategy
{
  public:
    static TypeId GetTypeId();
    std::vector<uint32_t> Choose(const std::vector<uint32_t>& candidates,
                                 const std::function<uint32_t(uint32_t)>& holders,
                                 uint32_t count) override;
};

/**
 * \ingroup bullet
 * \brief "Rarest": the blocks fewest of this node's senders hold first; among equally rare
 * blocks, the first encountered first (the paper's deterministic tie that makes nodes choose
 * alike).
 */
class RarestRequest : public RequestStrategy
{
  public:
    static TypeId GetTypeId();
    std::vector<uint32_t> Choose(const std::vector<uint32_t>& candidates,
                                 const std::function<uint32_t(uint32_t)>& holders,
                                 uint32_t count) override;
};

/**
 * \ingroup bullet
 * \brief "Rarest random", Bullet''s default: each pick is uniformly random among the remaining
 * candidates of the lowest holder count; picks repeat until \p count or the candidates run
 * out (so the rarest blocks all come before any less rare one, in random order).
 */
class RarestRandomRequest : public RandomizedRequestStrategy
{
  public:
    static TypeId GetTypeId();
    std::vector<uint32_t> Choose(const std::vector<uint32_t>& candidates,
                                 const std::function<uint32_t(uint32_t)>& holders,
                                 uint32_t count) override;
};

} // namespace ns3

#endif // BULLET_REQUEST_STRATEGY_H
