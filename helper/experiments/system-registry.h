/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_SYSTEM_REGISTRY_H
#define BULLET_SYSTEM_REGISTRY_H

#include "ns3/block-manifest.h"
#include "ns3/file-content.h"
#include "ns3/overlay-helper.h"

#include <functional>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief One system an experiment program can run: a protocol, the tree it runs over and how
 * its installation is configured.
 */
struct SystemSpec
{
    /// What a system distributes; a program runs the systems of its kind.
    enum Kind
    {
        STREAMING,
        FILE_DISTRIBUTION,
    };

    std::string name;        ///< as in --systems=, e.g. "bullet"
    Kind kind{STREAMING};    ///< the programs that run it
    std::string description; ///< one line for --PrintHelp and the docs
    std::string appType;     ///< the OverlayApplication subclass, e.g. "ns3::BulletApplication"
    /// "random" or "bottleneck" (offline trees), "online" (RandomTree), "none", or "" for the
    /// program's choice (e.g. bullet-streaming's --tree)
    std::string tree;
    /// Extra configuration of the installation (attributes, membership); may be empty.
    std::function<void(OverlayHelper&)> configure;
    /// Sets up one application of a file system before it starts.
    using FileSetup = std::function<void(Ptr<Application> app)>;
    /**
     * For file systems whose nodes get more of the file out of band than the manifest every
     * file system gets (BitTorrent's metainfo, as a .torrent reaches its users): called once
     * per run with the file and its manifest, returns the set-up of each application; may
     * be empty. Throws std::invalid_argument if the system cannot carry this file (e.g. a
     * block size its protocol does not allow).
     */
    std::function<FileSetup(const FileContent& content, const BlockManifest& manifest)> prepareFile;
};

/**
 * \ingroup bullet
 * \brief The systems the experiment programs know, by name: a new protocol becomes runnable
 * by `bullet-streaming --systems=` (or the file-distribution program) with one Add().
 *
 * Get() holds the module's built-in systems (streaming: tree streaming, Bullet, push gossip,
 * streaming with anti-entropy; files: Bullet', Bullet); programs and users may add more
 * before parsing their options.
 */
class SystemRegistry
{
  public:
    /// The registry with the module's systems.
    static SystemRegistry& Get();

    /// Adds (or replaces) a system. Names are per kind: a streaming and a file system may
    /// share one (e.g. `bullet`).
    void Add(const SystemSpec& spec);
    /// \throws std::invalid_argument naming the known systems of \p kind if \p name is not one
    const SystemSpec& Find(const std::string& name, SystemSpec::Kind kind) const;
    /// The names of the systems of \p kind, sorted.
    std::vector<std::string> Names(SystemSpec::Kind kind) const;
    /// "name: description" lines of the systems of \p kind, for a --systems help text.
    std::string Describe(SystemSpec::Kind kind) const;
    /**
     * The systems of a comma-separated list, in order.
     * \throws std::invalid_argument for an unknown name or an empty list
     */
    std::vector<SystemSpec> Parse(const std::string& list, SystemSpec::Kind kind) const;

  private:
    SystemRegistry();
    /// By (kind, name).
    std::map<std::pair<SystemSpec::Kind, std::string>, SystemSpec> m_systems;
};

} // namespace ns3

#endif // BULLET_SYSTEM_REGISTRY_H
