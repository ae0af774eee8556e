using System;
using System.Linq;
using FlyIo.Sdk.Benchmarks;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

/// <summary>A seeded sample of the fuzzer's inputs; the long runs use the toml-fuzz command.</summary>
public class FuzzTests
{
    [Test]
    public void SeededSampleHasNoCrashesOrHangs()
    {
        var corpus = TomlFuzzer.LoadCorpus(RepoPaths.RequireShared("data"));
        var result = TomlFuzzer.Run(corpus, seed: 20240601, count: 3000, timeout: TimeSpan.FromSeconds(2));
        TestContext.Out.WriteLine(result.ToString());
        Assert.That(result.Findings, Is.Empty);
        Assert.That(result.Inputs, Is.EqualTo(3000));
    }

    [Test]
    public void MutationsAreDeterministic()
    {
        var corpus = new[] { "a = 1\n[b]\nc = [1, 2]\n"u8.ToArray(), "x = { y = 'z' }\n"u8.ToArray() };
        var first = new TomlMutator(corpus, 5);
        var second = new TomlMutator(corpus, 5);
        for (var i = 0; i < 200; i++)
        {
            Assert.That(first.Generate(i).SequenceEqual(second.Generate(i)), Is.True);
        }
    }
}
