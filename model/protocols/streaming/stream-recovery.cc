/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "stream-recovery.h"

#include "ns3/log.h"
#include "ns3/simulator.h"

#include <algorithm>
#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("StreamRecovery");

NS_OBJECT_ENSURE_REGISTERED(StreamDigestHeader);

TypeId
StreamDigestHeader::GetTypeId()
{
    static TypeId tid = TypeId("ns3::StreamDigestHeader")
                            .SetParent<CheckedHeader>()
                            .SetGroupName("Bullet")
                            .AddConstructor<StreamDigestHeader>();
    return tid;
}

TypeId
StreamDigestHeader::GetInstanceTypeId() const
{
    return GetTypeId();
}

uint32_t
StreamDigestHeader::GetSerializedSize() const
{
    return filter.GetSerializedSize() + 8;
}

void
StreamDigestHeader::SerializeDigest(Buffer::Iterator& it) const
{
    filter.Serialize(it);
    it.WriteHtonU32(low);
    it.WriteHtonU32(high);
}

void
StreamDigestHeader::Serialize(Buffer::Iterator start) const
{
    SerializeDigest(start);
}

void
StreamDigestHeader::Print(std::ostream& os) const
{
    os << "range=[" << low << "," << high << "] filter=" << filter.GetNumBits() << "b";
}

void
StreamDigestHeader::DoDeserialize(WireReader& reader)
{
    if (!filter.Deserialize(reader))
    {
        return;
    }
    low = reader.ReadNtohU32();
    high = reader.ReadNtohU32();
    if (reader.Ok() && high < low)
    {
        reader.Fail("stream digest: high < low");
    }
}

StreamRecovery::StreamRecovery(uint32_t window, double falsePositiveRate, uint32_t packetSize,
                               std::shared_ptr<const MinWisePermutations> perms)
    : m_window(window)
    , m_packetSize(packetSize)
    , m_ws(window, falsePositiveRate, std::move(perms))
    , m_created(window, Time())
{
    NS_ABORT_MSG_IF(packetSize < StreamHeader().GetSerializedSize(),
                    "stream packets must hold their header");
}

uint32_t
StreamRecovery::WindowPackets(Time duration, DataRate rate, uint32_t packetSize)
{
    return std::max<uint32_t>(
        64, std::ceil(duration.GetSeconds() * rate.GetBitRate() / (8.0 * packetSize)));
}

void
StreamRecovery::Hold(const StreamHeader& header)
{
    m_ws.Insert(header.seq);
    m_created[header.seq % m_window] = header.created;
}

const WorkingSet&
StreamRecovery::GetWorkingSet() const
{
    return m_ws;
}

uint32_t
StreamRecovery::GetWindow() const
{
    return m_window;
}

Ptr<Packet>
StreamRecovery::MakePacket(uint32_t seq) const
{
    StreamHeader h;
    h.seq = seq;
    h.created = m_created[seq % m_window];
    Ptr<Packet> p
        = m_payload ? m_payload(seq) : Create<Packet>(m_packetSize - h.GetSerializedSize());
    p->AddHeader(h);
    return p;
}

void
StreamRecovery::SetPayloadCallback(PayloadFn payload)
{
    m_payload = std::move(payload);
}

void
StreamRecovery::FillDigest(StreamDigestHeader& digest) const
{
    digest.filter = m_ws.GetBloomFilter();
    SequenceRange range = m_ws.GetRequestRange();
    digest.low = range.low;
    digest.high = range.high;
}

std::deque<uint32_t>
StreamRecovery::Missing(const StreamDigestHeader& digest,
                        const std::function<bool(uint32_t)>& want) const
{
    std::deque<uint32_t> out;
    // Only the held packets in the wanted range are visited, and the caller's (cheap) test
    // comes before the filter's k probes.
    m_ws.ForEach(digest.low, digest.high, [&](uint32_t seq) {
        if ((!want || want(seq)) && !digest.filter.Contains(seq))
        {
            out.push_back(seq);
        }
    });
    return out;
}

void
StreamRecovery::SetSendCallback(SendFn send)
{
    m_send = std::move(send);
}

void
StreamRecovery::Owe(Ipv4Address peer, std::deque<uint32_t> seqs)
{
    m_owed[peer] = std::move(seqs);
}

void
StreamRecovery::OweAlso(Ipv4Address peer, uint32_t seq)
{
    m_owed[peer].push_back(seq);
}

void
StreamRecovery::Forget(Ipv4Address peer)
{
    m_owed.erase(peer);
    EndSendState(peer);
}

void
StreamRecovery::ForgetAll()
{
    m_owed.clear();
    while (!m_sendState.empty())
    {
        EndSendState(m_sendState.begin()->first);
    }
}

void
StreamRecovery::MarkSendState(Ipv4Address peer, bool blocked)
{
    const Time now = Simulator::Now();
    auto [it, added] = m_sendState.try_emplace(peer, PeerSendState{blocked, now});
    if (added || it->second.blocked == blocked)
    {
        return;
    }
    (it->second.blocked ? m_sendTimes.blocked : m_sendTimes.idle) += now - it->second.since;
    it->second = PeerSendState{blocked, now};
}

void
StreamRecovery::EndSendState(Ipv4Address peer)
{
    auto it = m_sendState.find(peer);
    if (it == m_sendState.end())
    {
        return;
    }
    (it->second.blocked ? m_sendTimes.blocked : m_sendTimes.idle)
        += Simulator::Now() - it->second.since;
    m_sendState.erase(it);
}

StreamRecovery::SendTimes
StreamRecovery::GetSendTimes(Time now) const
{
    SendTimes t = m_sendTimes;
    for (const auto& [peer, state] : m_sendState)
    {
        (state.blocked ? t.blocked : t.idle) += now - state.since;
    }
    return t;
}

size_t
StreamRecovery::GetOwed(Ipv4Address peer) const
{
    auto it = m_owed.find(peer);
    return it == m_owed.end() ? 0 : it->second.size();
}

void
StreamRecovery::Pump(Ipv4Address peer)
{
    NS_ASSERT_MSG(m_send, "StreamRecovery: no send callback");
    // Looked up on every round: a transport or the owner may change what is owed from
    // inside a send.
    for (auto it = m_owed.find(peer); it != m_owed.end(); it = m_owed.find(peer))
    {
        if (it->second.empty())
        {
            m_owed.erase(it);
            MarkSendState(peer, false);
            return;
        }
        uint32_t seq = it->second.front();
        it->second.pop_front();
        if (!m_ws.Contains(seq))
        {
            continue; // slid out of the working set
        }
        if (!m_send(peer, MakePacket(seq), seq))
        {
            // The flow is at its TCP-friendly rate: resume when it has room.
            auto again = m_owed.find(peer);
            if (again != m_owed.end())
            {
                again->second.push_front(seq);
            }
            MarkSendState(peer, true);
            return;
        }
    }
}

} // namespace ns3
