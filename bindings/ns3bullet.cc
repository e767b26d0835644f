/*
 * SPDX-License-Identifier: GPL-2.0-only
 *
 * ns3bullet: Python bindings (pybind11) of the module's experiment layer: the programs'
 * options (every one, as read/write properties), running them, their results as Python
 * objects, ns-3 attribute defaults and globals, and topology specs. See bindings/README.md.
 *
 * Every run happens in a child process forked for it: ns-3's Simulator, its attribute
 * defaults, random-stream counters and the protocols' static state are process-wide, so each
 * run starts from the same state as a program does, a run gives the same results however many
 * ran before it in the Python process, and an ns-3 fatal error in a run becomes a Python
 * exception instead of ending the interpreter.
 */
#include "ns3/command-line.h"
#include "ns3/config.h"
#include "ns3/global-value.h"
#include "ns3/inet-topology.h"
#include "ns3/ransub-subsets.h"
#include "ns3/scenario-programs.h"
#include "ns3/string.h"
#include "ns3/system-registry.h"
#include "ns3/topology-spec.h"
#include "ns3/tree-builder.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <functional>
#include <iostream>
#include <map>
#include <poll.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace py = pybind11;
using json = nlohmann::json;

namespace ns3
{
namespace
{

/// \return \p j as Python objects: dicts, lists, str, int, float, bool, None.
py::object
ToPython(const json& j)
{
    switch (j.type())
    {
        case json::value_t::boolean:
            return py::bool_(j.get<bool>());
        case json::value_t::number_integer:
            return py::int_(j.get<int64_t>());
        case json::value_t::number_unsigned:
            return py::int_(j.get<uint64_t>());
        case json::value_t::number_float:
            return py::float_(j.get<double>());
        case json::value_t::string:
            return py::str(j.get_ref<const std::string&>());
        case json::value_t::array:
        {
            py::list list;
            for (const auto& e : j)
            {
                list.append(ToPython(e));
            }
            return std::move(list);
        }
        case json::value_t::object:
        {
            py::dict dict;
            for (const auto& [key, value] : j.items())
            {
                dict[py::str(key)] = ToPython(value);
            }
            return std::move(dict);
        }
        default:
            return py::none();
    }
}

/**
 * The options \p cmd has, in order, as (name, help text with the default in brackets), read
 * from its --PrintHelp: the options a program offers are exactly what its AddTo() adds.
 */
std::vector<std::pair<std::string, std::string>>
OptionsOf(CommandLine& cmd)
{
    std::ostringstream text;
    cmd.PrintHelp(text);
    std::istringstream in(text.str());
    std::vector<std::pair<std::string, std::string>> options;
    std::string line;
    bool inOptions = false;
    while (std::getline(in, line))
    {
        if (line == "Program Options:")
        {
            inOptions = true;
            continue;
        }
        if (!inOptions)
        {
            continue;
        }
        if (line.empty() || line.rfind("General Arguments", 0) == 0)
        {
            break;
        }
        const size_t colon = line.find(':');
        if (line.rfind("    --", 0) == 0 && colon != std::string::npos)
        {
            const size_t help = line.find_first_not_of(' ', colon + 1);
            options.emplace_back(line.substr(6, colon - 6),
                                 help == std::string::npos ? "" : line.substr(help));
        }
        else if (!options.empty()) // a help text of several lines
        {
            options.back().second += "\n" + line;
        }
    }
    return options;
}

/// The options of \p host's AddTo(), as OptionsOf() gives them.
template<class Host>
std::vector<std::pair<std::string, std::string>>
OptionsOfHost(const std::string& name)
{
    Host host;
    CommandLine cmd(name);
    host.AddTo(cmd);
    return OptionsOf(cmd);
}

/// A value as a command line spells it.
std::string
Text(bool v)
{
    return v ? "true" : "false";
}

std::string
Text(const std::string& v)
{
    return v;
}

std::string
Text(double v)
{
    char buffer[64];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), v);
    return std::string(buffer, end);
}

template<class T, std::enable_if_t<std::is_integral_v<T>, int> = 0>
std::string
Text(T v)
{
    return std::to_string(v);
}

/// The Python type name of a field's values, for error messages.
template<class T>
const char*
PyTypeName()
{
    if constexpr (std::is_same_v<T, bool>)
    {
        return "bool";
    }
    else if constexpr (std::is_integral_v<T>)
    {
        return "int";
    }
    else if constexpr (std::is_floating_point_v<T>)
    {
        return "float";
    }
    return "str";
}

/**
 * The options of one bound class (a scenario's Config, or a program with its config): each
 * becomes a read/write property named as on the command line, with the option's help as its
 * docstring; the table also serves to_dict(), command_line() and keyword construction.
 */
template<class Host>
class OptionTable
{
  public:
    /// One option.
    struct Field
    {
        std::function<py::object(const Host&)> get;   ///< as a Python value
        std::function<void(Host&, py::handle)> set;   ///< from a Python value
        std::function<std::string(const Host&)> text; ///< as the command line spells it
    };

