using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FlyIo.AppModel.CSharp;
using FlyIo.Deploy;
using FlyIo.Deploy.Secrets;
using FlyIo.Diagnostics;
using FlyIo.FlyToml;
using FlyIo.Launch;
using FlyIo.Launch.DotNet;
using FlyIo.Launch.Standalone;
using FlyIo.Machines;
using FlyIo.Release;
using FlyIo.Toml.Editing;
using Microsoft.Build.Framework;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// Writes fly.toml for a project that has none, from the same facts FlyValidate, FlySetReleaseCommand and
/// FlyCheckDependencies read, and (FlyCreateApp) creates the app. The text is validated before it is written, the
/// app is created before the file is written (so a taken name leaves no file naming it), and an existing fly.toml is
/// never overwritten unless FlyLaunchForce, which keeps it as fly.toml.bak.
/// </summary>
public sealed class FlyLaunch : FlyDeployTaskBase
{
    public bool Standalone { get; set; }

    /// <summary>FlyLaunchForce: replace an existing fly.toml, keeping it as fly.toml.bak.</summary>
    public bool Force { get; set; }

    /// <summary>FlyCreateApp: create the app through the Machines API (needs a token).</summary>
    public bool CreateApp { get; set; }

    /// <summary>FlyRegion: primary_region.</summary>
    public string? Region { get; set; }

    /// <summary>FlyVmMemory: [[vm]] memory.</summary>
    public string? VmMemory { get; set; }

    public string? DockerfilePath { get; set; }

    public bool IsAspNetCore { get; set; }

    public string? TargetFrameworks { get; set; }

    public string? ServerGarbageCollection { get; set; }

    public string? ConcurrentGarbageCollection { get; set; }

    public ITaskItem[] SourceFiles { get; set; } = Array.Empty<ITaskItem>();

    public ITaskItem[] PackageReferences { get; set; } = Array.Empty<ITaskItem>();

    public string? AssemblyName { get; set; }

    public string? ReleaseCommand { get; set; }

    public string? MigrationsDetection { get; set; }

    public string? MigrationsMode { get; set; }

    /// <summary>The connection name the compiled-in DATABASE_URL helper fills; empty when it is not compiled in.</summary>
    public string? DatabaseUrlConnectionName { get; set; }

