using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using FlyIo.AppModel;
using FlyIo.Deploy;
using FlyIo.Deploy.Secrets;
using FlyIo.Diagnostics;
using FlyIo.Machines;
using FlyIo.Toml;
using Microsoft.Build.Framework;
using TaskOfT = System.Threading.Tasks.Task;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// What FlyDeploy, FlyPlan, FlyRollback and FlyStatus share: the deploy settings (checked before anything talks to
/// Fly), the token (from the environment only), and running the engine with the build's log and cancellation.
/// </summary>
public abstract class FlyDeployTaskBase : FlyTask
{
    /// <summary>The names the token must never be given under as an MSBuild property (besides FlyTokenVariable's).</summary>
    private static readonly string[] TokenPropertyNames = { "FlyApiToken", "FlyToken", "FlyAccessToken", "FLY_API_TOKEN", "FLY_ACCESS_TOKEN" };

    [Required]
    public string ProjectPath { get; set; } = "";

    /// <summary>
    /// The target's result, shown by every logger by default (see <see cref="MsBuildFlyLog.Result"/>): named after
    /// ProjectPath, the project being built, which is what the terminal logger matches it against.
    /// </summary>
    private protected void LogResult(string result) => FlyLog.Result(ProjectPath, result);

    [Required]
    public string ConfigFile { get; set; } = "";

    /// <summary>FlyApp: the app when fly.toml has no `app` (or to override it).</summary>
    public string? AppName { get; set; }

    public string? ApiUrl { get; set; }

    /// <summary>
    /// FlyPlatformApiUrl: api.fly.io's REST API, where deploys record Fly releases and logs are read. Empty:
    /// https://api.fly.io when ApiUrl is Fly's Machines API, else ApiUrl's server (the local Machines API serves both).
    /// </summary>
    public string? PlatformApiUrl { get; set; }

    /// <summary>The platform API this task talks to: PlatformApiUrl, or the one that goes with ApiUrl.</summary>
    private protected string ResolvedPlatformApiUrl => string.IsNullOrWhiteSpace(PlatformApiUrl)
        ? MachinesApiClient.PlatformBaseUrlFor(ApiUrl)
        : PlatformApiUrl!.Trim().TrimEnd('/');

    /// <summary>FlyTokenVariable: the NAME of the variable holding the token; empty means FLY_API_TOKEN, then FLY_ACCESS_TOKEN.</summary>
    /// <summary>FlyAllowTokenTo: hosts besides Fly's and loopback that may receive the token (`;`-separated).</summary>
    public string? AllowTokenTo { get; set; }

    public string? TokenVariable { get; set; }

    public string? Org { get; set; }

    /// <summary>FlyRegions (flyctl's --regions): deploy only to machines in these regions; "ams;fra" or "ams,fra".</summary>
    public string? Regions { get; set; }

    /// <summary>FlyExcludeRegions (flyctl's --exclude-regions): leave machines in these regions as they are.</summary>
    public string? ExcludeRegions { get; set; }

    /// <summary>FlyNewMachineRegions: where new machines go, round robin; empty means fly.toml's primary_region.</summary>
    public string? NewMachineRegions { get; set; }

    public string? MachineCount { get; set; }

    /// <summary>FlyHighAvailability (flyctl's --ha, default true).</summary>
    public string? HighAvailability { get; set; }

    /// <summary>FlyWaitTimeout (flyctl's --wait-timeout): overrides [deploy] wait_timeout.</summary>
    public string? WaitTimeout { get; set; }

    public string? Strategy { get; set; }

    public string? RollbackOnFailure { get; set; }

    /// <summary>FlySecret items: Include = name; metadata FromEnvironment, Value or Unset.</summary>
    public ITaskItem[] Secrets { get; set; } = Array.Empty<ITaskItem>();

    /// <summary>FlySecretsFile, a dotenv file, as a full path.</summary>
    public string? SecretsFile { get; set; }

    public string? SmokeCheckWindow { get; set; }

    /// <summary>
    /// Names of token-like project properties that are set (the targets pass names only, never values), e.g.
    /// FlyApiToken. Global properties (-p:) are read from the engine, names only, so FLY_API_TOKEN as an environment
    /// variable (which MSBuild also shows as a property) is not mistaken for one passed on the command line.
    /// </summary>
    public ITaskItem[] TokenProperties { get; set; } = Array.Empty<ITaskItem>();

    private static string[] RegionList(string? text) =>
        (text ?? "").Split(new[] { ';', ',', ' ' }, StringSplitOptions.RemoveEmptyEntries).Select(r => r.Trim().ToLowerInvariant()).ToArray();

