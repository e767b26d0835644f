/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "file-distribution-application.h"

#include "ns3/double.h"
#include "ns3/log.h"
#include "ns3/simulator.h"
#include "ns3/stream-header.h"
#include "ns3/uinteger.h"

#include <cmath>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("FileDistributionApplication");

NS_OBJECT_ENSURE_REGISTERED(FileDistributionApplication);

namespace
{
/// Encoded blocks a source may number, in multiples of the ones a node needs: a rateless code
/// has no end; 16 lets a 6 Mbit/s source make new ones for over 7 minutes of a 20 MB download.
constexpr uint32_t kEncodedSpaceFactor = 16;
} // namespace

TypeId
FileDistributionApplication::GetTypeId()
{
    static TypeId tid
        = TypeId("ns3::FileDistributionApplication")
              .SetParent<OverlayApplication>()
              .SetGroupName("Bullet")
              .AddAttribute("FileSize", "Bytes of the file (the 2008 paper: 100 MB)",
                            UintegerValue(100 * 1000 * 1000),
                            MakeUintegerAccessor(&FileDistributionApplication::m_fileSize),
                            MakeUintegerChecker<uint64_t>(1))
              .AddAttribute("BlockSize", "Bytes per block (the 2008 paper: 16 kB)",
                            UintegerValue(16 * 1024),
                            MakeUintegerAccessor(&FileDistributionApplication::m_blockSize),
                            MakeUintegerChecker<uint32_t>(1, 1 << 24))
              .AddAttribute(
                  "EncodingOverhead",
                  "Extra share of distinct blocks a node needs, standing for an erasure code "
                  "(the paper's Bullet and SplitStream: 0.04; 0 for protocols that move the "
                  "file's own blocks)",
                  DoubleValue(0),
                  MakeDoubleAccessor(&FileDistributionApplication::m_encodingOverhead),
                  MakeDoubleChecker<double>(0, 1))
              .AddTraceSource("BlockRx", "A block arrived: (from, block, bytes, duplicate)",
                              MakeTraceSourceAccessor(&FileDistributionApplication::m_rxTrace),
                              "ns3::FileDistributionApplication::BlockRxTracedCallback")
              .AddTraceSource("BlockTx", "The transport took a block: (to, block, bytes)",
                              MakeTraceSourceAccessor(&FileDistributionApplication::m_txTrace),
                              "ns3::FileDistributionApplication::BlockTxTracedCallback")
              .AddTraceSource(
                  "Complete", "This node holds enough blocks: (time from start)",
                  MakeTraceSourceAccessor(&FileDistributionApplication::m_completeTrace),
                  "ns3::FileDistributionApplication::CompleteTracedCallback");
    return tid;
}

FileDistributionApplication::FileDistributionApplication() = default;

void
FileDistributionApplication::SetContent(const FileContent& content, const BlockManifest& manifest)
{
    NS_ABORT_MSG_UNLESS(content.GetSize() == manifest.GetFileSize(),
                        "the manifest describes another file");
    m_content = content;
    m_manifest = manifest;
}

void
FileDistributionApplication::SetManifest(const BlockManifest& manifest)
{
    m_manifest = manifest;
}

const BlockStore*
FileDistributionApplication::GetStore() const
{
    return m_store.get();
}

uint64_t
FileDistributionApplication::GetBytesVerified() const
{
    return m_store ? m_store->GetBytesVerified() : 0;
}

uint64_t
FileDistributionApplication::GetFileSize() const
{
    return m_fileSize;
}

uint32_t
FileDistributionApplication::GetBlockSize() const
{
    return m_blockSize;
}

uint32_t
FileDistributionApplication::GetNumBlocks() const
{
    return uint32_t((m_fileSize + m_blockSize - 1) / m_blockSize);
}

uint32_t
FileDistributionApplication::GetBlocksNeeded() const
{
    return uint32_t(std::ceil(GetNumBlocks() * (1 + m_encodingOverhead) - 1e-9));
}

uint32_t
FileDistributionApplication::GetBlockSpace() const
{
    return m_encodingOverhead > 0 ? kEncodedSpaceFactor * GetBlocksNeeded() : GetNumBlocks();
}

uint32_t
FileDistributionApplication::GetBlockBytes(uint32_t block) const
{
    if (block + 1 == GetNumBlocks())
    {
        return uint32_t(m_fileSize - uint64_t(block) * m_blockSize);
    }
    return m_blockSize;
}

bool
FileDistributionApplication::HasBlock(uint32_t block) const
{
    return m_have.Has(block);
}

const BlockBitmap&
FileDistributionApplication::GetHoldings() const
{
    return m_have;
}

uint32_t
FileDistributionApplication::GetBlocksHeld() const
{
    return m_have.Count();
}

bool
FileDistributionApplication::IsComplete() const
{
    return m_complete;
}

Time
FileDistributionApplication::GetCompletionTime() const
{
    return m_completed;
}

uint64_t
FileDistributionApplication::GetMalformedCount() const
{
    return m_malformed;
}

void
FileDistributionApplication::StartApplication()
{
    m_started = Simulator::Now();
    if (m_manifest)
    {
        m_fileSize = m_manifest->GetFileSize();
        m_blockSize = m_manifest->GetBlockSize();
        if (!IsSource() && !m_manifest->IsVirtual())
        {
            m_store = std::make_unique<BlockStore>(*m_manifest);
        }
    }
    m_have = BlockBitmap(GetBlockSpace());
    m_complete = false;
    if (IsSource())
    {
        for (uint32_t b = 0; b < GetNumBlocks(); ++b)
        {
            Hold(b);
        }
        m_complete = true; // the source is not a downloader: no Complete trace
        m_completed = Time(0);
    }
    OverlayApplication::StartApplication();
}

