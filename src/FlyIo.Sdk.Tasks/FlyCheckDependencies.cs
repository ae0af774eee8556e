using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FlyIo.Dependencies;
using FlyIo.Dependencies.DotNet;
using FlyIo.Dependencies.Node;
using FlyIo.Dependencies.Python;
using FlyIo.Deploy.Secrets;
using FlyIo.Diagnostics;
using FlyIo.Machines;
using FlyIo.Images;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Checks that what the app imports and reads matches what its image and the platform provide, before any image is
/// built: the project graph against the Docker build context, the framework against the base image, native needs,
/// required variables against [env] and secrets, DATABASE_URL against Npgsql; in standalone mode, Python imports
/// against requirements and Node imports against package.json. Project facts come from MSBuild's evaluation
/// (the _FlyCollectProjectFacts items), never from reading project files as text.
/// </summary>
public sealed class FlyCheckDependencies : FlyAppTask
{
    /// <summary>The Machines API to read secret names from (FlyApiUrl).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The environment variable holding the token (FlyTokenVariable); empty means FLY_API_TOKEN, then FLY_ACCESS_TOKEN.</summary>
    /// <summary>FlyAllowTokenTo: hosts besides Fly's and loopback that may receive the token (`;`-separated).</summary>
    public string? AllowTokenTo { get; set; }

    public string? TokenVariable { get; set; }

    /// <summary>FlySecret items: names the deploy sets, so the app's reads of them are provided.</summary>
    public ITaskItem[] Secrets { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>FlySecretsFile (full path): its names count as FlySecret items do.</summary>
    public string? SecretsFile { get; set; }

    protected override bool Run()
    {
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".";
        var diagnostics = Standalone ? CheckStandalone(projectDirectory) : CheckDotNet(projectDirectory);
        foreach (var diagnostic in diagnostics)
        {
            if (Cancelled)
            {
                break;
            }

            FlyLog.Report(diagnostic);
        }

        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        FlyLog.Progress($"{errors} error(s), {warnings} warning(s).");
        return !Log.HasLoggedErrors;
    }

    private IReadOnlyList<FlyDiagnostic> CheckDotNet(string projectDirectory)
    {
        var app = BuildAppFacts();
        var diagnostics = new List<FlyDiagnostic>();
        // fly.toml's app name (or FlyApp) says whose secret names to list.
        var appName = string.IsNullOrWhiteSpace(AppName) ? FlyConfig.App : AppName;
        var secretNames = SecretNamesReader.TryRead(ApiUrl, TokenVariable, appName, ConfigFile, diagnostics,
            FlyLog, CancellationToken,
            TokenDestinations.AllowedHosts(AllowTokenTo));
        var deploySecrets = DeploySecrets.Names(SecretItems.From(Secrets, ProjectPath), SecretsFile is { Length: > 0 } file && File.Exists(file) ? file : null);
        var environment = new FlyEnvironment
        {
            FlyTomlPath = FlyConfig.Path,
            Env = FlyConfig.Env,
            // Secrets this deploy unsets are gone once it runs.
            SecretNames = secretNames?.Where(n => !deploySecrets.Unset.Contains(n)).ToArray(),
            DeploySecretNames = deploySecrets.Set,
            AppName = appName,
        };
        diagnostics.AddRange(DotNetDependencyChecker.Check(app, environment, CSharpSourcesCache.Get(BuildEngine, Log, app.SourceFiles), DockerfileModel));
        // The project imports FlyIo.Sdk as an MSBuild SDK: the restore in the image resolves it from the feeds too.
        diagnostics.AddRange(OutsideFeeds.Check(app, OutsideFeeds.SdksIn(app.RestoreInputs).Append("FlyIo.Sdk"),
            (source, id) => OutsideFeeds.RemoteServes(source, id, CancellationToken)));
        diagnostics.AddRange(UserDockerfileScripts(string.IsNullOrEmpty(app.BuildContextRoot) ? projectDirectory : app.BuildContextRoot, FlyConfig.ReleaseCommand?.Value));
        return diagnostics;
    }

    private IReadOnlyList<FlyDiagnostic> CheckStandalone(string projectDirectory)
    {
        var diagnostics = new List<FlyDiagnostic>();
        if (PythonApp.IsPresent(projectDirectory))
        {
            diagnostics.AddRange(PythonDependencyChecker.Check(projectDirectory, ExistingDockerfile));
        }

        if (File.Exists(Path.Combine(projectDirectory, "package.json")))
        {
            diagnostics.AddRange(NodeDependencyChecker.Check(projectDirectory, ExistingDockerfile));
        }

        diagnostics.AddRange(UserDockerfileScripts(projectDirectory, FlyConfig.ReleaseCommand?.Value));
        return diagnostics;
    }

    /// <summary>Scripts the app's own Dockerfile runs, checked for CRLF endings and BOMs (a generated one strips them itself).</summary>
    private IReadOnlyList<FlyDiagnostic> UserDockerfileScripts(string contextDirectory, string? releaseCommand)
    {
        return DockerfileModel is { IsGenerated: false } dockerfile
            ? DockerfileScripts.Check(dockerfile, contextDirectory, releaseCommand)
            : Array.Empty<FlyDiagnostic>();
    }
}
