using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Toml.Syntax;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

/// <summary>The tree reproduces every byte of every valid suite file and every fly.toml corpus file.</summary>
public class RoundTripTests
{
    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.ValidCases))]
    public void SuiteFileRoundTrips(string relative) => AssertRoundTrip(SharedCorpus.SuitePath(relative));

    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.FlyTomlFiles))]
    public void FlyTomlFileRoundTrips(string relative) => AssertRoundTrip(SharedCorpus.FlyTomlPath(relative));

    [Test]
    public void AllFiles()
    {
        SharedCorpus.SuitePath("files-toml-1.0.0");
        int suitePass = 0, suiteTotal = 0, flyPass = 0, flyTotal = 0;
        foreach (var relative in SharedCorpus.ValidCases())
        {
            suiteTotal++;
            if (RoundTrips(SharedCorpus.SuitePath(relative))) suitePass++;
        }

        foreach (var relative in SharedCorpus.FlyTomlFiles())
        {
            flyTotal++;
            if (RoundTrips(SharedCorpus.FlyTomlPath(relative))) flyPass++;
        }

        TestContext.Out.WriteLine($"round trip: suite {suitePass}/{suiteTotal}, fly-toml {flyPass}/{flyTotal}");
        Assert.That((suitePass, flyPass), Is.EqualTo((suiteTotal, flyTotal)));
    }

    internal static void AssertRoundTrip(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var document = TomlParser.Parse(bytes);
        Assert.That(document.ToUtf8Bytes(), Is.EqualTo(bytes));
        AssertSpans(document);
    }

    private static bool RoundTrips(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var document = TomlParser.Parse(bytes);
        return document.ToUtf8Bytes().SequenceEqual(bytes) && SpansAreConsistent(document);
    }

    /// <summary>Every token's span points at its own text, and siblings follow each other with no gap.</summary>
    internal static void AssertSpans(TomlDocument document) => Assert.That(SpansAreConsistent(document), Is.True);

    private static bool SpansAreConsistent(TomlDocument document)
    {
        var text = document.ToTomlString();
        var stack = new Stack<SyntaxElement>();
        stack.Push(document.Syntax);
        while (stack.Count > 0)
        {
            var element = stack.Pop();
            if (element is SyntaxToken token)
            {
                if (text.Substring(token.Start, token.Length) != token.Text)
                {
                    return false;
                }

                continue;
            }

            var node = (SyntaxNode)element;
            var expected = node.Start;
            foreach (var child in node.Children)
            {
                if (child.Start != expected)
                {
                    return false;
                }

                expected = child.End;
                stack.Push(child);
            }

            if (expected != node.End)
            {
                return false;
            }
        }

        return document.Syntax.Length == text.Length;
    }
}
