/*
 * SPDX-License-Identifier: GPL-2.0-only
 */
#ifndef BULLET_TRACKER_PROTOCOL_H
#define BULLET_TRACKER_PROTOCOL_H

#include "ns3/ipv4-address.h"
#include "ns3/peer-wire.h"
#include "ns3/sha1.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

namespace ns3
{

/**
 * \ingroup bullet
 * \brief Percent-encodes bytes for a URL query (RFC 3986): the unreserved characters
 * (letters, digits, '-', '.', '_', '~') stay, every other byte becomes %XX (upper-case hex).
 * \param bytes any bytes
 * \return the encoded text
 */
std::string PercentEncode(const std::string& bytes);

/**
 * \ingroup bullet
 * \brief Decodes %XX escapes (either case); other characters, '+' included, stand for
 * themselves (RFC 3986).
 * \param text the encoded text
 * \return the bytes
 * \throws std::runtime_error on a '%' not followed by two hexadecimal digits
 */
std::string PercentDecode(const std::string& text);

/**
 * \ingroup bullet
 * \brief A peer's announce to the tracker (BEP 3 "Trackers", compact peers per BEP 23): the
 * HTTP GET request and its query parameters.
 */
struct AnnounceRequest
{
    /// The "event" parameter.
    enum Event
    {
        NONE,     //!< a regular re-announce (no event parameter)
        STARTED,  //!< the first announce of a download
        STOPPED,  //!< the peer leaves
        COMPLETED //!< the download finished (not sent when starting as a seed)
    };

    Sha1Digest infoHash{};  //!< the torrent's info hash
    PeerId peerId{};        //!< the announcing peer's id
    uint16_t port{6881};    //!< the port the peer listens on
    uint64_t uploaded{0};   //!< bytes uploaded since the "started" event
    uint64_t downloaded{0}; //!< bytes downloaded since the "started" event
    uint64_t left{0};       //!< bytes the peer still lacks (0: a seed)
    Event event{NONE};      //!< the event, if any
    uint32_t numwant{50};   //!< how many peers the peer would like
    bool compact{true};     //!< the peer accepts the compact peer list (BEP 23)

    /**
     * A complete HTTP/1.0 GET request: "GET <path>?info_hash=..&peer_id=..&port=..
     * &uploaded=..&downloaded=..&left=..&compact=1&numwant=50[&event=started] HTTP/1.0\r\n
     * Host: <hostPort>\r\n\r\n", binary fields percent-encoded (PercentEncode()).
     * \param hostPort the tracker's "host:port", for the Host header
     * \param path the announce path from the announce URL (may hold a query of its own, which
     * the parameters then follow with '&')
     * \return the request's bytes
     */
    std::string ToHttp(const std::string& hostPort, const std::string& path = "/announce") const;

    /**
     * Parses the request line's target (path and query). Required: info_hash and peer_id
     * (decoding to 20 bytes each), port (1..65535), uploaded, downloaded and left (decimal).
     * Optional: event (started, stopped, completed, or empty), numwant (decimal, default 50),
     * compact ("0" or "1"; absent: false, the peer did not ask for compact peers). Unknown
     * parameters (key, ip, trackerid, ...) are ignored; a known one given twice is an error.
     * \param target the path and query, e.g. GetTarget() of an HttpMessageReader
     * \return the request
     * \throws std::runtime_error naming the bad or missing parameter
     */
    static AnnounceRequest FromTarget(const std::string& target);

    /// Same fields. \param other the request to compare with \return true if equal
    bool operator==(const AnnounceRequest& other) const;
};

/**
 * \ingroup bullet
 * \brief A scrape (BEP 48): "GET /scrape?info_hash=..[&info_hash=..]", the swarms' counts
 * without joining them (real clients such as transmission ask it beside their announces).
 */
struct ScrapeRequest
{
    std::vector<Sha1Digest> infoHashes; //!< the torrents asked about (empty: every one)

    /**
     * Parses the request line's target: every info_hash parameter (each decoding to 20
     * bytes); other parameters are ignored.
     * \param target the path and query
     * \return the request
     * \throws std::runtime_error naming a bad info_hash
     */
    static ScrapeRequest FromTarget(const std::string& target);
};

/**
 * \ingroup bullet
 * \brief The tracker's reply to a scrape (BEP 48): d5:files d <info hash> d complete,
 * downloaded, incomplete e e e.
 */
struct ScrapeResponse
{
    /// One torrent's counts.
    struct File
    {
        uint32_t complete{0};   //!< seeds
        uint32_t downloaded{0}; //!< "completed" events the tracker has seen
        uint32_t incomplete{0}; //!< leechers
    };

    std::map<Sha1Digest, File> files; //!< by info hash

    /// \return the bencoded reply's body
    std::string Encode() const;
};

/**
 * \ingroup bullet
 * \brief A peer in a tracker's reply: an IPv4 address and a port.
 */
struct TrackerPeer
{
    Ipv4Address address; //!< the peer's address
    uint16_t port{0};    //!< the port it listens on

