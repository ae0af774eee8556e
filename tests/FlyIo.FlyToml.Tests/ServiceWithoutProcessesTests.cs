using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>FLY1057 is one finding per service, whatever else is wrong with that service.</summary>
public class ServiceWithoutProcessesTests
{
    private const string Groups = "app = \"demo\"\n[processes]\nweb = \"run\"\nworker = \"work\"\n";

    [TestCase("[http_service]\ninternal_port = 8080\n")]
    [TestCase("[http_service]\ninternal_port = 8080\n[[http_service.checks]]\npath = \"/healthz\"\n")]
    [TestCase("[[services]]\ninternal_port = 8080\nprotocol = \"tcp\"\n[[services.ports]]\nport = 443\n")]
    [TestCase("[[services]]\ninternal_port = 8080\nprotocol = \"tcp\"\n")]
    [TestCase("[services]\ninternal_port = 8080\nprotocol = \"tcp\"\n[[services.ports]]\nport = 443\n")]
    [TestCase("[[services]]\ninternal_port = 8080\n\n[[services]]\ninternal_port = 8080\nprocesses = [\"web\"]\n[[services.ports]]\nport = 80\n")]
    public void One_service_without_processes_is_reported_once(string service)
    {
        var result = FlyTomlCase.Validate(Groups + service);

        Assert.That(result.Diagnostics.Count(d => d.Code == FlyCodes.ServiceWithoutProcesses.Code), Is.EqualTo(1), FlyTomlCase.Describe(result));
    }
}