    OptionTable(py::class_<Host>& cls, const std::string& program)
        : m_cls(cls)
    {
        for (const auto& [name, help] : OptionsOfHost<Host>(program))
        {
            m_help[name] = help;
            m_order.push_back(name);
        }
    }

    /**
     * Binds option \p name to the field \p ref(host) returns.
     * \tparam T the field's type
     */
    template<class T, class Ref>
    void
    Add(const std::string& name, Ref ref)
    {
        Field f;
        f.get = [ref](const Host& h) {
            return py::cast(ref(const_cast<Host&>(h)));
        };
        f.set = [ref, name](Host& h, py::handle v) {
            try
            {
                ref(h) = v.cast<T>();
            }
            catch (const py::cast_error&)
            {
                throw py::type_error("option '" + name + "' takes " + PyTypeName<T>() + ", not "
                                     + std::string(py::str(v.get_type().attr("__name__"))));
            }
        };
        f.text = [ref](const Host& h) {
            return Text(ref(const_cast<Host&>(h)));
        };
        m_fields[name] = f;
        const auto help = m_help.find(name);
        const std::string doc = help == m_help.end() ? "" : help->second;
        m_cls.def_property(
            name.c_str(),
            [ref](const Host& h) -> T {
                return ref(const_cast<Host&>(h));
            },
            [ref](Host& h, T v) {
                ref(h) = v;
            },
            doc.c_str());
    }

    /// Adds options(), to_dict(), command_line(), __init__(**options) and __repr__.
    void
    Finish(const std::string& program)
    {
        auto table = std::make_shared<OptionTable>(*this);
        m_cls.def(py::init([table](py::kwargs kwargs) {
                      Host h;
                      for (const auto& [key, value] : kwargs)
                      {
                          table->Set(h, py::str(key), value);
                      }
                      return h;
                  }),
                  "Takes any options as keywords, e.g. (clients=20, duration=60); the rest "
                  "keep their defaults.");
        m_cls.def_static(
            "options",
            [table]() {
                py::dict d;
                for (const auto& name : table->m_order)
                {
                    d[py::str(name)] = table->m_help.at(name);
                }
                return d;
            },
            "Every option, in --PrintHelp order, with its help text and [default].");
        m_cls.def(
            "to_dict",
            [table](const Host& h) {
                py::dict d;
                for (const auto& name : table->m_order)
                {
                    d[py::str(name)] = table->FieldOf(name).get(h);
                }
                return d;
            },
            "Every option's value.");
        m_cls.def(
            "set",
            [table](Host& h, py::kwargs kwargs) {
                for (const auto& [key, value] : kwargs)
                {
                    table->Set(h, py::str(key), value);
                }
            },
            "Sets options given as keywords.");
        m_cls.def(
            "command_line",
            [table, program](const Host& h) {
                return table->Line(h, program);
            },
            "The program line with the same options: the options that differ from the "
            "defaults, as `./ns3 run \"<this line>\"` takes them.");
        m_cls.def("__repr__", [table, program](const Host& h) {
            return "<" + program + " options: " + table->Line(h, program) + ">";
        });
        m_cls.def(py::pickle(
            [table](const Host& h) {
                py::dict d;
                for (const auto& name : table->m_order)
                {
                    d[py::str(name)] = table->FieldOf(name).get(h);
                }
                return d;
            },
            [table](py::dict d) {
                Host h;
                for (const auto& [key, value] : d)
                {
                    table->Set(h, py::str(key), value);
                }
                return h;
            }));
    }

    /// The options that differ from the defaults, "--name=value ...".
    std::string
    Args(const Host& h) const
    {
        Host defaults;
        std::string args;
        for (const auto& name : m_order)
        {
            const Field& f = FieldOf(name);
            const std::string value = f.text(h);
            if (value != f.text(defaults))
            {
                args += (args.empty() ? "--" : " --") + name + "=" + value;
            }
        }
        return args;
    }

  private:
    const Field&
    FieldOf(const std::string& name) const
    {
        const auto f = m_fields.find(name);
        if (f == m_fields.end())
        {
            throw std::logic_error("option '" + name + "' has no binding (bindings/ns3bullet.cc)");
        }
        return f->second;
    }

    void
    Set(Host& h, const std::string& name, py::handle value) const
    {
        if (!m_fields.count(name))
        {
            std::string known;
            for (const auto& n : m_order)
            {
                known += (known.empty() ? "" : ", ") + n;
            }
            throw py::attribute_error("no option '" + name + "'; options: " + known);
        }
        FieldOf(name).set(h, value);
    }

    std::string
    Line(const Host& h, const std::string& program) const
    {
        const std::string args = Args(h);
        return args.empty() ? program : program + " " + args;
    }

    py::class_<Host>& m_cls;
    std::map<std::string, std::string> m_help;
    std::vector<std::string> m_order;
    std::map<std::string, Field> m_fields;
};

