/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "child-send-policy.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(ChildSendPolicy);
NS_OBJECT_ENSURE_REGISTERED(DisjointChildSend);
NS_OBJECT_ENSURE_REGISTERED(SendToAllChildren);
NS_OBJECT_ENSURE_REGISTERED(SendOnceChildSend);

TypeId
ChildSendPolicy::GetTypeId()
{
    static TypeId tid = TypeId("ns3::ChildSendPolicy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

TypeId
DisjointChildSend::GetTypeId()
{
    static TypeId tid = TypeId("ns3::DisjointChildSend")
                            .SetParent<ChildSendPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<DisjointChildSend>();
    return tid;
}

bool
DisjointChildSend::Selects(double lf, uint32_t seq)
{
    if (lf <= 0)
    {
        return false;
    }
    if (lf >= 1)
    {
        return true;
    }
    return std::floor((seq + 1.0) * lf) > std::floor(seq * lf);
}

ChildSendPolicy::Child*
DisjointChildSend::ChooseOwner(std::vector<Child>& children, uint64_t totalSent, const HasFn& has)
{
    Child* owner = nullptr;
    for (auto& c : children)
    {
        double share = totalSent ? double(c.sent) / totalSent : 0.0;
        if (share < c.sendingFactor && !has(c))
        {
            owner = &c;
        }
    }
    if (owner)
    {
        return owner;
    }
    double least = 1e300;
    for (auto& c : children)
    {
        double share = totalSent ? double(c.sent) / totalSent : 0.0;
        double over = share - c.sendingFactor;
        if (over < least && !has(c))
        {
            least = over;
            owner = &c;
        }
    }
    return owner;
}

bool
DisjointChildSend::Send(std::vector<Child>& children, uint32_t seq, double lfStep,
                        uint64_t& totalSent, const SendFn& send, const HasFn& has)
{
    if (children.empty())
    {
        return false;
    }
    Child* owner = ChooseOwner(children, totalSent, has);
    if (!owner)
    {
        return false; // every child holds it already
    }
    bool sent = send(*owner);
    if (sent)
    {
        ++owner->sent;
        ++totalSent;
    }
    for (auto& c : children)
    {
        if (&c == owner || has(c))
        {
            continue;
        }
        bool transfer = !sent;
        if (!transfer && !Selects(c.limitingFactor, seq))
        {
            continue;
        }
        if (send(c))
        {
            if (transfer)
            {
                ++c.sent; // ownership passed to this child
                ++totalSent;
            }
            else
            {
                c.limitingFactor = std::min(1.0, c.limitingFactor + lfStep);
            }
            sent = true;
        }
        else if (!transfer)
        {
            c.limitingFactor = std::max(0.0, c.limitingFactor - lfStep);
        }
    }
    return sent;
}

TypeId
SendOnceChildSend::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SendOnceChildSend")
                            .SetParent<ChildSendPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<SendOnceChildSend>();
    return tid;
}

bool
SendOnceChildSend::Send(std::vector<Child>& children, uint32_t seq, double lfStep,
                        uint64_t& totalSent, const SendFn& send, const HasFn& has)
{
    Child* owner = DisjointChildSend::ChooseOwner(children, totalSent, has);
    if (!owner)
    {
        return false; // every child holds it already
    }
    Child* taker = send(*owner) ? owner : nullptr;
    for (auto it = children.begin(); !taker && it != children.end(); ++it)
    {
        if (&*it != owner && !has(*it) && send(*it))
        {
            taker = &*it;
        }
    }
    if (!taker)
    {
        return false;
    }
    ++taker->sent;
    ++totalSent;
    return true;
}

TypeId
SendToAllChildren::GetTypeId()
{
    static TypeId tid = TypeId("ns3::SendToAllChildren")
                            .SetParent<ChildSendPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<SendToAllChildren>();
    return tid;
}

bool
SendToAllChildren::Send(std::vector<Child>& children, uint32_t seq, double lfStep,
                        uint64_t& totalSent, const SendFn& send, const HasFn& has)
{
    bool any = false;
    for (auto& c : children)
    {
        if (send(c))
        {
            ++c.sent;
            ++totalSent;
            any = true;
        }
    }
    return any;
}

} // namespace ns3
