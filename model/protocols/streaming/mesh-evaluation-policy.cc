/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "mesh-evaluation-policy.h"

#include <algorithm>

namespace ns3
{

NS_OBJECT_ENSURE_REGISTERED(MeshEvaluationPolicy);
NS_OBJECT_ENSURE_REGISTERED(PaperMeshEvaluation);

TypeId
MeshEvaluationPolicy::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::MeshEvaluationPolicy").SetParent<Object>().SetGroupName("Bullet");
    return tid;
}

TypeId
PaperMeshEvaluation::GetTypeId()
{
    static TypeId tid = TypeId("ns3::PaperMeshEvaluation")
                            .SetParent<MeshEvaluationPolicy>()
                            .SetGroupName("Bullet")
                            .AddConstructor<PaperMeshEvaluation>();
    return tid;
}

MeshEvaluationPolicy::Verdict
PaperMeshEvaluation::ChooseSender(const std::vector<SenderFigures>& senders, uint32_t maxSenders,
                                  double duplicateThreshold) const
{
    Verdict v;
    if (senders.empty())
    {
        return v;
    }
    auto wasteful = senders.end();
    double worstDup = duplicateThreshold;
    auto leastUseful = senders.begin();
    for (auto it = senders.begin(); it != senders.end(); ++it)
    {
        if (it->received > 0 && double(it->duplicates) / it->received > worstDup)
        {
            worstDup = double(it->duplicates) / it->received;
            wasteful = it;
        }
        if (it->received - it->duplicates < leastUseful->received - leastUseful->duplicates)
        {
            leastUseful = it;
        }
    }
    if (wasteful != senders.end())
    {
        v.drop = true;
        v.peer = wasteful->address;
        v.why = "duplicates";
    }
    else if (senders.size() >= maxSenders)
    {
        v.drop = true;
        v.peer = leastUseful->address;
        v.why = "least useful (trial slot)";
    }
    return v;
}

MeshEvaluationPolicy::Verdict
PaperMeshEvaluation::ChooseReceiver(const std::vector<ReceiverFigures>& receivers,
                                    uint32_t maxReceivers, Time elapsed) const
{
    Verdict v;
    if (receivers.empty() || receivers.size() < maxReceivers)
    {
        return v;
    }
    const double seconds = std::max(1e-3, elapsed.GetSeconds());
    double leastPortion = 2;
    for (const auto& r : receivers)
    {
        double kbps = r.bytesSent * 8 / 1000.0 / seconds;
        double portion = r.reportedKbps ? kbps / r.reportedKbps : 0;
        if (portion < leastPortion)
        {
            leastPortion = portion;
            v.drop = true;
            v.peer = r.address;
        }
    }
    if (v.drop)
    {
        v.why = "least portion of its bandwidth";
    }
    return v;
}

} // namespace ns3
