/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_GROUP_H
#define BULLET_GROUP_H

/**
 * \defgroup bullet Bullet and Bullet'
 *
 * Bullet (Kostić et al., SOSP 2003) and Bullet' (ACM TOCS 2008), and the systems the papers
 * measure them against, as ns-3 applications that talk only through sockets, so the same
 * classes run in simulation over INET topologies and in real time on real hosts.
 *
 * The layers, each using only the ones before it:
 * - transport (model/transport): wire-format base (CheckedHeader), TFRC, TCP block transport,
 *   DataTransport and ControlChannel;
 * - digests (model/digests): Bloom filters, working sets, summary tickets, block bitmaps;
 * - overlay (model/overlay): trees (StaticTree, RandomTree) and RanSub;
 * - protocols (model/protocols): OverlayApplication, the base of every protocol, then
 *   StreamingApplication (tree streaming, Bullet, push gossip, anti-entropy) and
 *   FileDistributionApplication (Bullet', BitTorrent, SplitStream);
 * - helpers (helper/): OverlayHelper, topologies, experiments (scenarios, metrics, the
 *   system registry), emulation;
 * - examples/ and emulation/: the programs.
 *
 * doc/adding-a-protocol.md walks through the layers with one protocol.
 */

#endif // BULLET_GROUP_H
