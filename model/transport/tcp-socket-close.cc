/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tcp-socket-close.h"

#include "ns3/callback.h"
#include "ns3/packet.h"
#include "ns3/socket.h"

namespace ns3
{

void
TcpDiscardReceived(Ptr<Socket> socket)
{
    while (Ptr<Packet> p = socket->Recv())
    {
        if (p->GetSize() == 0)
        {
            break;
        }
    }
}

void
TcpCloseGracefully(Ptr<Socket> socket, bool connecting)
{
    socket->SetSendCallback(MakeNullCallback<void, Ptr<Socket>, uint32_t>());
    socket->SetCloseCallbacks(MakeNullCallback<void, Ptr<Socket>>(),
                              MakeNullCallback<void, Ptr<Socket>>());
    socket->SetConnectCallback(MakeNullCallback<void, Ptr<Socket>>(),
                               MakeNullCallback<void, Ptr<Socket>>());
    if (connecting)
    {
        socket->SetRecvCallback(MakeNullCallback<void, Ptr<Socket>>());
        socket->Close(); // nothing was exchanged yet
        return;
    }
    socket->SetRecvCallback(MakeCallback(&TcpDiscardReceived));
    TcpDiscardReceived(socket);
    socket->Close();
}

} // namespace ns3
