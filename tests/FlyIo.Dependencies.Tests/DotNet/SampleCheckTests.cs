using FlyIo.AppModel.Project;
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.Dependencies.DotNet;
using FlyIo.Diagnostics;
using NUnit.Framework;
using S = FlyIo.Dependencies.Tests.DotNet.DotNetSamples;

namespace FlyIo.Dependencies.Tests.DotNet;

/// <summary>Every rule against a failing and a passing sample app on disk.</summary>
public class SampleCheckTests
{
    private static readonly string[] NoSecrets = Array.Empty<string>();

    public sealed record Case(string Name, Func<DotNetAppFacts> Facts, Func<FlyEnvironment> Env, string[] Expected)
    {
        public override string ToString() => Name;
    }

    private static FlyEnvironment Plain(string sample) => S.EnvFromFlyToml(S.Folder(sample), NoSecrets);

    private static FlyEnvironment MultiEnv() => S.EnvFromFlyToml(S.Folder("multi-project"), new[] { "ConnectionStrings__Default" });

    /// <summary>Failing samples: each must report exactly these codes (and nothing else).</summary>
    public static IEnumerable<Case> Failing()
    {
        yield return new Case("multi-project, Dockerfile without Directory.Packages.props", () => S.MultiProject("Dockerfile.missing-packages-props"),
            () => MultiEnv(), new[] { FlyCodes.RestoreInputNotCopied.Code });
        yield return new Case("multi-project, Shared copied after restore", () => S.MultiProject("Dockerfile.shared-after-restore"),
            () => MultiEnv(), new[] { FlyCodes.RestoreInputCopiedAfterRestore.Code });
        yield return new Case("multi-project, fly launch context = src/Api", () => S.MultiProject("Dockerfile", "src/Api"),
            () => MultiEnv(), new[] { FlyCodes.RestoreInputOutsideContext.Code });
        yield return new Case("Dockerfile path that does not exist", () => S.Single("aspnet-on-aspnet", dockerfile: "Dockerfile.missing"),
            () => Plain("aspnet-on-aspnet"), new[] { FlyCodes.DockerfileNotFound.Code });
        yield return new Case("ASP.NET app on the runtime image", () => S.Single("aspnet-on-runtime"), () => Plain("aspnet-on-runtime"), new[] { FlyCodes.ImageLacksFramework.Code });
        yield return new Case("console app on the aspnet image", () => S.Single("console-on-aspnet", aspNet: false), () => Plain("console-on-aspnet"), new[] { FlyCodes.ImageLargerThanNeeded.Code });
        yield return new Case("SDK image as the final stage", () => S.Single("sdk-final-stage"), () => Plain("sdk-final-stage"), new[] { FlyCodes.SdkImageAsFinalStage.Code });
        yield return new Case("net10.0 on aspnet:8.0", () => S.Single("tfm-mismatch"), () => Plain("tfm-mismatch"), new[] { FlyCodes.ImageVersionMismatch.Code });
        yield return new Case("FlyBaseImage aspnet:8.0 for net10.0", () => S.Single("aspnet-on-aspnet", dockerfile: null, baseImage: "mcr.microsoft.com/dotnet/aspnet:8.0"),
            () => Plain("aspnet-on-aspnet"), new[] { FlyCodes.ImageVersionMismatch.Code });
        yield return new Case("ICU needed on Alpine", () => S.Single("alpine-icu"), () => Plain("alpine-icu"), new[] { FlyCodes.IcuMissing.Code });
        yield return new Case("ICU needed on chiseled (FlyBaseImage)", () => S.Single("aspnet-on-aspnet", dockerfile: null, baseImage: "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled"),
            () => Plain("aspnet-on-aspnet"), new[] { FlyCodes.IcuMissing.Code });
        yield return new Case("time zones on chiseled", () => S.Single("chiseled-timezone", invariant: true), () => Plain("chiseled-timezone"), new[] { FlyCodes.TimeZoneDataMissing.Code });
        yield return new Case("SqlClient with invariant globalization", () => S.Single("sqlclient-invariant", invariant: true, packages: new PackageRef("Microsoft.Data.SqlClient", "6.1.1")),
            () => Plain("sqlclient-invariant"), new[] { FlyCodes.SqlClientInvariantGlobalization.Code });
        yield return new Case("SkiaSharp without fontconfig",
            () => S.Single("skiasharp-no-fontconfig", packages: new[] { new PackageRef("SkiaSharp", "3.119.0"), new PackageRef("SkiaSharp.NativeAssets.Linux", "3.119.0") }),
            () => Plain("skiasharp-no-fontconfig"), new[] { FlyCodes.SkiaSharpWithoutFontconfig.Code });
        yield return new Case("System.Drawing.Common", () => S.Single("system-drawing", packages: new PackageRef("System.Drawing.Common", "9.0.0")),
            () => Plain("system-drawing"), new[] { FlyCodes.SystemDrawingOnLinux.Code });
        yield return new Case("musl RID on a glibc image", () => S.Single("musl-rid-on-debian", aspNet: false, invariant: true, selfContained: true, rid: "linux-musl-x64"),
            () => Plain("musl-rid-on-debian"), new[] { FlyCodes.RuntimeIdentifierLibcMismatch.Code });
        yield return new Case("glibc RID on Alpine", () => S.Single("musl-rid-on-alpine", aspNet: false, invariant: true, selfContained: true, rid: "linux-x64"),
            () => Plain("musl-rid-on-alpine"), new[] { FlyCodes.RuntimeIdentifierLibcMismatch.Code });
        yield return new Case("required variables, secrets known", () => S.Single("env-missing"), () => Plain("env-missing"), new[] { FlyCodes.RequiredVariableMissing.Code });
        yield return new Case("required variables, no token", () => S.Single("env-missing"), () => S.EnvFromFlyToml(S.Folder("env-missing"), null), new[] { FlyCodes.RequiredVariableUnverified.Code });
        yield return new Case("DATABASE_URL handed to Npgsql", () => S.Single("database-url-raw", packages: new PackageRef("Npgsql", "10.0.0")),
            () => S.EnvFromFlyToml(S.Folder("database-url-raw"), new[] { "DATABASE_URL" }), new[] { FlyCodes.DatabaseUrlPassedToNpgsql.Code });
    }

