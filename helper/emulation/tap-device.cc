/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#include "tap-device.h"

#include "ns3/log.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <stdexcept>
#include <sys/ioctl.h>
#include <unistd.h>

namespace ns3
{

NS_LOG_COMPONENT_DEFINE("TapDevice");

namespace
{

constexpr const char* kTunPath = "/dev/net/tun";

std::string
ErrnoText(int err)
{
    return std::string(std::strerror(err)) + " (errno " + std::to_string(err) + ")";
}

} // namespace

std::string
EmulationPreflight()
{
    if (geteuid() != 0)
    {
        return "emulation needs root (CAP_NET_ADMIN) to open TAP devices and set up network "
               "namespaces; run as root, e.g. with sudo";
    }
    int fd = open(kTunPath, O_RDWR);
    if (fd < 0)
    {
        int err = errno;
        return std::string("cannot open ") + kTunPath + ": " + ErrnoText(err)
               + (err == ENOENT ? "; load the tun module (modprobe tun) or, in a container, pass "
                                  "the device through (docker run --device /dev/net/tun "
                                  "--cap-add NET_ADMIN)"
                                : "");
    }
    close(fd);
    return "";
}

bool
NetworkInterfaceExists(const std::string& name)
{
    return if_nametoindex(name.c_str()) != 0;
}

int
OpenTap(const std::string& name, bool mustExist)
{
    if (name.empty() || name.size() >= IFNAMSIZ)
    {
        throw std::runtime_error("TAP name '" + name + "' must have 1 to "
                                 + std::to_string(IFNAMSIZ - 1) + " characters");
    }
    if (mustExist && !NetworkInterfaceExists(name))
    {
        throw std::runtime_error("no TAP device '" + name
                                 + "' in this network namespace; create the hosts first "
                                   "(emulation/hosts-up.sh) or check the name prefix");
    }
    int fd = open(kTunPath, O_RDWR | O_CLOEXEC);
    if (fd < 0)
    {
        throw std::runtime_error(std::string("cannot open ") + kTunPath + ": " + ErrnoText(errno));
    }
    struct ifreq ifr;
    std::memset(&ifr, 0, sizeof(ifr));
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    std::strncpy(ifr.ifr_name, name.c_str(), IFNAMSIZ - 1);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0)
    {
        int err = errno;
        close(fd);
        std::string hint;
        if (err == EPERM)
        {
            hint = "; attaching needs root (CAP_NET_ADMIN)";
        }
        else if (err == EBUSY)
        {
            hint = "; another process (an emulator still running?) holds it";
        }
        else if (err == EINVAL)
        {
            hint = "; is '" + name + "' a TAP (not a TUN or another kind of interface)?";
        }
        throw std::runtime_error("cannot attach to TAP '" + name + "': " + ErrnoText(err) + hint);
    }
    NS_LOG_INFO("opened TAP " << ifr.ifr_name << " as fd " << fd);
    return fd;
}

} // namespace ns3
