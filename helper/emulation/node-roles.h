/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_NODE_ROLES_H
#define BULLET_NODE_ROLES_H

#include "ns3/application-container.h"
#include "ns3/block-manifest.h"
#include "ns3/ipv4-address.h"
#include "ns3/node.h"
#include "ns3/system-registry.h"

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief What a node on a real host (bullet-node) is told on its command line: nothing it
 * learns about other nodes comes from anywhere but this and its sockets.
 */
struct NodeRoleOptions
{
    Ipv4Address address;       ///< this node's address
    Ipv4Address bootstrap;     ///< the source's address: the tree's joins go there
    uint32_t index{0};         ///< which host this is: its block of random streams
    double rateKbps{600};      ///< streaming: the stream's rate (the source's)
    uint32_t packetSize{1000}; ///< streaming: bytes per stream packet
    double warmup{0};          ///< streaming: measurement window starts here, s
    std::string manifest;      ///< files: the manifest, written by the source, read by receivers
    std::string file;          ///< files, source: a real file to distribute ("" generate)
    uint64_t size{2000000};    ///< files, source: bytes of a generated file
    uint64_t seed{1};          ///< files, source: seed of a generated file
    uint32_t blockSize{16384}; ///< files, source
    /// BitTorrent: the .torrent, written by the seeder, read by peers (as users get one)
    std::string torrent;
    /// BitTorrent seeder: the tracker its .torrent names (0.0.0.0: itself, running ours)
    Ipv4Address tracker{Ipv4Address::GetAny()};
    uint16_t trackerPort{6969}; ///< BitTorrent seeder: the tracker's port in the .torrent
};

/**
 * \ingroup bullet
 * \brief The tracker of an announce URL a bullet-node can reach without a resolver:
 * "http://A.B.C.D[:PORT]/..." (port 80 if absent).
 * \throws std::invalid_argument naming the URL if it is not one (another scheme, a host name)
 */
std::pair<Ipv4Address, uint16_t> ParseAnnounceUrl(const std::string& url);

/**
 * \ingroup bullet
 * \brief One protocol application running as one node on a real host, in one role (a
 * streaming source, a file receiver, ...): installs it and reports what it did.
 */
class NodeRole
{
  public:
    virtual ~NodeRole() = default;
    /**
     * Installs the application on \p node.
     * \throws std::invalid_argument or std::runtime_error with the reason (e.g. a missing or
     * corrupt manifest)
     */
    virtual void Install(Ptr<Node> node, const NodeRoleOptions& options) = 0;
    /**
     * Only the role's out-of-band step, without a node: what a file source publishes (its
     * manifest or .torrent) and its file, for WriteOutput() (e.g. for a real client to seed).
     * \throws std::invalid_argument for roles without one (the default); as Install() otherwise
     */
    virtual void Publish(const NodeRoleOptions& options);
    /// The application installed.
    virtual Ptr<Application> GetApplication() const = 0;
    /// True once the role's goal is reached (a receiver holds the whole file); a role without
    /// one (a source, a stream receiver) runs until stopped and returns false.
    virtual bool Done() const = 0;
    /// The per-node results (the keys of the simulation's per-node records where they exist).
    virtual nlohmann::json Results() const = 0;
    /**
     * Whether the run met the role's goal; \p why gets the reason if not.
     */
    virtual bool Succeeded(std::string& why) const = 0;
    /// Writes what the node holds (a received file) to \p path; false if it has nothing (the
    /// default, for roles that never hold a file).
    /// \throws std::runtime_error if writing fails
    virtual bool WriteOutput(const std::string& path) const;
};

/**
 * \ingroup bullet
 * \brief A row of bullet-node's role table: a system of the SystemRegistry in one role.
 * Adding a protocol to bullet-node is adding a row (and, for a new kind of system, a
 * NodeRole subclass).
 */
struct NodeRoleSpec
{
    std::string name;   ///< as in --role=, e.g. "bullet-prime-receiver"
    std::string system; ///< the SystemRegistry name, e.g. "bullet-prime"
    SystemSpec::Kind kind{SystemSpec::STREAMING};
    bool source{false};      ///< the data's origin and the tree's bootstrap
    std::string description; ///< one line for --PrintHelp
    /// Makes the role's NodeRole.
    std::function<std::unique_ptr<NodeRole>(const NodeRoleSpec&)> make;
};

/// The roles bullet-node can run.
const std::vector<NodeRoleSpec>& NodeRoles();

/// \throws std::invalid_argument listing the known roles if \p name is not one
const NodeRoleSpec& FindNodeRole(const std::string& name);

/// "name: description" lines of every role.
std::string DescribeNodeRoles();

/**
 * \ingroup bullet
 * \brief Writes a file's manifest (BlockManifest wire format) to \p path, as the source
 * publishes it to receivers out of band (as a .torrent reaches BitTorrent's users).
 * \throws std::runtime_error if the file cannot be written
 */
void WriteManifestFile(const BlockManifest& manifest, const std::string& path);

/**
 * \ingroup bullet
 * \brief Reads a manifest written by WriteManifestFile.
 * \throws std::runtime_error naming the path and the reason for a missing, truncated, corrupt
 * or oversized file
 */
BlockManifest ReadManifestFile(const std::string& path);

} // namespace ns3

#endif // BULLET_NODE_ROLES_H
