using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using FlyIo.Dependencies;
using FlyIo.Dependencies.DotNet;
using FlyIo.Dependencies.Node;
using FlyIo.Dependencies.Python;
using FlyIo.Diagnostics;
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
public sealed class FlyCheckDependencies : FlyAppTask, ICancelableTask
{
    private readonly CancellationTokenSource _cancellation = new();
    private volatile bool _cancelled;

    /// <summary>The Machines API to read secret names from (FlyApiUrl).</summary>
    public string? ApiUrl { get; set; }

    /// <summary>The environment variable holding the token (FlyTokenVariable); empty means FLY_API_TOKEN, then FLY_ACCESS_TOKEN.</summary>
    public string? TokenVariable { get; set; }

    public void Cancel()
    {
        _cancelled = true;
        _cancellation.Cancel();
    }

    public override bool Execute()
    {
        var projectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".";
        var diagnostics = Standalone ? CheckStandalone(projectDirectory) : CheckDotNet(projectDirectory);
        foreach (var diagnostic in diagnostics)
        {
            if (_cancelled)
            {
                break;
            }

            DiagnosticLogger.Log(Log, diagnostic);
        }

        var errors = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error);
        var warnings = diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
        Log.LogMessage(MessageImportance.High, $"FlyCheckDependencies: {errors} error(s), {warnings} warning(s).");
        return !Log.HasLoggedErrors && !_cancelled;
    }

    private IReadOnlyList<FlyDiagnostic> CheckDotNet(string projectDirectory)
    {
        var app = BuildAppFacts();
        var diagnostics = new List<FlyDiagnostic>();
        var withoutSecrets = FlyEnvironmentReader.Read(ConfigFile, AppName, secretNames: null);
        var secretNames = SecretNamesReader.TryRead(ApiUrl, TokenVariable, withoutSecrets.AppName, ConfigFile, diagnostics, _cancellation.Token);
        var environment = FlyEnvironmentReader.Read(ConfigFile, AppName, secretNames);
        diagnostics.AddRange(DotNetDependencyChecker.Check(app, environment));
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

        return diagnostics;
    }
}
