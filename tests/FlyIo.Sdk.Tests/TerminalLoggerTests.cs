using System;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Sdk.Tests;

/// <summary>
/// What a user sees in an interactive terminal, where .NET's terminal logger is on: the Fly targets' progress lines
/// (high importance) are hidden by default and shown with `-tlp:v=d`, as docs/reference.md tells users. Run under
/// `script`, which gives dotnet a pseudo-terminal.
/// </summary>
[TestFixture]
public sealed class TerminalLoggerTests : BuildTestBase
{
    [Test]
    public void TheProgressLines_AreShownUnderTheTerminalLogger_WithTlpVerbosityDetailed()
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
        {
            Assert.Ignore("Needs util-linux's `script` for a pseudo-terminal.");
        }

        var project = SdkImportTests.WebAppWithExplicitVersion();

        var plain = InATerminal(project.Directory, "dotnet build -t:FlyValidate -tl:on -nodeReuse:false");
        var detailed = InATerminal(project.Directory, "dotnet build -t:FlyValidate -tl:on -tlp:v=d -nodeReuse:false");

        Assert.That(plain, Does.Not.Contain("FlyValidate: "), "the terminal logger hides high-importance messages by default:\n" + plain);
        Assert.That(detailed, Does.Contain("FlyValidate: ").And.Contain("0 error(s), 0 warning(s)"), detailed);
        Assert.That(detailed, Does.Not.Contain("Target \"FlyValidate\""), "-tlp:v=d adds the messages, not -v:d's detail");
    }

    private static string InATerminal(string directory, string command)
    {
        var (exit, output) = ChildProcess.Run("script", new[] { "-qec", command, "/dev/null" }, directory, DotNet.IsolatedEnvironment(), TimeSpan.FromMinutes(3));
        var text = Regex.Replace(output, @"\x1B(\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1B]*(\x07|\x1B\\)|[=>])", "");
        Assert.That(exit, Is.EqualTo(0), text);
        return text;
    }
}