    /// <summary>The settings, checked; null after logging every problem found.</summary>
    private protected DeploySettings? Prepare(bool withSecrets)
    {
        var diagnostics = new List<FlyDiagnostic>();
        var projectFile = Path.GetFullPath(ProjectPath);
        var flyConfig = AppModelFiles.FlyConfig(BuildEngine, Log, ConfigFile);
        FlyAppConfig? config = null;
        if (!flyConfig.Exists)
        {
            diagnostics.Add(FlyCodes.FlyTomlNotFound.Create($"{ConfigFile} does not exist: a deploy needs the app's fly.toml. Write one with `dotnet build -t:FlyLaunch`, or point FlyConfigFile at the existing file.", ConfigFile, 0, 0));
        }
        else if (flyConfig.Error is { } e)
        {
            diagnostics.Add(e.Descriptor.Create(e.Reason, ConfigFile, e.Line, e.Column));
        }
        else
        {
            config = FlyAppConfig.From(flyConfig);
        }

        var app = !string.IsNullOrWhiteSpace(AppName) ? AppName!.Trim() : config?.App;
        var token = ReadToken(app, diagnostics);
        var settings = new DeploySettings(token!, config!, flyConfig) { App = app };
        settings.Options.App = string.IsNullOrWhiteSpace(AppName) ? null : AppName!.Trim();
        settings.Options.Org = string.IsNullOrWhiteSpace(Org) ? null : Org!.Trim();
        settings.Options.Strategy = string.IsNullOrWhiteSpace(Strategy) ? null : Strategy!.Trim().ToLowerInvariant();
        settings.Options.OnlyRegions = RegionList(Regions);
        settings.Options.ExcludeRegions = RegionList(ExcludeRegions);
        settings.Options.NewMachineRegions = RegionList(NewMachineRegions);
        if (!string.IsNullOrWhiteSpace(HighAvailability))
        {
            if (MsBuildValues.OptionalBool(HighAvailability) is { } ha)
            {
                settings.Options.HighAvailability = ha;
            }
            else
            {
                diagnostics.Add(InvalidProperty($"FlyHighAvailability is '{HighAvailability}': use true or false.", projectFile));
            }
        }

        if (!string.IsNullOrWhiteSpace(WaitTimeout))
        {
            if (FlyIo.Release.DurationProperty.TryParse(WaitTimeout, out var wait, out var error) && wait > TimeSpan.Zero)
            {
                settings.Options.WaitTimeout = wait;
            }
            else
            {
                diagnostics.Add(InvalidProperty($"FlyWaitTimeout is '{WaitTimeout}': {error ?? "it must be longer than zero"}; write a duration such as \"5m\".", projectFile));
            }
        }

        if (!string.IsNullOrWhiteSpace(MachineCount))
        {
            if (int.TryParse(MachineCount!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) && count >= 1)
            {
                settings.Options.MachineCount = count;
            }
            else
            {
                diagnostics.Add(InvalidProperty($"FlyMachineCount is '{MachineCount}': use a whole number of machines, 1 or more.", projectFile));
            }
        }

        if (!string.IsNullOrWhiteSpace(RollbackOnFailure))
        {
            var rollback = MsBuildValues.OptionalBool(RollbackOnFailure);
            if (rollback is null)
            {
                diagnostics.Add(InvalidProperty($"FlyRollbackOnFailure is '{RollbackOnFailure}': use true or false.", projectFile));
            }
            else
            {
                settings.Options.RollbackOnFailure = rollback.Value;
            }
        }

        if (!string.IsNullOrWhiteSpace(SmokeCheckWindow))
        {
            if (FlyIo.Release.DurationProperty.TryParse(SmokeCheckWindow, out var window, out var error))
            {
                settings.Options.SmokeCheckWindow = window;
            }
            else
            {
                diagnostics.Add(InvalidProperty($"FlySmokeCheckWindow is '{SmokeCheckWindow}': {error}; write a duration such as \"10s\".", projectFile));
            }
        }

        if (withSecrets)
        {
            settings.Options.Secrets = DeploySecrets.Resolve(SecretItems.From(Secrets, projectFile), string.IsNullOrWhiteSpace(SecretsFile) ? null : SecretsFile, diagnostics);
        }

        foreach (var diagnostic in diagnostics)
        {
            FlyLog.Report(diagnostic);
        }

        return diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error) ? null : settings;
    }

    /// <summary>
    /// The Fly token, from the environment only, and every reason it cannot be used, in <paramref name="diagnostics"/>:
    /// token-like properties (FLY5021), a FlyApiUrl or FlyPlatformApiUrl the token must not go to (FLY5027), a malformed token (FLY5026),
    /// none at all (FLY5020). Once read, the token is hidden from every line this task logs.
    /// </summary>
    private protected FlyToken? ReadToken(string? app, List<FlyDiagnostic> diagnostics)
    {
        var projectFile = Path.GetFullPath(ProjectPath);
        CheckTokenProperties(projectFile, diagnostics);
        if (TokenDestinations.Problem(string.IsNullOrWhiteSpace(ApiUrl) ? MachinesApiClient.DefaultBaseUrl : ApiUrl!, TokenDestinations.AllowedHosts(AllowTokenTo)) is { } destination)
        {
            diagnostics.Add(FlyCodes.TokenDestinationRefused.Create(
                $"FlyApiUrl: {destination}, so the Fly token is not sent there. Use Fly's API (leave FlyApiUrl empty), or name the host in FlyAllowTokenTo if you trust it.", projectFile, 0, 0));
        }
        else if (TokenDestinations.Problem(ResolvedPlatformApiUrl, TokenDestinations.AllowedHosts(AllowTokenTo)) is { } platform)
        {
            diagnostics.Add(FlyCodes.TokenDestinationRefused.Create(
                $"FlyPlatformApiUrl: {platform}, so the Fly token is not sent there. Use Fly's (leave FlyPlatformApiUrl empty), or name the host in FlyAllowTokenTo if you trust it.", projectFile, 0, 0));
        }

        FlyToken? token = null;
        try
        {
            token = FlyToken.FromEnvironment(TokenVariable);
        }
        catch (InvalidFlyTokenException e)
        {
            diagnostics.Add(FlyCodes.TokenMalformed.Create(e.Message, projectFile, 0, 0));
        }

        FlyLog.Hide(token);

        if (token is null && !diagnostics.Any(d => d.Code == FlyCodes.TokenAsProperty.Code || d.Code == FlyCodes.TokenMalformed.Code))
        {
            var where = string.IsNullOrWhiteSpace(TokenVariable)
                ? "FLY_API_TOKEN and FLY_ACCESS_TOKEN are not set"
                : $"the variable '{TokenVariable!.Trim()}' named by FlyTokenVariable is not set";
            var variable = string.IsNullOrWhiteSpace(TokenVariable) ? "FLY_API_TOKEN" : TokenVariable!.Trim();
            diagnostics.Add(FlyCodes.NoToken.Create(
                $"No Fly API token in the environment: {where}. Create one with `fly tokens create deploy -a {app ?? "<app>"}`, then `export {variable}=<token>` " +
                "(in CI, a secret mapped to that variable) and run the command again. The token is read only from the environment, never from an MSBuild property.",
                projectFile, 0, 0));
        }

        return token;
    }

    /// <summary>
    /// Runs <paramref name="body"/> against the Machines API. The engine's progress and the client's retries reach
    /// the build log as they happen, so a long deploy shows each phase and machine live. Failures become located
    /// diagnostics; false when the work failed or was cancelled.
    /// </summary>
    private protected bool RunEngine(DeploySettings settings, Func<DeployEngine, CancellationToken, TaskOfT> body)
    {
        using var client = new MachinesApiClient(ApiUrl, settings.Token, allowTokenTo: TokenDestinations.AllowedHosts(AllowTokenTo))
        {
            Log = FlyLog,
            PlatformBaseUrl = ResolvedPlatformApiUrl,
        };
        settings.Options.Log = FlyLog;
        try
        {
            body(new DeployEngine(client, settings.Config, settings.Options), CancellationToken).GetAwaiter().GetResult();
            return !Cancelled;
        }
        catch (Exception failure)
        {
            LogFailure(failure, settings);
            return false;
        }
    }

    private void LogFailure(Exception failure, DeploySettings settings)
    {
        switch (failure)
        {
            case DeployException e when e.Descriptor == FlyCodes.DeployCancelled:
                // The engine released every lease and lists where each machine ended up: that report is the point.
                FlyLog.Report(e.Descriptor.Create(e.Message, ConfigFile, 0, 0));
                break;
            case DeployException e:
                if (e.LogTail is { Length: > 0 } tail)
                {
                    // Before the error, so the error stays one located line and the reason sits right above it.
                    FlyLog.Progress(tail);
                }

                var (line, column) = Locate(e.Descriptor, settings.FlyConfig, settings.Config);
                FlyLog.Report(e.Descriptor.Create(e.Message, ConfigFile, line, column));
                if (e.Result is { Machines.Count: > 0 } result)
                {
                    FlyLog.Progress("machines now:" + string.Concat(result.Machines.Select(m => Environment.NewLine + "  " + m)));
                }

                break;
            case OperationCanceledException when Cancelled:
                FlyLog.Report(FlyCodes.DeployCancelled.Create(
                    $"{Name} was cancelled before it changed anything.", ConfigFile, 0, 0));
                break;
            case TomlParseException e:
                FlyLog.Report(e.Descriptor.Create(e.Reason, ConfigFile, e.Line, e.Column));
                break;
            case MachinesApiException or AmbiguousFailureException or LeaseHeldException:
                // The message names the API (the Machines API, or api.fly.io for logs and releases); the URL says which.
                var platform = (failure as MachinesApiException ?? (failure as AmbiguousFailureException)?.Inner)?.Api is { } api && api != MachinesApiException.MachinesApiName;
                FlyLog.Report(FlyCodes.DeployApiFailed.Create(
                    $"{Name} could not reach its answer from {(platform ? "Fly's API at " + ResolvedPlatformApiUrl : "the Machines API at " + ApiUrl)}: {failure.Message}", ConfigFile, 0, 0));
                break;
            default:
                throw new InvalidOperationException($"{Name} failed unexpectedly: {failure.Message}", failure);
        }
    }

    /// <summary>The fly.toml key a failure is about, when there is one: release_command for the release command's codes.</summary>
    private (int Line, int Column) Locate(DiagnosticDescriptor code, FlyConfig config, FlyAppConfig app)
    {
        // The deploy's own model knows where its mounts and machine checks were written.
        var located = code == FlyCodes.VolumeNotReady ? app.Mounts.FirstOrDefault()?.Position
            : code == FlyCodes.MachineCheckFailed ? app.MachineChecks.FirstOrDefault()?.Position
            : null;
        if (located is { } position)
        {
            return (position.Line, position.Column);
        }

        var key = code == FlyCodes.ReleaseCommandFailed || code == FlyCodes.ReleaseCommandTimedOut ? "release_command"
            : code == FlyCodes.DeploySettingsInvalid && string.IsNullOrWhiteSpace(Strategy) ? "strategy"
            : code == FlyCodes.MachineUnhealthy ? "wait_timeout"
            : null;
        var value = key is null ? null : FlyIo.AppModel.TomlRead.Get(FlyIo.AppModel.TomlRead.Table(config.Root, "deploy"), key);
        return value is null ? (0, 0) : (value.Position.Line, value.Position.Column);
    }

    /// <summary>FLY5021 for every token-like property that is set: in the project (TokenProperties) or with -p:.</summary>
    private void CheckTokenProperties(string projectFile, List<FlyDiagnostic> diagnostics)
    {
        var names = new List<string>(TokenProperties.Select(i => i.ItemSpec));
        var forbidden = new HashSet<string>(TokenPropertyNames, StringComparer.OrdinalIgnoreCase);
        if (!string.IsNullOrWhiteSpace(TokenVariable))
        {
            forbidden.Add(TokenVariable!.Trim());
        }

        if (BuildEngine is IBuildEngine6 engine)
        {
            // Names only: the values are never read.
            names.AddRange(engine.GetGlobalProperties().Keys.Where(forbidden.Contains));
        }

        foreach (var name in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            diagnostics.Add(FlyCodes.TokenAsProperty.Create(
                $"The Fly token was given as the MSBuild property '{name}'. MSBuild properties end up in logs, binary logs and command lines, " +
                "so the token is read only from the environment: remove the property and `export FLY_API_TOKEN=<token>` " +
                "(or set the variable FlyTokenVariable names). If the token was typed on a command line or committed, revoke it (`fly tokens revoke`) and create a new one.",
                projectFile, 0, 0));
        }
    }

    /// <summary>
    /// FLY5025, the one check that there is an image to deploy: up front when the image step is skipped
    /// (FlyCheckDeploySettings), and in FlyDeploy itself once the image step has run (or a custom pipeline left it out).
    /// </summary>
    protected FlyDiagnostic? NoImage(string? image, bool imageStepSkipped) => !string.IsNullOrWhiteSpace(image) ? null
        : FlyCodes.NoImageToDeploy.Create(
            $"No image to deploy: {(imageStepSkipped ? "the image step is skipped (FlySkipImage) and " : "")}FlyImage is empty. Pass -p:FlyImage=registry.fly.io/<app>:<tag> " +
            "to deploy an image that exists, or let FlyPushImage build and push one.",
            Path.GetFullPath(ProjectPath));

    private static FlyDiagnostic InvalidProperty(string message, string projectFile) =>
        FlyCodes.DeployPropertyInvalid.Create(message, projectFile);
}

/// <summary>Checked deploy settings: the token, fly.toml, and the engine's options.</summary>
internal sealed class DeploySettings
{
    public DeploySettings(FlyToken token, FlyAppConfig config, FlyConfig flyConfig)
    {
        Token = token;
        Config = config;
        FlyConfig = flyConfig;
    }

    public FlyToken Token { get; }

    public FlyAppConfig Config { get; }

    /// <summary>fly.toml as read once for the build, for locating a failure on the key it is about.</summary>
    public FlyConfig FlyConfig { get; }

    /// <summary>FlyApp, else fly.toml's app (null when neither: the engine reports it).</summary>
    public string? App { get; set; }

    public DeployOptions Options { get; } = new();
}
