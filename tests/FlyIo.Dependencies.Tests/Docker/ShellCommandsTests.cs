using System.Linq;
using FlyIo.AppModel;
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

    [Test]
    public void InDoubleQuotes_ABackslashEscapesOnlyWhatPosixSays_AndAnUnclosedQuoteRunsToTheEnd()
    {
        Assert.That(Split("echo \"a\\d \\$HOME\" 'open && b"), Is.EqualTo(new[] { new[] { "echo", "a\\d $HOME", "open && b" } }));
    }

    [Test]
    public void DockerArguments_HaveNoComments_AndNeverFail()
    {
        Assert.That(ShellWords.SplitArguments("A=\"1 2\" #b 'c"), Is.EqualTo(new[] { "A=1 2", "#b", "c" }));
    }

    [Test]
    public void InstalledPackages_AreReadPerCommand_FromShellAndExecFormRuns()
    {
        var file = Dockerfile.Parse("FROM x\nRUN apt-get update && ./tool install nope; apk add --no-cache icu-libs=74.2\nRUN [\"tdnf\", \"install\", \"-y\", \"libicu\"]\n");
        var runs = file.FinalStage!.Instructions.Where(i => i.Keyword == "RUN");
        Assert.That(FlyIo.Dependencies.DotNet.DotNetDependencyChecker.InstalledPackages(runs), Is.EquivalentTo(new[] { "icu-libs", "libicu" }));
    }
}