    /// \param other the peer to compare with \return true if same address and port
    bool operator==(const TrackerPeer& other) const;
};

/// Prints "a.b.c.d:port". \param os the stream \param peer the peer \return the stream
std::ostream& operator<<(std::ostream& os, const TrackerPeer& peer);

/**
 * \ingroup bullet
 * \brief The tracker's reply to an announce (BEP 3, BEP 23): a bencoded dictionary.
 */
struct AnnounceResponse
{
    std::string failure;            //!< non-empty: the "failure reason" (then nothing else counts)
    uint32_t interval{1800};        //!< seconds the peer should wait before re-announcing
    uint32_t complete{0};           //!< seeds in the swarm
    uint32_t incomplete{0};         //!< leechers in the swarm
    std::vector<TrackerPeer> peers; //!< peers for the announcing peer to contact

    /**
     * The bencoded reply: with a failure, only "failure reason"; otherwise "complete",
     * "incomplete", "interval" and "peers".
     * \param compact peers as one string of 6 bytes each (address and port in network order,
     * BEP 23), else as a list of dictionaries {ip, port} (BEP 3)
     * \return the reply's body
     */
    std::string Encode(bool compact = true) const;

    /**
     * Parses a tracker's reply: "failure reason", or "interval" and "peers" (a compact string
     * or a list of dictionaries {ip, port, [peer id]}; "complete" and "incomplete" optional).
     * Dictionary peers whose ip is a host name or IPv6 are skipped (this model is IPv4);
     * unknown keys ("min interval", "peers6", "warning message", ...) are ignored. An empty
     * failure reason reads as "(empty failure reason)", so that failure is never empty then.
     * \param body the reply's body
     * \return the reply
     * \throws std::runtime_error (a BencodeError or a message naming the bad field)
     */
    static AnnounceResponse Parse(const std::string& body);
};

/**
 * \ingroup bullet
 * \brief Incremental reader of one HTTP/1.x message (RFC 9112) off a TCP stream: a request
 * (the tracker's side) or a response (the peer's side).
 *
 * The message must fit in maxBytes (headers and body). The body's length comes from
 * Content-Length; a response without one ends when the connection closes (HTTP/1.0), and
 * responses with status 1xx, 204 or 304 and requests without one have no body.
 * Transfer-Encoding (chunked) is not supported and rejected. Lines may end with CRLF or a
 * bare LF. Bytes after the end of the message are ignored.
 */
class HttpMessageReader
{
  public:
    /// Which side's message is read.
    enum Kind
    {
        REQUEST, //!< "METHOD target HTTP/1.x"
        RESPONSE //!< "HTTP/1.x status reason"
    };

    /**
     * \param kind what is read
     * \param maxBytes the largest message accepted (headers and body)
     */
    explicit HttpMessageReader(Kind kind, size_t maxBytes = 64 * 1024);

    /**
     * Appends bytes received.
     * \param data the bytes
     * \param len how many
     * \return false once the message is malformed or too big (GetError() says why); further
     * appends are then ignored
     */
    bool Append(const uint8_t* data, size_t len);
    /**
     * The connection closed: completes a response without Content-Length, and makes any
     * message still incomplete an error (truncated).
     */
    void ConnectionClosed();

    /// \return true once the whole message is in
    bool IsComplete() const;
    /// \return true once the message is known to be malformed, too big or truncated
    bool HasError() const;
    /// \return why, if HasError()
    const std::string& GetError() const;

    /// \return the request's method, once the header section is in ("" before)
    std::string GetMethod() const;
    /// \return the request's target (path and query), once the header section is in
    std::string GetTarget() const;
    /// \return the response's status code, once the header section is in (0 before)
    int GetStatus() const;
    /// \param name a header's name, any case \return its value (the first if repeated), or ""
    std::string GetHeader(const std::string& name) const;
    /// \return the body received so far (all of it once IsComplete())
    const std::string& GetBody() const;

  private:
    /// Records the error \p why (the first one counts).
    void Fail(const std::string& why);
    /// Parses the header section m_buf[0, end). \param end its length \return false on error
    bool ParseHead(size_t end);
    /// Adds body bytes. \param data the bytes \param len how many
    void AddBody(const char* data, size_t len);

    Kind m_kind;                                                //!< what is read
    size_t m_max;                                               //!< largest message accepted
    std::string m_buf;                                          //!< header section so far
    size_t m_scanFrom{0};                                       //!< where to look for its end next
    bool m_headersDone{false};                                  //!< header section parsed
    size_t m_headerBytes{0};                                    //!< its length
    bool m_hasLength{false};                                    //!< Content-Length present
    uint64_t m_contentLength{0};                                //!< its value
    bool m_untilClose{false};                                   //!< body ends with the connection
    bool m_complete{false};                                     //!< whole message in
    std::string m_error;                                        //!< why not, if malformed
    std::string m_method;                                       //!< request method
    std::string m_target;                                       //!< request target
    int m_status{0};                                            //!< response status
    std::vector<std::pair<std::string, std::string>> m_headers; //!< (lower-case name, value)
    std::string m_body;                                         //!< body bytes
};

/**
 * \ingroup bullet
 * \brief A complete HTTP/1.0 response with Content-Type text/plain and Content-Length.
 * \param status the status code (e.g. 200)
 * \param reason the reason phrase (e.g. "OK")
 * \param body the body
 * \return the response's bytes
 */
std::string MakeHttpResponse(int status, const std::string& reason, const std::string& body);

} // namespace ns3

#endif // BULLET_TRACKER_PROTOCOL_H
