using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using NUnit.Framework;

namespace FlyIo.Toml.Tests;

/// <summary>The official toml-test suite, TOML 1.0.0 cases only, read in place from ../shared.</summary>
public class ConformanceTests
{
    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.ValidCases))]
    public void Valid(string relative)
    {
        Assert.That(CheckValid(SharedCorpus.SuitePath(relative)), Is.Null);
    }

    [TestCaseSource(typeof(SharedCorpus), nameof(SharedCorpus.InvalidCases))]
    public void Invalid(string relative)
    {
        Assert.That(CheckInvalid(SharedCorpus.SuitePath(relative)), Is.Null);
    }

    [Test]
    public void AllCases()
    {
        SharedCorpus.SuitePath("files-toml-1.0.0");
        var failures = new List<string>();
        int validPass = 0, validTotal = 0, invalidPass = 0, invalidTotal = 0;
        foreach (var relative in SharedCorpus.ValidCases())
        {
            validTotal++;
            var failure = CheckValid(SharedCorpus.SuitePath(relative));
            if (failure is null) validPass++; else failures.Add(relative + ": " + failure);
        }

        foreach (var relative in SharedCorpus.InvalidCases())
        {
            invalidTotal++;
            var failure = CheckInvalid(SharedCorpus.SuitePath(relative));
            if (failure is null) invalidPass++; else failures.Add(relative + ": " + failure);
        }

        TestContext.Out.WriteLine($"valid {validPass}/{validTotal}, invalid {invalidPass}/{invalidTotal}");
        foreach (var failure in failures)
        {
            TestContext.Out.WriteLine(failure);
        }

        Assert.That(failures, Is.Empty);
    }

    private static string? CheckValid(string path)
    {
        TomlDocument document;
        try
        {
            document = TomlParser.Parse(File.ReadAllBytes(path));
        }
        catch (TomlParseException e)
        {
            return "rejected: " + e.Message;
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(path, ".json")));
        return TaggedJson.Compare(json.RootElement, document.Root);
    }

    private static string? CheckInvalid(string path)
    {
        try
        {
            TomlParser.Parse(File.ReadAllBytes(path));
            return "accepted";
        }
        catch (TomlParseException e) when (e.Line >= 1 && e.Column >= 1 && e.Code.StartsWith("FLY000", System.StringComparison.Ordinal))
        {
            return null;
        }
        catch (TomlParseException e)
        {
            return $"bad location or code: {e.Message}";
        }
    }
}
