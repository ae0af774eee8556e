using System;
using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>Runs the validator on hand-written fly.toml text (written to a temp file) and reads the findings.</summary>
internal static class FlyTomlCase
{
    public static ValidationResult Validate(string toml, FlyTomlValidationOptions? options = null)
    {
        var dir = Path.Combine(Path.GetTempPath(), "flytoml-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, "fly.toml");
        File.WriteAllText(path, toml);
        return FlyTomlValidator.Validate(path, options ?? new FlyTomlValidationOptions());
    }

    public static string TempFile(string name, string text)
    {
        var dir = Path.Combine(Path.GetTempPath(), "flytoml-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public static FlyDiagnostic Single(ValidationResult result, string code)
    {
        var found = result.Diagnostics.Where(d => d.Code == code).ToList();
        Assert.That(found, NUnit.Framework.Has.Count.EqualTo(1), Describe(result));
        return found[0];
    }

    public static bool Has(ValidationResult result, string code) => result.Diagnostics.Any(d => d.Code == code);

    public static string Describe(ValidationResult result) =>
        result.Diagnostics.Count == 0 ? "(no diagnostics)" : string.Join(Environment.NewLine, result.Diagnostics);

    public static void AssertClean(ValidationResult result) => Assert.That(result.Diagnostics, Is.Empty, Describe(result));

    public static void AssertNoErrors(ValidationResult result) =>
        Assert.That(result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error), Is.Empty, Describe(result));
}
