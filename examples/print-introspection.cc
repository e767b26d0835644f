/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * print-introspection: walks ns-3's TypeId registry and writes the module's attributes and
 * trace sources as reStructuredText tables, for the Sphinx reference (doc/bullet.rst).
 * `./ns3 docs` runs it into doc/generated/ before sphinx-build.
 *
 *   ./ns3 run "print-introspection --attributes=doc/generated/attributes.rst
 *              --traces=doc/generated/traces.rst"
 *
 * The module's types are selected by their group name: every TypeId this module registers
 * calls SetGroupName("Bullet"), and no ns-3 library uses that group. A run that finds none
 * fails, so that the documentation never silently comes out empty.
 */
#include "ns3/attribute.h"
#include "ns3/bullet-application.h"
#include "ns3/command-line.h"
#include "ns3/data-rate.h"
#include "ns3/nstime.h"
#include "ns3/trace-source-accessor.h"
#include "ns3/type-id.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace ns3;

namespace
{

/**
 * Escapes text so that reStructuredText reads it literally: inline markup characters get a
 * backslash, line breaks become spaces, and a leading character that would start a list or
 * a comment is escaped too.
 */
std::string
EscapeRst(const std::string& text)
{
    std::string out;
    for (char c : text)
    {
        if (c == '\n' || c == '\r' || c == '\t')
        {
            out += ' ';
        }
        else if (std::string("\\*`|_[]<>:").find(c) != std::string::npos)
        {
            out += '\\';
            out += c;
        }
        else
        {
            out += c;
        }
    }
    // Trim, then protect a first character that rst would read as block markup.
    auto first = out.find_first_not_of(' ');
    auto last = out.find_last_not_of(' ');
    if (first == std::string::npos)
    {
        return "";
    }
    out = out.substr(first, last - first + 1);
    if (std::string("-+#.=").find(out[0]) != std::string::npos
        || (out.size() > 1 && std::isdigit(static_cast<unsigned char>(out[0]))))
    {
        out = "\\" + out;
    }
    return out;
}

/// A table cell holding code: an inline literal when rst allows one, else escaped text.
std::string
Literal(const std::string& text)
{
    std::string flat = text;
    std::replace(flat.begin(), flat.end(), '\n', ' ');
    auto first = flat.find_first_not_of(' ');
    if (first == std::string::npos)
    {
        return "(empty)";
    }
    flat = flat.substr(first, flat.find_last_not_of(' ') - first + 1);
    if (flat.find('`') != std::string::npos || flat.find('\\') != std::string::npos)
    {
        return EscapeRst(flat);
    }
    return "``" + flat + "``";
}

/// The rst label of a type's table in one of the generated files ("attr" or "trace").
std::string
Label(const std::string& kind, const std::string& typeName)
{
    std::string label = kind + "-";
    for (char c : typeName)
    {
        label += std::isalnum(static_cast<unsigned char>(c)) ? c : '-';
    }
    return label;
}

/// A duration in nanoseconds in the largest unit that shows it exactly ("20s", "250ms").
std::string
FormatNs(double ns)
{
    const std::pair<double, const char*> units[] = {{1e9, "s"}, {1e6, "ms"}, {1e3, "us"}};
    for (const auto& [scale, unit] : units)
    {
        double value = ns / scale;
        if (std::abs(value) >= 1 && std::abs(value - std::round(value)) < 1e-9 * std::abs(value))
        {
            std::ostringstream os;
            os << std::llround(value) << unit;
            return os.str();
        }
    }
    std::ostringstream os;
    os << ns << "ns";
    return os.str();
}

/// A bit rate in the largest unit that shows it exactly ("600kbps").
std::string
FormatBps(uint64_t bps)
{
    if (bps != 0 && bps % 1000000 == 0)
    {
        return std::to_string(bps / 1000000) + "Mbps";
    }
    if (bps != 0 && bps % 1000 == 0)
    {
        return std::to_string(bps / 1000) + "kbps";
    }
    return std::to_string(bps) + "bps";
}

/// Whether \p bound is the extreme of its type's range (no real bound).
bool
IsUnbounded(const std::string& type, const std::string& bound, bool lower)
{
    static const std::set<std::string> extremes = {"4294967295",
                                                   "65535",
                                                   "255",
                                                   "18446744073709551615",
                                                   "2147483647",
                                                   "-2147483648",
                                                   "9223372036854775807",
                                                   "-9223372036854775808",
                                                   "32767",
                                                   "-32768",
                                                   "127",
                                                   "-128",
                                                   "1.79769e+308",
                                                   "-1.79769e+308",
                                                   "+9.22337e+18ns",
                                                   "-9.22337e+18ns"};
    if (lower && bound == "0" && type.rfind("uint", 0) == 0)
    {
        return true;
    }
    return extremes.count(bound) > 0;
}

/// A checker's "T min:max" made readable: "uint32_t", "Time, at least 10ms",
/// "double in [0, 1]".
std::string
ReadableRange(const std::string& info)
{
    auto space = info.find(' ');
    auto colon = info.rfind(':');
    if (space == std::string::npos || colon == std::string::npos || colon < space
        || info.find("::") != std::string::npos)
    {
        return info;
    }
    std::string type = info.substr(0, space);
    std::string low = info.substr(space + 1, colon - space - 1);
    std::string high = info.substr(colon + 1);
    bool noLow = IsUnbounded(type, low, true);
    bool noHigh = IsUnbounded(type, high, false);
    if (type == "Time")
    {
        noLow = noLow || low == "+0ns";
        auto asTime = [](const std::string& bound) {
            std::string number = bound.substr(0, bound.size() - 2); // drop "ns"
            return FormatNs(std::stod(number));
        };
        if (low.size() > 2 && !noLow)
        {
            low = asTime(low);
        }
        if (high.size() > 2 && !noHigh)
        {
            high = asTime(high);
        }
    }
    if (noLow && noHigh)
    {
        return type;
    }
    if (noHigh)
    {
        return type + ", at least " + low;
    }
    if (noLow)
    {
        return type + ", at most " + high;
    }
    return type + " in [" + low + ", " + high + "]";
}

/// The type of an attribute's value, as precise as its checker knows it.
std::string
ValueType(const TypeId::AttributeInformation& info)
{
    if (info.checker->HasUnderlyingTypeInformation())
    {
        return ReadableRange(info.checker->GetUnderlyingTypeInformation());
    }
    return info.checker->GetValueTypeName();
}

/// An attribute's default, as the configuration system would print it, with times and
/// rates in readable units.
std::string
DefaultValue(const TypeId::AttributeInformation& info)
{
    if (!info.initialValue)
    {
        return "";
    }
    if (auto time = DynamicCast<const TimeValue>(info.initialValue))
    {
        int64_t ns = time->Get().GetNanoSeconds();
        return ns == 0 ? "0s" : FormatNs(static_cast<double>(ns));
    }
    if (auto rate = DynamicCast<const DataRateValue>(info.initialValue))
    {
        return FormatBps(rate->Get().GetBitRate());
    }
    return info.initialValue->SerializeToString(info.checker);
}

/// " (deprecated: ...)" or " (obsolete: ...)" for a member that is not supported any more.
std::string
SupportNote(TypeId::SupportLevel level, const std::string& message)
{
    switch (level)
    {
        case TypeId::DEPRECATED:
            return " (deprecated: " + EscapeRst(message) + ")";
        case TypeId::OBSOLETE:
            return " (obsolete: " + EscapeRst(message) + ")";
        default:
            return "";
    }
}

/// The parent of a type as rst: a reference when the parent is one of the module's types.
std::string
ParentRef(TypeId tid, const std::string& group, const std::string& kind)
{
    if (!tid.HasParent() || tid.GetParent() == tid)
    {
        return "none";
    }
    TypeId parent = tid.GetParent();
    if (parent.GetGroupName() == group && parent.GetAttributeN() > 0)
    {
        return ":ref:`" + parent.GetName() + " <" + Label(kind, parent.GetName()) + ">`";
    }
    return "``" + parent.GetName() + "``";
}

/// The module's types, sorted by name.
std::vector<TypeId>
ModuleTypes(const std::string& group)
{
    std::vector<TypeId> types;
    for (uint16_t i = 0; i < TypeId::GetRegisteredN(); ++i)
    {
        TypeId tid = TypeId::GetRegistered(i);
        if (tid.GetGroupName() == group)
        {
            types.push_back(tid);
        }
    }
    std::sort(types.begin(), types.end(), [](TypeId a, TypeId b) {
        return a.GetName() < b.GetName();
    });
    return types;
}

/// Writes the attributes file: a summary of all types, then one table per type with any.
uint32_t
WriteAttributes(std::ostream& os, const std::vector<TypeId>& types, const std::string& group)
{
    os << ".. Generated by examples/print-introspection.cc (./ns3 docs); do not edit.\n\n";
    os << "The module registers " << types.size() << " types (TypeId group ``" << group
       << "``). Each table lists the attributes a type adds to its parent's; a type also "
          "has its parents' attributes. Set them with ``Config::SetDefault``, an object "
          "factory or ``--ns3::Type::Attribute=value`` on any program's command line.\n\n";
    uint32_t count = 0;
    for (TypeId tid : types)
    {
        if (tid.GetAttributeN() == 0)
        {
            continue;
        }
        os << ".. _" << Label("attr", tid.GetName()) << ":\n\n";
        os << ".. list-table:: " << tid.GetName() << "\n";
        os << "   :header-rows: 1\n";
        os << "   :widths: 24 19 14 43\n\n";
        os << "   * - Attribute\n     - Type\n     - Default\n     - Help\n";
        for (std::size_t i = 0; i < tid.GetAttributeN(); ++i)
        {
            TypeId::AttributeInformation info = tid.GetAttribute(i);
            std::string access;
            if (!(info.flags & TypeId::ATTR_SET) && !(info.flags & TypeId::ATTR_CONSTRUCT))
            {
                access = " (read-only)";
            }
            os << "   * - ``" << info.name << "``\n";
            os << "     - " << Literal(ValueType(info)) << "\n";
            os << "     - " << Literal(DefaultValue(info)) << "\n";
            std::string help = EscapeRst(info.help);
            os << "     - " << (help.empty() ? "(no help)" : help) << access
               << SupportNote(info.supportLevel, info.supportMsg) << "\n";
            ++count;
        }
        os << "\n*Parent:* " << ParentRef(tid, group, "attr") << "\n\n";
    }
    os << "Types without attributes of their own: ";
    bool first = true;
    for (TypeId tid : types)
    {
        if (tid.GetAttributeN() == 0)
        {
            os << (first ? "" : ", ") << "``" << tid.GetName() << "``";
            first = false;
        }
    }
    os << (first ? "none." : ".") << "\n";
    return count;
}

/// Writes the trace sources file: one table per type with any.
uint32_t
WriteTraces(std::ostream& os, const std::vector<TypeId>& types)
{
    os << ".. Generated by examples/print-introspection.cc (./ns3 docs); do not edit.\n\n";
    os << "Connect a sink with ``Config::Connect`` (a path such as "
          "``/NodeList/*/ApplicationList/*/$ns3::StreamingApplication/DataRx``) or "
          "``TraceConnectWithoutContext`` on the object; the callback column names the "
          "signature the sink must have.\n\n";
    uint32_t count = 0;
    for (TypeId tid : types)
    {
        if (tid.GetTraceSourceN() == 0)
        {
            continue;
        }
        os << ".. _" << Label("trace", tid.GetName()) << ":\n\n";
        os << ".. list-table:: " << tid.GetName() << "\n";
        os << "   :header-rows: 1\n";
        os << "   :widths: 22 48 30\n\n";
        os << "   * - Trace source\n     - Help\n     - Callback\n";
        for (std::size_t i = 0; i < tid.GetTraceSourceN(); ++i)
        {
            TypeId::TraceSourceInformation info = tid.GetTraceSource(i);
            std::string help = EscapeRst(info.help);
            os << "   * - ``" << info.name << "``\n";
            os << "     - " << (help.empty() ? "(no help)" : help)
               << SupportNote(info.supportLevel, info.supportMsg) << "\n";
            os << "     - " << Literal(info.callback) << "\n";
            ++count;
        }
        os << "\n";
    }
    if (count == 0)
    {
        os << "The module's types have no trace sources.\n";
    }
    return count;
}

/// Writes with `write` into `path`, or to standard output when `path` is empty.
template<typename F>
uint32_t
WriteTo(const std::string& path, F write)
{
    if (path.empty())
    {
        return write(std::cout);
    }
    std::ofstream file(path);
    if (!file)
    {
        std::cerr << "print-introspection: cannot write " << path << "\n";
        std::exit(1);
    }
    uint32_t n = write(file);
    file.close();
    if (!file)
    {
        std::cerr << "print-introspection: error writing " << path << "\n";
        std::exit(1);
    }
    return n;
}

} // namespace

int
main(int argc, char* argv[])
{
    std::string attributes;
    std::string traces;
    std::string group = "Bullet";
    CommandLine cmd(__FILE__);
    cmd.Usage("Writes the module's attributes and trace sources as reStructuredText tables.");
    cmd.AddValue("attributes", "file for the attribute tables (default: standard output)",
                 attributes);
    cmd.AddValue("traces", "file for the trace source tables (default: standard output)", traces);
    cmd.AddValue("group", "TypeId group name of the types to document", group);
    cmd.Parse(argc, argv);

    // A use of the module's library, so that the linker keeps it and its types register.
    BulletApplication::GetTypeId();

    std::vector<TypeId> types = ModuleTypes(group);
    if (types.empty())
    {
        std::cerr << "print-introspection: no registered TypeId has group '" << group << "'\n";
        return 1;
    }
    uint32_t nAttributes = WriteTo(attributes, [&](std::ostream& os) {
        return WriteAttributes(os, types, group);
    });
    uint32_t nTraces = WriteTo(traces, [&](std::ostream& os) {
        return WriteTraces(os, types);
    });
    std::cerr << "print-introspection: " << types.size() << " types, " << nAttributes
              << " attributes, " << nTraces << " trace sources\n";
    return 0;
}
