using System.Linq;
using FlyIo.AppModel.Docker;
using NUnit.Framework;

namespace FlyIo.Dependencies.Tests.DockerScripts;

/// <summary>How RUN and CMD scripts split into commands and words, as /bin/sh reads them.</summary>
[TestFixture]
public sealed class ShellCommandsTests
{
    private static string[][] Split(string script) => ShellCommands.Split(script).Select(c => c.ToArray()).ToArray();

    [Test]
    public void Separators_EndACommand_AndALineBreakIsOne()
    {
        Assert.That(Split("apt-get update && apt-get install -y a; npm ci || true | cat\nnode x.js"), Is.EqualTo(new[]
        {
            new[] { "apt-get", "update" }, new[] { "apt-get", "install", "-y", "a" }, new[] { "npm", "ci" },
            new[] { "true" }, new[] { "cat" }, new[] { "node", "x.js" },
        }));
    }

    [Test]
    public void ABackslashBeforeALineBreak_ContinuesTheCommand_WithLfOrCrLf()
    {
        Assert.That(Split("apt-get install \\\n  python3-fastapi \\\r\n  python3-uvicorn"),
            Is.EqualTo(new[] { new[] { "apt-get", "install", "python3-fastapi", "python3-uvicorn" } }));
    }

    [Test]
    public void Quotes_KeepSeparatorsAndSpaces_InOneWord()
    {
        Assert.That(Split("echo 'a && b' \"c; \\\"d\\\"\" e\\ f"), Is.EqualTo(new[] { new[] { "echo", "a && b", "c; \"d\"", "e f" } }));
    }

    [Test]
    public void AHashStartingAWord_CommentsOutTheRestOfTheLine_ButNotInsideAWord()
    {
        Assert.That(Split("npm ci # not: rm -rf /\nnode a#b.js"), Is.EqualTo(new[] { new[] { "npm", "ci" }, new[] { "node", "a#b.js" } }));
    }

    [Test]
    public void EmptyCommandsAndBlankLines_AreDropped()
    {
        Assert.That(Split(" ;; \n\n ( true ) "), Is.EqualTo(new[] { new[] { "true" } }));
    }
}
