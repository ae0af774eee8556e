using System;
using FlyIo.Sdk.Benchmarks;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>A seeded sample of mutated inputs through the validator and the editor; build/bench.sh fuzz runs a million through each.</summary>
[TestFixture]
public sealed class ValidatorAndEditorFuzzTests
{
    [TestCase("validator")]
    [TestCase("editor")]
    public void A_seeded_sample_has_no_crash_and_no_hang(string target)
    {
        var corpus = TomlFuzzer.LoadCorpus(RepoPaths.RequireShared("data"));

        var result = TomlFuzzer.Run(corpus, seed: 20261203, count: 1500, timeout: TimeSpan.FromSeconds(5), FuzzTargets.Named(target)!);

        TestContext.Out.WriteLine($"{target}: {result}");
        Assert.That(result.Findings, Is.Empty);
        Assert.That(result.Accepted, Is.GreaterThan(0), "some inputs are valid TOML and reach the target's own work");
    }
}