void
FileDistributionApplication::Hold(uint32_t block)
{
    m_have.Set(block);
}

bool
FileDistributionApplication::BlockArrived(Ipv4Address from, uint32_t block, uint32_t bytes)
{
    if (block >= m_have.GetNumBlocks())
    {
        ++m_malformed;
        NS_LOG_WARN(GetLocalAddress()
                    << ": block " << block << " from " << from << " is outside the file's "
                    << m_have.GetNumBlocks() << " block numbers");
        return false;
    }
    const bool duplicate = m_have.Has(block);
    m_rxTrace(from, block, bytes, duplicate);
    if (duplicate)
    {
        return false;
    }
    Hold(block);
    if (!m_complete && m_have.Count() >= GetBlocksNeeded())
    {
        m_complete = true;
        m_completed = Simulator::Now() - m_started;
        NS_LOG_INFO(GetLocalAddress() << " completes after " << m_completed.As(Time::S));
        m_completeTrace(m_completed);
    }
    return true;
}

uint64_t
FileDistributionApplication::GetRejectedBlocks() const
{
    return m_rejected;
}

Ptr<Packet>
FileDistributionApplication::MakeBlockPayload(uint32_t block) const
{
    if (m_content && !m_content->IsVirtual() && block < GetNumBlocks())
    {
        // Straight from the source's bytes: one copy, into the packet.
        return Create<Packet>(m_content->GetData() + uint64_t(block) * m_blockSize,
                              GetBlockBytes(block));
    }
    if (m_store && m_store->Has(block))
    {
        std::vector<uint8_t> bytes;
        m_store->ReadBlock(block, bytes);
        return Create<Packet>(bytes.data(), bytes.size());
    }
    return Create<Packet>(GetBlockBytes(block)); // a virtual payload
}

bool
FileDistributionApplication::AcceptBlock(Ipv4Address from, uint32_t block,
                                         Ptr<const Packet> payload, uint32_t wireBytes)
{
    if (block < GetBlockSpace() && payload->GetSize() != GetBlockBytes(block))
    {
        ++m_rejected;
        NS_LOG_WARN(GetLocalAddress()
                    << ": block " << block << " from " << from << " has " << payload->GetSize()
                    << " bytes, not " << GetBlockBytes(block));
        return false;
    }
    if (m_store && block < GetNumBlocks() && !m_store->Has(block))
    {
        std::vector<uint8_t> bytes(payload->GetSize());
        payload->CopyData(bytes.data(), bytes.size());
        if (m_store->Store(block, bytes.data(), bytes.size()) == BlockStore::REJECTED)
        {
            ++m_rejected;
            NS_LOG_WARN(GetLocalAddress() << ": block " << block << " from " << from
                                          << " fails its SHA-256: discarded");
            return false;
        }
    }
    return BlockArrived(from, block, wireBytes);
}

void
FileDistributionApplication::NotifyDuplicate(Ipv4Address from, uint32_t block, uint32_t bytes)
{
    m_rxTrace(from, block, bytes, true);
}

void
FileDistributionApplication::CountRejected(uint32_t blocks)
{
    m_rejected += blocks;
}

void
FileDistributionApplication::KeepBytesCheckedByProtocol()
{
    if (IsSource() || m_store)
    {
        return;
    }
    m_store = std::make_unique<BlockStore>(
        BlockStore::KeepBytesCheckedElsewhere(GetFileSize(), GetBlockSize()));
}

void
FileDistributionApplication::NotifyBlockSent(Ipv4Address to, uint32_t block, uint32_t bytes)
{
    m_txTrace(to, block, bytes);
}

bool
FileDistributionApplication::SendBlock(Ipv4Address to, Ptr<Packet> packet, uint32_t block)
{
    const uint32_t bytes = packet->GetSize();
    if (!GetTransport()->Send(to, packet))
    {
        return false;
    }
    m_txTrace(to, block, bytes);
    return true;
}

uint64_t
FileDistributionApplication::GetMalformedData() const
{
    return m_malformedData;
}

FileDistributionApplication::StreamBlock
FileDistributionApplication::AcceptStreamBlock(Ipv4Address from, Ptr<const Packet> packet,
                                               StreamHeader& header)
{
    packet->PeekHeader(header);
    if (!header.IsValid())
    {
        ++m_malformedData;
        NS_LOG_WARN(GetLocalAddress()
                    << ": malformed block from " << from << ": " << header.GetError());
        return StreamBlock::Bad;
    }
    const uint32_t size = header.GetSerializedSize();
    const uint32_t wire = packet->GetSize();
    const uint64_t bad = GetRejectedBlocks() + GetMalformedCount();
    const bool fresh
        = AcceptBlock(from, header.seq, packet->CreateFragment(size, wire - size), wire);
    if (GetRejectedBlocks() + GetMalformedCount() != bad)
    {
        return StreamBlock::Bad; // bad bytes, or a number no block has: AcceptBlock counted it
    }
    return fresh ? StreamBlock::Fresh : StreamBlock::Duplicate;
}

} // namespace ns3
