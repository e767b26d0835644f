/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TAP_DEVICE_H
#define BULLET_TAP_DEVICE_H

#include <string>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Checks what attaching real hosts needs: root (CAP_NET_ADMIN) and a usable
 * /dev/net/tun.
 * \returns an empty string when both are there, else a message saying what is missing and
 * how to get it
 */
std::string EmulationPreflight();

/// True when a network interface of this name exists in the caller's network namespace.
bool NetworkInterfaceExists(const std::string& name);

/**
 * \ingroup bullet
 * \brief Opens the TAP device \p name (IFF_TAP | IFF_NO_PI: plain Ethernet frames) and
 * returns its file descriptor, ready for FdNetDevice::SetFileDescriptor.
 *
 * Opening /dev/net/tun in-process replaces the setuid helper binaries of TapBridge and
 * TapFdNetDeviceHelper, whose paths Debian's ns-3 build gets wrong (doc/emulation.md).
 *
 * \param name interface name (at most 15 characters)
 * \param mustExist true: the TAP must already exist (made persistent by emulation/hosts-up.sh
 *        and bridged to a host); false: a missing one is created and vanishes on close
 * \throws std::runtime_error saying what failed and what to do
 */
int OpenTap(const std::string& name, bool mustExist = true);

} // namespace ns3

#endif // BULLET_TAP_DEVICE_H
