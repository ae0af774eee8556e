using System.IO;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Testing;
using NUnit.Framework;

namespace FlyIo.FlyToml.Tests;

/// <summary>Real fly.toml files that users deployed: no errors allowed; deprecated forms are warnings.</summary>
public class RealFileTests
{
    private static string[] RealFiles()
    {
        var shared = RepoPaths.SharedRoot;
        return shared is null
            ? new string[0]
            : Directory.GetFiles(Path.Combine(shared, "data", "fly-toml", "real"), "*.toml").Select(p => Path.GetFileName(p)!).OrderBy(n => n).ToArray();
    }

    // Two files leave the name to `fly deploy -a <app>` (no app, or app = ""), as FlyApp does for the SDK.
    [TestCaseSource(nameof(RealFiles))]
    public void Real_file_has_no_errors(string file)
    {
        var path = RepoPaths.RequireShared("data", "fly-toml", "real", file);
        var result = FlyTomlValidator.Validate(path, new FlyTomlValidationOptions { AppName = "given-by-flyapp" });
        var warnings = result.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        TestContext.Out.WriteLine($"{file}: {warnings} warning(s)");
        foreach (var d in result.Diagnostics)
        {
            TestContext.Out.WriteLine("  " + d);
        }

        FlyTomlCase.AssertNoErrors(result);
    }

    [Test]
    public void A_real_file_without_app_needs_the_FlyApp_name()
    {
        var path = RepoPaths.RequireShared("data", "fly-toml", "real", "fly-apps__grpc-service__1.toml");
        var result = FlyTomlValidator.Validate(path, new FlyTomlValidationOptions());
        Assert.That(FlyTomlCase.Single(result, FlyCodes.MissingAppName.Code).Severity, Is.EqualTo(DiagnosticSeverity.Error));
    }
}