/// Binds the DistributedOptions of \p options(host) in \p t (used only under mpirun, which
/// the bindings refuse; bound so that every program option is).
template<class Host, class Get>
void
AddDistributedOptions(OptionTable<Host>& t, Get options)
{
    using D = DistributedOptions;
    auto field = [options](auto member) {
        return [ options, member ](Host & h) -> auto&
        {
            return options(h).*member;
        };
    };
    t.template Add<std::string>("sync", field(&D::sync));
    t.template Add<std::string>("split", field(&D::split));
    t.template Add<double>("minLookahead", field(&D::minLookaheadMs));
    t.template Add<uint32_t>("clientWeight", field(&D::clientWeight));
}

/// Binds every StreamingScenario::Config option of \p config(host) in \p t.
template<class Host, class Get>
void
AddStreamingOptions(OptionTable<Host>& t, Get config)
{
    using C = StreamingScenario::Config;
    auto field = [config](auto member) {
        return [ config, member ](Host & h) -> auto&
        {
            return config(h).*member;
        };
    };
    t.template Add<uint32_t>("topoNodes", field(&C::topoNodes));
    t.template Add<uint32_t>("clients", field(&C::clients));
    t.template Add<int32_t>("source", field(&C::source));
    t.template Add<std::string>("profile", field(&C::profile));
    t.template Add<std::string>("loss", field(&C::loss));
    t.template Add<uint64_t>("seed", field(&C::seed));
    t.template Add<double>("rate", field(&C::rateKbps));
    t.template Add<uint32_t>("packetSize", field(&C::packetSize));
    t.template Add<double>("duration", field(&C::duration));
    t.template Add<double>("warmup", field(&C::warmup));
    t.template Add<std::string>("transport", field(&C::transport));
    t.template Add<uint32_t>("fanOut", field(&C::fanOut));
    t.template Add<std::string>("stubRule", field(&C::stubRule));
    t.template Add<bool>("perDirection", field(&C::perDirection));
    t.template Add<bool>("quiet", field(&C::quiet));
    t.template Add<std::string>("fail", field(&C::fail));
    t.template Add<double>("failAt", field(&C::failAt));
    t.template Add<double>("joinOver", field(&C::joinOver));
    t.template Add<bool>("ransubRecovery", field(&C::ransubRecovery));
    t.template Add<std::string>("scheduler", field(&C::scheduler));
    t.template Add<std::string>("links", field(&C::links));
    t.template Add<double>("controlIdle", field(&C::controlIdle));
    t.template Add<std::string>("controlTcp", field(&C::controlTcp));
    AddDistributedOptions(t, [config](Host& h) -> DistributedOptions& {
        return config(h).distributed;
    });
}

/// Binds every FileDistributionScenario::Config option of \p config(host) in \p t.
template<class Host, class Get>
void
AddFileOptions(OptionTable<Host>& t, Get config)
{
    using C = FileDistributionScenario::Config;
    auto field = [config](auto member) {
        return [ config, member ](Host & h) -> auto&
        {
            return config(h).*member;
        };
    };
    t.template Add<std::string>("topology", field(&C::topology));
    t.template Add<uint32_t>("nodes", field(&C::nodes));
    t.template Add<int32_t>("source", field(&C::source));
    t.template Add<uint32_t>("topoNodes", field(&C::topoNodes));
    t.template Add<std::string>("profile", field(&C::profile));
    t.template Add<std::string>("loss", field(&C::loss));
    t.template Add<double>("accessKbps", field(&C::accessKbps));
    t.template Add<double>("coreKbps", field(&C::coreKbps));
    t.template Add<double>("coreLoss", field(&C::coreLossMax));
    t.template Add<double>("coreDelayMin", field(&C::coreDelayMinMs));
    t.template Add<double>("coreDelayMax", field(&C::coreDelayMaxMs));
    t.template Add<uint32_t>("tcpBuffer", field(&C::tcpBuffer));
    t.template Add<double>("treeTimeout", field(&C::treeTimeout));
    t.template Add<uint32_t>("queue", field(&C::queue));
    t.template Add<uint64_t>("size", field(&C::size));
    t.template Add<std::string>("file", field(&C::file));
    t.template Add<uint32_t>("blockSize", field(&C::blockSize));
    t.template Add<std::string>("payload", field(&C::payload));
    t.template Add<uint64_t>("seed", field(&C::seed));
    t.template Add<double>("maxTime", field(&C::maxTime));
    t.template Add<std::string>("output", field(&C::output));
    t.template Add<bool>("quiet", field(&C::quiet));
    t.template Add<std::string>("lateJoin", field(&C::lateJoin));
    t.template Add<double>("churn", field(&C::churn));
    t.template Add<bool>("bwChanges", field(&C::bwChanges));
    t.template Add<std::string>("linkFail", field(&C::linkFail));
    t.template Add<std::string>("partition", field(&C::partition));
    t.template Add<std::string>("scheduler", field(&C::scheduler));
    t.template Add<std::string>("links", field(&C::links));
    AddDistributedOptions(t, [config](Host& h) -> DistributedOptions& {
        return config(h).distributed;
    });
}