    /// <summary>Passing samples: no diagnostic at all.</summary>
    public static IEnumerable<Case> Passing()
    {
        yield return new Case("multi-project, correct Dockerfile", () => S.MultiProject(), () => S.EnvFromFlyToml(S.Folder("multi-project"), new[] { "ConnectionStrings__Default" }), Array.Empty<string>());
        yield return new Case("ASP.NET app on aspnet:10.0", () => S.Single("aspnet-on-aspnet"), () => Plain("aspnet-on-aspnet"), Array.Empty<string>());
        yield return new Case("console app on runtime, ARG-substituted chiseled FROM", () => S.Single("console-arg-from", aspNet: false, invariant: true),
            () => Plain("console-arg-from"), Array.Empty<string>());
        yield return new Case("FlyBaseImage chiseled-extra", () => S.Single("aspnet-on-aspnet", dockerfile: null, baseImage: "mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled-extra"),
            () => Plain("aspnet-on-aspnet"), Array.Empty<string>());
        yield return new Case("Alpine with icu-libs and tzdata", () => S.Single("alpine-icu-installed"), () => Plain("alpine-icu-installed"), Array.Empty<string>());
        yield return new Case("time zones on chiseled-extra", () => S.Single("chiseled-extra-timezone"), () => Plain("chiseled-extra-timezone"), Array.Empty<string>());
        yield return new Case("SqlClient with ICU", () => S.Single("sqlclient-invariant", invariant: false, packages: new PackageRef("Microsoft.Data.SqlClient", "6.1.1")),
            () => Plain("sqlclient-invariant"), Array.Empty<string>());
        yield return new Case("SkiaSharp with fontconfig",
            () => S.Single("skiasharp-fontconfig", packages: new[] { new PackageRef("SkiaSharp", "3.119.0"), new PackageRef("SkiaSharp.NativeAssets.Linux", "3.119.0") }),
            () => Plain("skiasharp-fontconfig"), Array.Empty<string>());
        yield return new Case("musl RID on Alpine", () => S.Single("musl-rid-on-alpine", aspNet: false, invariant: true, selfContained: true, rid: "linux-musl-x64"),
            () => Plain("musl-rid-on-alpine"), Array.Empty<string>());
        yield return new Case("required variables provided by [env], secrets and Dockerfile ENV", () => S.Single("env-provided"),
            () => S.EnvFromFlyToml(S.Folder("env-provided"), ReadSecrets("env-provided")), Array.Empty<string>());
        yield return new Case("DATABASE_URL converted, GetConnectionString filled by the helper",
            () => S.Single("database-url-converted", databaseUrlConnectionName: "Default", packages: new PackageRef("Npgsql", "10.0.0")),
            () => S.EnvFromFlyToml(S.Folder("database-url-converted"), new[] { "DATABASE_URL" }), Array.Empty<string>());
    }

    private static string[] ReadSecrets(string sample) =>
        File.ReadAllLines(Path.Combine(S.Folder(sample), "secrets.txt")).Where(l => l.Length > 0 && l[0] != '#').ToArray();

    [TestCaseSource(nameof(Failing))]
    public void Failing_sample_reports_exactly_its_codes(Case c)
    {
        var diagnostics = S.Check(c.Facts(), c.Env());
        Assert.That(diagnostics.Select(d => d.Code).Distinct().OrderBy(x => x), Is.EqualTo(c.Expected.OrderBy(x => x)), S.Describe(diagnostics));
        foreach (var d in diagnostics)
        {
            var catalogue = FlyCodes.All.Single(x => x.Code == d.Code);
            Assert.That(d.Severity, Is.EqualTo(catalogue.DefaultSeverity), d.ToString());
            Assert.That(d.File, Is.Not.Null.And.Not.Empty, d.ToString());
            Assert.That(File.Exists(d.File!), Is.True, "located in a real file: " + d);
            Assert.That(d.Message.Length, Is.GreaterThan(60), "the message names the fix: " + d);
        }
    }

    [TestCaseSource(nameof(Passing))]
    public void Passing_sample_reports_nothing(Case c)
    {
        var diagnostics = S.Check(c.Facts(), c.Env());
        Assert.That(diagnostics, Is.Empty, S.Describe(diagnostics));
    }

    [Test]
    public void Every_code_is_triggered_by_a_failing_sample_or_a_located_unit_test()
    {
        var triggered = Failing().SelectMany(c => S.Check(c.Facts(), c.Env()).Select(d => d.Code)).ToHashSet();
        var missing = DotNetCodeCatalogueTests.Codes().Where(code => !triggered.Contains(code)).ToList();
        Assert.That(missing, Is.Empty, "codes no failing sample triggers");
    }
}
