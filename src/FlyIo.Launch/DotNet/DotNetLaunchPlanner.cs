using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Project;
using FlyIo.Dependencies;
using FlyIo.Dependencies.CSharp;
using FlyIo.Dependencies.DotNet;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Project;

namespace FlyIo.Launch.DotNet;

/// <summary>
/// A fly.toml plan for a .NET project, from the facts FlyValidate and FlyCheckDependencies use: Kestrel's port by the
/// port cross-check's own rules, the health path from the routes the sources map, the release command
/// FlySetReleaseCommand would set, and the variables the dependency check would find missing.
/// </summary>
public static class DotNetLaunchPlanner
{
    public static LaunchResult Plan(DotNetLaunchInputs inputs)
    {
        var diagnostics = new List<FlyDiagnostic>();
        var projectName = Path.GetFileNameWithoutExtension(inputs.ProjectPath);
        if (LaunchCommon.AppName(inputs, projectName, diagnostics) is not { } app)
        {
            return new LaunchResult(null, diagnostics);
        }

        var env = new List<LaunchEnvVar>();
        var region = LaunchCommon.Region(inputs);
        var plan = new LaunchPlan
        {
            App = app.Name,
            AppReason = app.Reason,
            Region = region.Value,
            RegionReason = region.Reason,
            MadeFrom = inputs.ProjectFileName,
            Http = inputs.Facts.IsAspNetCore ? HttpService(inputs, env) : null,
            NoHttpReason = $"No [http_service]: {inputs.ProjectFileName} is not an ASP.NET Core app (no Microsoft.NET.Sdk.Web or Microsoft.AspNetCore.App), so nothing in it serves HTTP.",
            Vm = LaunchCommon.Vm(inputs),
            ReleaseCommand = inputs.Release?.Command,
            ReleaseReason = LaunchCommon.ReleaseReason(inputs.Release),
            Env = env,
            Variables = Variables(inputs, env),
        };
        return new LaunchResult(plan, diagnostics);
    }

    /// <summary>
    /// Kestrel's port as <see cref="ListeningPortResolver"/> sees it (the project's own Dockerfile ENV first). Before
    /// .NET 8 the images listen on 80 through ASPNETCORE_URLS; [env] moves Kestrel to 8080, the port fly launch uses.
    /// </summary>
    private static LaunchHttpService HttpService(DotNetLaunchInputs inputs, List<LaunchEnvVar> env)
    {
        var facts = inputs.Facts;
        var listening = ListeningPortResolver.Resolve(flyEnv: null, inputs.Dockerfile?.FinalStage?.EffectiveEnv, facts);
        int port;
        string portReason;
        if (listening is not null)
        {
            port = listening.Port;
            portReason = $"Kestrel listens on {port}: {listening.Reason}.";
        }
        else
        {
            port = LaunchDefaults.DotNetPort;
            var urls = "http://+:" + port.ToString(CultureInfo.InvariantCulture);
            var version = facts.TargetFrameworkMajor is { } major ? $".NET {major.ToString(CultureInfo.InvariantCulture)}" : "This .NET version's";
            env.Add(new LaunchEnvVar("ASPNETCORE_URLS", urls,
                $"{version} images make Kestrel listen on port 80; this moves it to {port.ToString(CultureInfo.InvariantCulture)}, [http_service]'s internal_port."));
            portReason = $"Kestrel listens on {port.ToString(CultureInfo.InvariantCulture)}: [env] ASPNETCORE_URLS = \"{urls}\".";
        }

        var (path, healthReason) = HealthPathChooser.Choose(facts.Sources, inputs.ProjectDirectory);
        return new LaunchHttpService(port, portReason, path, healthReason);
    }

    /// <summary>What the dependency check would report missing, before any [env] or secret exists.</summary>
    private static IReadOnlyList<LaunchVariable> Variables(DotNetLaunchInputs inputs, IReadOnlyList<LaunchEnvVar> env)
    {
        var facts = inputs.Facts;
        var app = new DotNetAppFacts
        {
            ProjectPath = Path.GetFullPath(inputs.ProjectPath),
            IsAspNetCore = facts.IsAspNetCore,
            TargetFrameworkMajor = facts.TargetFrameworkMajor,
            DatabaseUrlConnectionName = inputs.DatabaseUrlConnectionName,
        };
        var flyEnv = new FlyEnvironment { Env = env.ToDictionary(e => e.Name, e => e.Value, StringComparer.Ordinal) };
        var unprovided = RequiredVariables.Unprovided(app, flyEnv, inputs.Dockerfile, CSharpSourceScanner.Scan(facts.Sources));
        var secrets = new HashSet<string>(inputs.DeploySecretNames, StringComparer.Ordinal);
        var variables = new List<LaunchVariable>();
        foreach (var read in unprovided)
        {
            var where = $"{AppFiles.Relative(inputs.ProjectDirectory, read.Location.File)}({read.Location.Line},{read.Location.Column})";
            var name = read.EnvironmentName;
            var readAt = read.IsConfiguration ? $"{where} reads configuration key {read.Key}" : $"{where} reads it";
            if (inputs.DatabaseUrlConnectionName is { Length: > 0 } connection &&
                string.Equals(name, "ConnectionStrings__" + connection, StringComparison.OrdinalIgnoreCase))
            {
                // FlyIo.Sdk's helper fills this connection string from DATABASE_URL, the variable Fly Postgres sets.
                name = "DATABASE_URL";
                readAt += ", which FlyIo.Sdk fills from DATABASE_URL";
            }

            if (variables.Any(v => v.Name == name))
            {
                continue;
            }

            var providedBy = secrets.Contains(name) ? "the project's FlySecret items" : null;
            variables.Add(new LaunchVariable(name, readAt, SecretLookingNames.IsSecret(name), providedBy));
        }

        return variables;
    }
}