/// Writes all of \p data to \p fd.
void
WriteAll(int fd, const std::string& data)
{
    size_t done = 0;
    while (done < data.size())
    {
        const ssize_t n = write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR)
        {
            continue;
        }
        if (n <= 0)
        {
            return;
        }
        done += size_t(n);
    }
}

/**
 * Runs \p run in a child process forked for it and returns its result. The child's standard
 * output and error are passed on to Python's sys.stdout and sys.stderr as they come (so a
 * notebook shows them); its std::invalid_argument becomes ValueError, any other exception
 * RuntimeError, and its death (e.g. an ns-3 fatal error) RuntimeError with the end of what it
 * wrote to standard error.
 */
py::object
RunInChild(const std::string& program, const std::function<json()>& run)
{
    py::module_ sys = py::module_::import("sys");
    sys.attr("stdout").attr("flush")();
    sys.attr("stderr").attr("flush")();
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    int result[2];
    int out[2];
    int err[2];
    if (pipe2(result, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0 || pipe2(err, O_CLOEXEC) != 0)
    {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = fork();
    if (pid < 0)
    {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0)
    {
        // The child: no Python from here on, only the run and _exit.
        dup2(out[1], STDOUT_FILENO);
        dup2(err[1], STDERR_FILENO);
        std::string message;
        try
        {
            message = "ok\n" + run().dump();
        }
        catch (const std::invalid_argument& e)
        {
            message = std::string("value\n") + e.what();
        }
        catch (const std::exception& e)
        {
            message = std::string("runtime\n") + e.what();
        }
        catch (...)
        {
            message = "runtime\nan unknown C++ exception";
        }
        std::cout.flush();
        std::cerr.flush();
        std::fflush(nullptr);
        WriteAll(result[1], message);
        _exit(0);
    }
    close(result[1]);
    close(out[1]);
    close(err[1]);
    std::string message;
    std::string errText;
    int status = 0;
    {
        py::gil_scoped_release release;
        struct pollfd fds[3] = {{result[0], POLLIN, 0}, {out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
        int open = 3;
        char buffer[65536];
        while (open > 0)
        {
            if (poll(fds, 3, -1) < 0)
            {
                if (errno == EINTR)
                {
                    continue;
                }
                break;
            }
            for (int i = 0; i < 3; ++i)
            {
                if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                {
                    continue;
                }
                const ssize_t n = read(fds[i].fd, buffer, sizeof(buffer));
                if (n < 0 && errno == EINTR)
                {
                    continue;
                }
                if (n <= 0)
                {
                    close(fds[i].fd);
                    fds[i].fd = -1;
                    --open;
                    continue;
                }
                const std::string chunk(buffer, size_t(n));
                if (i == 0)
                {
                    message += chunk;
                    continue;
                }
                if (i == 2)
                {
                    errText += chunk;
                }
                py::gil_scoped_acquire acquire;
                py::module_::import("sys").attr(i == 1 ? "stdout" : "stderr").attr("write")(chunk);
            }
        }
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        {
        }
    }
    sys.attr("stdout").attr("flush")();
    const size_t newline = message.find('\n');
    if (newline != std::string::npos)
    {
        const std::string kind = message.substr(0, newline);
        const std::string body = message.substr(newline + 1);
        if (kind == "ok")
        {
            return ToPython(json::parse(body));
        }
        if (kind == "value")
        {
            throw py::value_error(body);
        }
        throw std::runtime_error(body);
    }
    // The child died without a result: say how, with the end of its error output.
    std::string how = WIFSIGNALED(status)
                          ? "was killed by signal " + std::to_string(WTERMSIG(status)) + " ("
                                + strsignal(WTERMSIG(status)) + ")"
                          : "exited with status " + std::to_string(WEXITSTATUS(status));
    if (errText.size() > 2000)
    {
        errText = "..." + errText.substr(errText.size() - 2000);
    }
    throw std::runtime_error(program + " run failed: its process " + how
                             + (errText.empty() ? "" : "; its error output:\n" + errText));
}

/**
 * Whether \p check returns true in a child process forked for it. ns-3's parsers of attribute
 * values abort the process on some malformed strings (an integer's "abc") instead of failing,
 * so a value is tried in a child first. \p reason receives the abort's message, if any.
 */
bool
TrueInChild(const std::function<bool()>& check, std::string& reason)
{
    std::cout.flush();
    std::cerr.flush();
    std::fflush(nullptr);
    int err[2];
    if (pipe2(err, O_CLOEXEC) != 0)
    {
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    }
    const pid_t pid = fork();
    if (pid < 0)
    {
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    }
    if (pid == 0)
    {
        dup2(err[1], STDERR_FILENO);
        bool ok = false;
        try
        {
            ok = check();
        }
        catch (...)
        {
            ok = false;
        }
        _exit(ok ? 0 : 1);
    }
    close(err[1]);
    std::string text;
    char buffer[4096];
    ssize_t n;
    while ((n = read(err[0], buffer, sizeof(buffer))) != 0)
    {
        if (n > 0)
        {
            text.append(buffer, size_t(n));
        }
        else if (errno != EINTR)
        {
            break;
        }
    }
    close(err[0]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    {
    }
    // NS_ABORT_MSG writes msg="...", file=...: keep the message.
    const size_t start = text.find("msg=\"");
    const size_t end = text.find("\", file=");
    reason = start != std::string::npos && end != std::string::npos && end > start
                 ? text.substr(start + 5, end - start - 5)
                 : "";
    return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/// Binds one program: every option, run().
template<class Program>
void
BindProgram(py::module_& m, const char* pyName, const char* doc,
            const std::function<void(OptionTable<Program>&)>& programOptions)
{
    py::class_<Program> cls(m, pyName, doc);
    OptionTable<Program> table(cls, Program::kName);
    programOptions(table);
    table.Finish(Program::kName);
    auto args = std::make_shared<OptionTable<Program>>(table);
    cls.def(
        "run",
        [args](const Program& p) {
            p.config.Validate(); // bad values fail here, before any process starts
            const std::string line = args->Args(p);
            return RunInChild(Program::kName, [&p, &line]() {
                return p.Run(line);
            });
        },
        "Runs the program with these options, in a child process of its own (the program's "
        "output is printed as it comes), writes its result directory (outdir) as the program "
        "does and returns summary.json's content as a dict. Raises ValueError for bad option "
        "values, with the program's message.");
}

/// The stub rule's name as StubRuleByName() takes it.
std::string
StubRuleName(StubRule rule)
{
    switch (rule)
    {
        case StubRule::DegreeOne:
            return "degree1";
        case StubRule::DegreeThreshold:
            return "threshold";
        case StubRule::RandomGateways:
            return "gateways";
    }
    return "degree1";
}

} // namespace

} // namespace ns3

using namespace ns3;

PYBIND11_MODULE(ns3bullet, m)
{
    m.doc() = "ns3-bullet's experiment layer: the programs bullet-streaming, tree-streaming, "
              "file-distribution and ransub-subsets with every option, ns-3 defaults and globals, "
              "topology specs. "
              "See bindings/README.md.";

    // ------------------------------------------------------------------ scenario configs
    {
        py::class_<StreamingScenario::Config> cls(
            m, "StreamingConfig",
            "StreamingScenario::Config: the options the streaming programs share, with the "
            "scenario's defaults (a program may change some: BulletStreaming().clients is 200).");
        OptionTable<StreamingScenario::Config> table(cls, "streaming");
        AddStreamingOptions(
            table, [](StreamingScenario::Config & c) -> auto& { return c; });
        table.Finish("streaming");
        cls.def(
            "validate",
            [](const StreamingScenario::Config& c) {
                c.Validate();
            },
            "Raises ValueError naming the first inconsistent option.");
    }
    {
        py::class_<FileDistributionScenario::Config> cls(
            m, "FileDistributionConfig",
            "FileDistributionScenario::Config: the file-distribution scenario's options.");
        OptionTable<FileDistributionScenario::Config> table(cls, "file-distribution");
        AddFileOptions(
            table, [](FileDistributionScenario::Config & c) -> auto& { return c; });
        table.Finish("file-distribution");
        cls.def(
            "validate",
            [](const FileDistributionScenario::Config& c) {
                c.Validate();
            },
            "Raises ValueError naming the first inconsistent option.");
    }

    // ------------------------------------------------------------------------- programs
    BindProgram<BulletStreamingProgram>(
        m, "BulletStreaming",
        "The bullet-streaming program (2003 paper, Section 4): Bullet against tree streaming, "
        "gossip, anti-entropy; every option as a property, run() returns summary.json.",
        [](OptionTable<BulletStreamingProgram>& t) {
            using P = BulletStreamingProgram;
            t.Add<std::string>(
                "systems", [](P & p) -> auto& { return p.systems; });
            t.Add<std::string>(
                "tree", [](P & p) -> auto& { return p.tree; });
            t.Add<bool>(
                "disjoint", [](P & p) -> auto& { return p.disjoint; });
            AddStreamingOptions(
                t, [](P & p) -> auto& { return p.config; });
            t.Add<std::string>(
                "outdir", [](P & p) -> auto& { return p.outdir; });
            t.Add<bool>(
                "plot", [](P & p) -> auto& { return p.plot; });
        });
    BindProgram<TreeStreamingProgram>(
        m, "TreeStreaming",
        "The tree-streaming program (2003 paper, Figure 6): streaming over random, bottleneck "
        "or online trees; every option as a property, run() returns summary.json.",
        [](OptionTable<TreeStreamingProgram>& t) {
            using P = TreeStreamingProgram;
            t.Add<std::string>(
                "tree", [](P & p) -> auto& { return p.tree; });
            AddStreamingOptions(
                t, [](P & p) -> auto& { return p.config; });
            t.Add<std::string>(
                "outdir", [](P & p) -> auto& { return p.outdir; });
            t.Add<bool>(
                "plot", [](P & p) -> auto& { return p.plot; });
        });
    BindProgram<FileDistributionProgram>(
        m, "FileDistribution",
        "The file-distribution program (2008 paper): Bullet', BitTorrent and Bullet "
        "distributing a file; every option as a property, run() returns summary.json.",
        [](OptionTable<FileDistributionProgram>& t) {
            using P = FileDistributionProgram;
            t.Add<std::string>(
                "systems", [](P & p) -> auto& { return p.systems; });
            t.Add<std::string>(
                "strategy", [](P & p) -> auto& { return p.strategy; });
            t.Add<std::string>(
                "peers", [](P & p) -> auto& { return p.peers; });
            t.Add<std::string>(
                "outstanding", [](P & p) -> auto& { return p.outstanding; });
            AddFileOptions(
                t, [](P & p) -> auto& { return p.config; });
            t.Add<std::string>(
                "outdir", [](P & p) -> auto& { return p.outdir; });
            t.Add<bool>(
                "plot", [](P & p) -> auto& { return p.plot; });
        });
    BindProgram<RanSubSubsetsProgram>(
        m, "RanSubSubsets",
        "The ransub-subsets program (2003 paper, Sections 2.2 and 4.6; doc/labs/lab5-ransub.md): "
        "RanSub alone over a random tree, every node's subsets recorded and tested; every "
        "option as a property, run() returns summary.json.",
        [](OptionTable<RanSubSubsetsProgram>& t) {
            using P = RanSubSubsetsProgram;
            t.Add<uint32_t>(
                "nodes", [](P & p) -> auto& { return p.config.nodes; });
            t.Add<uint32_t>(
                "topoNodes", [](P & p) -> auto& { return p.config.topoNodes; });
            t.Add<uint32_t>(
                "fanOut", [](P & p) -> auto& { return p.config.fanOut; });
            t.Add<std::string>(
                "mode", [](P & p) -> auto& { return p.config.mode; });
            t.Add<uint32_t>(
                "setSize", [](P & p) -> auto& { return p.config.setSize; });
            t.Add<double>(
                "epoch", [](P & p) -> auto& { return p.config.epoch; });
            t.Add<uint32_t>(
                "epochs", [](P & p) -> auto& { return p.config.epochs; });
            t.Add<uint64_t>(
                "seed", [](P & p) -> auto& { return p.config.seed; });
            t.Add<double>(
                "failAt", [](P & p) -> auto& { return p.config.failAt; });
            t.Add<bool>(
                "failureDetection", [](P & p) -> auto& { return p.config.failureDetection; });
            t.Add<bool>(
                "quiet", [](P & p) -> auto& { return p.config.quiet; });
            t.Add<std::string>(
                "outdir", [](P & p) -> auto& { return p.outdir; });
            t.Add<bool>(
                "plot", [](P & p) -> auto& { return p.plot; });
        });

    // ------------------------------------------------------- ns-3 attributes and globals
    m.def(
        "set_default",
        [](const std::string& name, const std::string& value) {
            const size_t sep = name.rfind("::");
            TypeId tid;
            TypeId::AttributeInformation info;
            if (sep == std::string::npos
                || !TypeId::LookupByNameFailSafe(name.substr(0, sep), &tid))
            {
                throw py::value_error("no TypeId in '" + name
                                      + "' (expected e.g. ns3::TfrcSocket::SegmentSize)");
            }
            if (!tid.LookupAttributeByName(name.substr(sep + 2), &info))
            {
                throw py::value_error(tid.GetName() + " has no attribute '" + name.substr(sep + 2)
                                      + "'");
            }
            std::string reason;
            const bool valid = TrueInChild(
                [&]() {
                    return bool(info.checker->CreateValidValue(StringValue(value)));
                },
                reason);
            if (!valid || !Config::SetDefaultFailSafe(name, StringValue(value)))
            {
                throw py::value_error("invalid value '" + value + "' for " + name + " ("
                                      + info.checker->GetUnderlyingTypeInformation() + ")"
                                      + (reason.empty() ? "" : ": " + reason));
            }
        },
        py::arg("name"), py::arg("value"),
        "Sets an ns-3 attribute's default for the runs that follow, as --ns3::Type::Attr=value "
        "does on a program's command line; raises ValueError for an unknown attribute or a bad "
        "value. Defaults stay until reset_defaults().");
    m.def(
        "get_default",
        [](const std::string& name) {
            const size_t sep = name.rfind("::");
            TypeId tid;
            TypeId::AttributeInformation info;
            if (sep == std::string::npos || !TypeId::LookupByNameFailSafe(name.substr(0, sep), &tid)
                || !tid.LookupAttributeByName(name.substr(sep + 2), &info))
            {
                throw py::value_error("no attribute '" + name + "'");
            }
            return info.initialValue->SerializeToString(info.checker);
        },
        py::arg("name"), "An ns-3 attribute's current default, as a string.");
    m.def(
        "set_global",
        [](const std::string& name, const std::string& value) {
            StringValue current;
            if (!GlobalValue::GetValueByNameFailSafe(name, current))
            {
                std::string known;
                for (auto g = GlobalValue::Begin(); g != GlobalValue::End(); ++g)
                {
                    known += (known.empty() ? "" : ", ") + (*g)->GetName();
                }
                throw py::value_error("no ns-3 global '" + name + "'; globals: " + known);
            }
            std::string reason;
            if (!TrueInChild(
                    [&]() {
                        return GlobalValue::BindFailSafe(name, StringValue(value));
                    },
                    reason)
                || !GlobalValue::BindFailSafe(name, StringValue(value)))
            {
                throw py::value_error("invalid value '" + value + "' for global " + name
                                      + (reason.empty() ? "" : ": " + reason));
            }
        },
        py::arg("name"), py::arg("value"),
        "Sets an ns-3 global (RngRun, RngSeed, SchedulerType, ...) for the runs that follow, "
        "as --RngRun=2 does; stays until reset_defaults().");
    m.def(
        "get_global",
        [](const std::string& name) {
            StringValue value;
            if (!GlobalValue::GetValueByNameFailSafe(name, value))
            {
                throw py::value_error("no ns-3 global '" + name + "'");
            }
            return value.Get();
        },
        py::arg("name"), "An ns-3 global's current value, as a string.");
    m.def(
        "reset_defaults",
        []() {
            Config::Reset();
        },
        "Puts every attribute default and global back to ns-3's initial values.");

    // ---------------------------------------------------------------------- registries
    m.def(
        "systems",
        [](const std::string& kind) {
            SystemSpec::Kind k;
            if (kind == "streaming")
            {
                k = SystemSpec::STREAMING;
            }
            else if (kind == "file")
            {
                k = SystemSpec::FILE_DISTRIBUTION;
            }
            else
            {
                throw py::value_error("kind must be 'streaming' or 'file'");
            }
            py::dict d;
            for (const auto& name : SystemRegistry::Get().Names(k))
            {
                d[py::str(name)] = SystemRegistry::Get().Parse(name, k).front().description;
            }
            return d;
        },
        py::arg("kind") = "streaming",
        "The systems --systems= takes, name -> description: kind 'streaming' or 'file'.");
    m.def("bandwidth_profiles", &BandwidthProfile::Names, "The bandwidth profile names.");
    m.def("loss_profiles", &LossProfileNames, "The loss profile names.");
    m.def(
        "bandwidth_profile",
        [](const std::string& name) {
            const BandwidthProfile p = BandwidthProfile::ByName(name);
            py::dict d;
            for (uint32_t c = 0; c < kLinkClasses; ++c)
            {
                d[py::str(ToString(LinkClass(c)))]
                    = py::make_tuple(p.kbps[c].first, p.kbps[c].second);
            }
            return d;
        },
        py::arg("name"),
        "A bandwidth profile: link class -> (min, max) kbps (2003 paper, Table 1).");

    // ------------------------------------------------------------------ topology specs
    py::class_<LinkSpec>(m, "LinkSpec", "One physical link: directions a->b and b->a.")
        .def_readonly("a", &LinkSpec::a)
        .def_readonly("b", &LinkSpec::b)
        .def_property_readonly("cls",
                               [](const LinkSpec& l) {
                                   return ToString(l.cls);
                               })
        .def_readonly("rateAtoB", &LinkSpec::rateAtoB, "bit/s")
        .def_readonly("rateBtoA", &LinkSpec::rateBtoA, "bit/s")
        .def_readonly("delayMs", &LinkSpec::delayMs, "one-way propagation delay, ms")
        .def_readonly("lossAtoB", &LinkSpec::lossAtoB)
        .def_readonly("lossBtoA", &LinkSpec::lossBtoA);
    py::class_<TopologySpec>(m, "TopologySpec",
                             "A network ready to build: routers [0, nRouters), then the "
                             "clients, each on one link to its router.")
        .def_readonly("nRouters", &TopologySpec::nRouters)
        .def_readonly("clientRouter", &TopologySpec::clientRouter)
        .def_readonly("links", &TopologySpec::links)
        .def("GetNClients", &TopologySpec::GetNClients)
        .def("GetNVertices", &TopologySpec::GetNVertices)
        .def("ClientVertex",
             [](const TopologySpec& s, uint32_t client) {
                 if (client >= s.GetNClients())
                 {
                     throw py::index_error("client " + std::to_string(client) + " of "
                                           + std::to_string(s.GetNClients()));
                 }
                 return s.ClientVertex(client);
             })
        .def(
            "CountByClass",
            [](const TopologySpec& s) {
                const auto counts = s.CountByClass();
                py::dict d;
                for (uint32_t c = 0; c < kLinkClasses; ++c)
                {
                    d[py::str(ToString(LinkClass(c)))] = counts[c];
                }
                return d;
            },
            "Links per link class.");

    py::class_<InetTopology>(m, "InetTopology", "An INET-3.0 graph (doc/topologies.md).")
        .def_static(
            "Generate",
            [](uint32_t nodes, uint64_t seed, double degreeOneFraction, uint32_t planeSize) {
                return InetTopology::Generate({nodes, degreeOneFraction, planeSize, seed});
            },
            py::arg("nodes") = 5000, py::arg("seed") = 1, py::arg("degreeOneFraction") = 0.0,
            py::arg("planeSize") = 10000,
            "Generates a graph as INET-3.0 does; ValueError below 3037 nodes.")
        .def_static("ReadFile", &InetTopology::ReadFile, py::arg("path"))
        .def("WriteFile", &InetTopology::WriteFile, py::arg("path"))
        .def("GetNNodes", &InetTopology::GetNNodes)
        .def("GetNLinks", &InetTopology::GetNLinks)
        .def("GetDegrees", &InetTopology::GetDegrees)
        .def("IsConnected", &InetTopology::IsConnected);

    py::class_<InetAnnotation>(m, "InetAnnotation", "How an INET graph becomes a network.")
        .def(py::init<>())
        .def_readwrite("clients", &InetAnnotation::clients)
        .def_property(
            "stubRule",
            [](const InetAnnotation& a) {
                return StubRuleName(a.stubRule);
            },
            [](InetAnnotation& a, const std::string& name) {
                a.stubRule = StubRuleByName(name);
            },
            "degree1 | threshold | gateways")
        .def_readwrite("stubDegreeThreshold", &InetAnnotation::stubDegreeThreshold)
        .def_readwrite("gateways", &InetAnnotation::gateways)
        .def_readwrite("bandwidth", &InetAnnotation::bandwidth)
        .def_readwrite("loss", &InetAnnotation::loss)
        .def_readwrite("perDirection", &InetAnnotation::perDirection)
        .def_readwrite("planeUnitsPerMs", &InetAnnotation::planeUnitsPerMs)
        .def_readwrite("clientLinkDelayMs", &InetAnnotation::clientLinkDelayMs)
        .def_readwrite("overloadedFraction", &InetAnnotation::overloadedFraction)
        .def_readwrite("seed", &InetAnnotation::seed);
    m.def("AnnotateInet", &AnnotateInet, py::arg("topology"), py::arg("annotation"),
          "Attaches clients, classifies links, draws bandwidth, delay and loss.");

    py::class_<MeshParams>(m, "MeshParams", "The 2008 paper's full-mesh network (Section 5.2.2).")
        .def(py::init<>())
        .def_readwrite("participants", &MeshParams::participants)
        .def_readwrite("accessKbps", &MeshParams::accessKbps)
        .def_readwrite("coreKbps", &MeshParams::coreKbps)
        .def_readwrite("coreLossMax", &MeshParams::coreLossMax)
        .def_readwrite("coreDelayMinMs", &MeshParams::coreDelayMinMs)
        .def_readwrite("coreDelayMaxMs", &MeshParams::coreDelayMaxMs)
        .def_readwrite("accessDelayMs", &MeshParams::accessDelayMs)
        .def_readwrite("seed", &MeshParams::seed);
    m.def("MakeFileDistributionMesh", &MakeFileDistributionMesh, py::arg("params"));

    py::class_<TreeSpec>(m, "TreeSpec", "An overlay tree over clients: parent per client.")
        .def_readonly("root", &TreeSpec::root)
        .def_readonly("parent", &TreeSpec::parent, "-1 for the root")
        .def("GetNNodes", &TreeSpec::GetNNodes)
        .def("Children", &TreeSpec::Children)
        .def("Depth", &TreeSpec::Depth)
        .def("IsSpanningTree", &TreeSpec::IsSpanningTree);
    m.def(
        "RandomTree",
        [](uint32_t nodes, uint32_t root, uint32_t maxChildren, uint64_t seed) {
            if (root >= nodes || maxChildren == 0)
            {
                throw py::value_error("need root < nodes and maxChildren >= 1");
            }
            return TreeBuilder::Random(nodes, root, maxChildren, seed);
        },
        py::arg("nodes"), py::arg("root"), py::arg("maxChildren"), py::arg("seed") = 1,
        "TreeBuilder::Random: the offline random tree of the streaming programs.");

    py::class_<StreamingScenario>(m, "StreamingScenario",
                                  "The streaming programs' ground for a StreamingConfig: its "
                                  "topology spec and source, without running anything.")
        .def(py::init<const StreamingScenario::Config&>(), py::arg("config"))
        .def("GetConfig", &StreamingScenario::GetConfig)
        .def("GetSpec", &StreamingScenario::GetSpec)
        .def("GetSource", &StreamingScenario::GetSource)
        .def("GetWindowStart",
             [](const StreamingScenario& s) {
                 return s.GetWindowStart().GetSeconds();
             })
        .def("GetWindowEnd", [](const StreamingScenario& s) {
            return s.GetWindowEnd().GetSeconds();
        });
}
