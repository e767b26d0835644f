/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TFRC_BULK_APPLICATION_H
#define BULLET_TFRC_BULK_APPLICATION_H

#include "ns3/address.h"
#include "ns3/application.h"
#include "ns3/tfrc-socket.h"

namespace ns3
{

/**
 * \ingroup bullet
 * \brief A greedy TFRC source and/or sink: the TFRC counterpart of BulkSend + PacketSink.
 *
 * Opens a TfrcSocket on LocalPort. If Remote is set, it keeps the flow to Remote full: it
 * sends until the non-blocking Send() fails and refills whenever the flow reports room, so
 * the sender is never data-limited and runs at exactly the rate TFRC allows. Whatever
 * arrives is counted (payload bytes), which makes the same class the sink.
 *
 * The socket is this application's own: its SegmentSize attribute (TFRC's s) can be set per
 * installation through the application's SegmentSize attribute.
 */
class TfrcBulkApplication : public Application
{
  public:
    static TypeId GetTypeId();
    TfrcBulkApplication();
    ~TfrcBulkApplication() override;

    /// Application payload bytes received so far.
    uint64_t GetTotalRx() const;
    /// Application payload bytes the flow accepted so far.
    uint64_t GetTotalTx() const;
    /// The socket (null before the application starts).
    Ptr<TfrcSocket> GetSocket() const;
    /// The flow to Remote (null if Remote is unset or before start).
    Ptr<TfrcFlow> GetFlow() const;

  protected:
    void DoDispose() override;

  private:
    void StartApplication() override;
    void StopApplication() override;
    void Fill();
    void OnSendReady(const InetSocketAddress& peer);
    void OnReceive(Ptr<Packet> packet, const InetSocketAddress& from);

    Address m_remote; ///< the Remote attribute: an InetSocketAddress, or empty (sink only)
    uint16_t m_localPort;
    uint32_t m_packetSize;
    uint64_t m_maxBytes;
    uint32_t m_segmentSize; ///< TfrcSocket SegmentSize to set; 0: the socket's own
    Ptr<TfrcSocket> m_socket;
    Ptr<TfrcFlow> m_flow;
    uint64_t m_totalRx{0};
    uint64_t m_totalTx{0};
    bool m_running{false};
};

} // namespace ns3

#endif // BULLET_TFRC_BULK_APPLICATION_H