    protected override bool Run()
    {
        if (File.Exists(ConfigFile) && !Force)
        {
            FlyLog.Report(FlyCodes.FlyTomlExists.Create(
                $"{Path.GetFileName(ConfigFile)} exists, and FlyLaunch never overwrites it. Check it with -t:FlyValidate, or pass -p:FlyLaunchForce=true to write a new one (the current file is kept as {Path.GetFileName(ConfigFile)}.bak).",
                ConfigFile, 0, 0));
            return false;
        }

        var dockerfile = AppModelFiles.Dockerfile(BuildEngine, Log, DockerfilePath);
        var ownDockerfile = dockerfile is { IsGenerated: false } ? dockerfile : null;
        var facts = Standalone ? null : ProjectFacts();
        var release = ReleaseCommandPlanner.Plan(new ReleaseInputs
        {
            ProjectDirectory = Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".",
            ProjectFile = ProjectPath,
            Standalone = Standalone,
            ReleaseCommand = Blank(ReleaseCommand),
            MigrationsDetection = Blank(MigrationsDetection),
            MigrationsMode = Blank(MigrationsMode),
            Dockerfile = dockerfile,
            Entrypoint = dockerfile is null && !Standalone && !string.IsNullOrWhiteSpace(AssemblyName) ? new[] { "dotnet", AssemblyName + ".dll" } : null,
            Sources = facts?.Sources ?? CSharpSources.Empty,
            PackageReferences = PackageReferences.Select(i => i.ItemSpec).ToArray(),
        });
        var secretNames = DeploySecrets.Names(SecretItems.From(Secrets, ProjectPath), SecretsFile is { Length: > 0 } file && File.Exists(file) ? file : null).Set;

        var result = Standalone
            ? StandaloneLaunchPlanner.Plan(new LaunchInputs
            {
                ProjectPath = ProjectPath, AppName = AppName, Region = Region, VmMemory = VmMemory,
                Dockerfile = dockerfile, Release = release, DeploySecretNames = secretNames,
            })
            : DotNetLaunchPlanner.Plan(new DotNetLaunchInputs
            {
                ProjectPath = ProjectPath, AppName = AppName, Region = Region, VmMemory = VmMemory,
                Dockerfile = ownDockerfile, Release = release, DeploySecretNames = secretNames,
                Facts = facts!, DatabaseUrlConnectionName = Blank(DatabaseUrlConnectionName),
            });

        // The planner's own findings (a DbContext without migrations, a release command the image cannot run).
        foreach (var diagnostic in release.Diagnostics.Where(d => d.Code != FlyCodes.ReleaseCommandDetected.Code).Concat(result.Diagnostics))
        {
            FlyLog.Report(diagnostic);
        }

        if (result.HasErrors || release.HasErrors || Cancelled)
        {
            return false;
        }

        var plan = result.Plan!;
        var text = LaunchTomlWriter.Render(plan);
        if (!Validates(text, dockerfile, facts) || (CreateApp && !CreateTheApp(plan.App)))
        {
            return false;
        }

        Write(text);
        FlyLog.Progress($"wrote {ConfigFile}: app {plan.App}, primary_region {plan.Region}, " +
                        (plan.Http is { } http ? $"internal_port {http.InternalPort}, health check {http.HealthPath ?? "none"}" : "no [http_service]") +
                        (plan.ReleaseCommand is null ? "" : $", release_command \"{plan.ReleaseCommand}\"") + ".");
        if (!Standalone)
        {
            WritePublishProfile();
        }

        if (SolutionDeployHint.For(Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".") is { } hint)
        {
            FlyLog.Progress(hint);
        }

        return !Log.HasLoggedErrors;
    }

    private ProjectFacts ProjectFacts() => ProjectFactsItems.Create(BuildEngine, Log, Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".",
        SourceFiles, IsAspNetCore, ServerGarbageCollection, ConcurrentGarbageCollection, TargetFrameworks);

    /// <summary>
    /// The text as FlyValidate will see it, strictly: a file FlyLaunch writes has no error and no warning, or it is not
    /// written. A finding here comes from a property the user gave (FlyRegion, FlyVmMemory) or from a fact FlyLaunch misread.
    /// </summary>
    private bool Validates(string text, FlyIo.AppModel.Docker.Dockerfile? dockerfile, ProjectFacts? facts)
    {
        var config = FlyIo.AppModel.FlyConfig.Parse(text, ConfigFile);
        var findings = FlyTomlValidator.Validate(config, new FlyTomlValidationOptions { Strict = true, Dockerfile = dockerfile, Project = facts })
            .Diagnostics.Where(d => d.Severity != DiagnosticSeverity.Message).ToList();
        if (findings.Count == 0)
        {
            return true;
        }

        var lines = text.Split('\n');
        var listed = string.Join(" ", findings.Select(d =>
            $"{d.Code} at `{(d.Line > 0 && d.Line <= lines.Length ? lines[d.Line - 1].Trim() : "the file")}`: {d.Message}"));
        FlyLog.Report(FlyCodes.LaunchNotPossible.Create(
            $"FlyLaunch did not write {Path.GetFileName(ConfigFile)}, because the file it would write does not validate: {listed} Fix the property it came from (FlyRegion, FlyVmMemory, FlyApp) and run FlyLaunch again.",
            Path.GetFullPath(ProjectPath), 0, 0));
        return false;
    }

