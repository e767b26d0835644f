/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TCP_SOCKET_CLOSE_H
#define BULLET_TCP_SOCKET_CLOSE_H

#include "ns3/ptr.h"

namespace ns3
{

class Socket;

/**
 * \ingroup bullet
 * Reads and drops whatever \p socket holds (a closed connection's late data); usable as a
 * socket's receive callback.
 */
void TcpDiscardReceived(Ptr<Socket> socket);

/**
 * \ingroup bullet
 * \brief Closes a TCP socket the way an exiting process's socket closes, safely on ns-3 3.37.
 *
 * Clears the socket's send, close and connect callbacks (nothing reaches its owner again). A
 * socket still \p connecting is closed at once. Otherwise what still arrives is read and
 * dropped, as a kernel does for a process that exited, so the peer's window never closes: on
 * ns-3 3.37 a sender held at a zero window while it recovers from a loss sends a 0-byte
 * segment and crashes. Reading first also spares the peer a RST (Close() resets when it finds
 * unread bytes). Close() sends the FIN at once, or after the data not yet sent (ShutdownSend()
 * would never send it while data is unacknowledged). The stack frees the socket when the
 * close completes.
 */
void TcpCloseGracefully(Ptr<Socket> socket, bool connecting);

} // namespace ns3

#endif // BULLET_TCP_SOCKET_CLOSE_H