    /// <summary>POST /v1/apps in FlyOrg; an app of that name this token can already see counts as created.</summary>
    private bool CreateTheApp(string app)
    {
        var diagnostics = new List<FlyDiagnostic>();
        var token = ReadToken(app, diagnostics);
        foreach (var diagnostic in diagnostics)
        {
            FlyLog.Report(diagnostic);
        }

        if (token is null || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return false;
        }

        var org = string.IsNullOrWhiteSpace(Org) ? "personal" : Org!.Trim();
        using var client = new MachinesApiClient(ApiUrl, token, allowTokenTo: TokenDestinations.AllowedHosts(AllowTokenTo)) { Log = FlyLog };
        try
        {
            if (client.GetAppAsync(app, CancellationToken).GetAwaiter().GetResult() is { } existing)
            {
                FlyLog.Progress($"app {app} already exists (org {existing.OrgSlug ?? org}); nothing to create.");
                return true;
            }

            client.CreateAppAsync(app, org, null, CancellationToken).GetAwaiter().GetResult();
            FlyLog.Progress($"created app {app} in org {org}.");
            return true;
        }
        catch (MachinesApiException e) when (e.StatusCode is 409 or 422 && (e.ApiMessage ?? "").IndexOf("taken", StringComparison.OrdinalIgnoreCase) >= 0)
        {
            FlyLog.Report(FlyCodes.AppNameTaken.Create(
                $"The app name '{app}' is taken on Fly (app names are global). Choose another with -p:FlyApp=<name> and run FlyLaunch again; {Path.GetFileName(ConfigFile)} was not written.",
                Path.GetFullPath(ProjectPath), 0, 0));
            return false;
        }
        catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException or OperationCanceledException)
        {
            FlyLog.Report(FlyCodes.DeployApiFailed.Create(
                $"FlyLaunch could not create the app '{app}' through the Machines API at {ApiUrl}: {e.Message}; {Path.GetFileName(ConfigFile)} was not written.",
                Path.GetFullPath(ProjectPath), 0, 0));
            return false;
        }
    }

    /// <summary>The old file (when FlyLaunchForce replaces one) to fly.toml.bak first, then the new one in a single rename.</summary>
    private void Write(string text)
    {
        if (File.Exists(ConfigFile))
        {
            File.Copy(ConfigFile, ConfigFile + ".bak", overwrite: true);
            FlyLog.Progress($"kept the previous {Path.GetFileName(ConfigFile)} as {Path.GetFileName(ConfigFile)}.bak.");
        }

        AtomicFile.WriteIfChanged(ConfigFile, new UTF8Encoding(false).GetBytes(text));
    }

    /// <summary>
    /// Properties/PublishProfiles/Fly.pubxml, so `dotnet publish -p:PublishProfile=Fly` and Visual Studio's Publish
    /// deploy. Like fly.toml: never over an existing profile unless FlyLaunchForce, which keeps it as Fly.pubxml.bak.
    /// Only for .NET projects: a standalone app has no publish profiles (the profile name alone still works there).
    /// </summary>
    private void WritePublishProfile()
    {
        var path = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(ProjectPath)) ?? ".", PublishProfileWriter.RelativePath.Replace('/', Path.DirectorySeparatorChar));
        if (File.Exists(path) && !Force)
        {
            FlyLog.Progress($"kept the existing {PublishProfileWriter.RelativePath}; deploy with dotnet publish -p:PublishProfile=Fly if it is FlyIo.Sdk's.");
            return;
        }

        if (File.Exists(path))
        {
            File.Copy(path, path + ".bak", overwrite: true);
            FlyLog.Progress($"kept the previous {Path.GetFileName(path)} as {Path.GetFileName(path)}.bak.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteIfChanged(path, new UTF8Encoding(false).GetBytes(PublishProfileWriter.Render()));
        FlyLog.Progress($"wrote {PublishProfileWriter.RelativePath}: deploy with dotnet publish -p:PublishProfile=Fly.");
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value!.Trim();
}
