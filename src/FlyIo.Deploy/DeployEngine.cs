using FlyIo.AppModel;
using FlyIo.Diagnostics;
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// Deploys an image to a Fly app through the Machines API as <c>fly deploy</c> does, plus what flyctl lacks:
/// automatic rollback, fast failure on crashing machines, a version check after health checks, plan, rollback.
/// </summary>
public sealed partial class DeployEngine
{
    public const string ReleaseCommandGroup = "fly_app_release_command";
    internal const string PreviousConfigKey = "fly_previous_config";
    internal static readonly string[] ReleaseKeys = { "fly_release_id", "fly_release_version", PreviousConfigKey, SecretsLedger.MetadataKey };

    private readonly MachinesApiClient _client;
    private readonly FlyAppConfig _config;
    private readonly DeployOptions _options;
    private readonly string _app;

    /// <summary>What the deploys set as secrets (see <see cref="SecretsLedger"/>), carried into every target config.</summary>
    private SecretsLedger? _ledger;

    public DeployEngine(MachinesApiClient client, FlyAppConfig config, DeployOptions options)
    {
        _client = client;
        _config = config;
        _options = options;
        _app = options.App ?? config.App ?? throw new DeployException(FlyCodes.DeploySettingsInvalid, "No app name: set 'app' in fly.toml or FlyApp.");
        // The name goes into every API path: one Fly would refuse (or "../x", which would reach another path) stops here.
        if (!AppNames.IsValid(_app))
        {
            throw new DeployException(FlyCodes.DeploySettingsInvalid, AppNames.Problem(_app, "The app name"));
        }
    }

    private string Strategy => (_options.Strategy ?? _config.Strategy).ToLowerInvariant();

    private TimeSpan WaitTimeout => _options.WaitTimeout ?? _config.WaitTimeout;

    private void Say(string line) => _options.Log.Progress(line);

    // =====================================================================================  deploy

    public async Task<DeployResult> DeployAsync(string image, CancellationToken cancellationToken = default)
    {
        var result = new DeployResult { App = _app, Image = image, Strategy = Strategy };
        var requestsAtStart = _client.RequestCount;
        var run = new Run(this, result);
        var what = $"the deploy of {image} to {_app}";
        var createdApp = false;
        FlyRelease? release = null;
        try
        {
            Validate();
            // The machine list doubles as the app's existence check: Fly answers 404 for the machines of an app it does
            // not have, so a deploy to an existing app spends no call on a GET of the app.
            var machines = new List<Machine>();
            var notManaged = new List<Machine>();
            await run.Phase("app", async () =>
            {
                MachinesApiException? notFound = null;
                try
                {
                    (machines, notManaged) = await MachineSetAsync(cancellationToken).ConfigureAwait(false);
                    return;
                }
                catch (MachinesApiException e) when (e.StatusCode == 404)
                {
                    notFound = e;
                }

                // Only an app Fly does not have is created; a 404 for anything else stays the error it is.
                if (await _client.GetAppAsync(_app, cancellationToken).ConfigureAwait(false) is not null)
                {
                    throw notFound;
                }

                if (string.IsNullOrEmpty(_options.Org))
                {
                    throw new DeployException(FlyCodes.DeploySettingsInvalid, $"The app '{_app}' does not exist; set FlyOrg to the organization to create it in.", result);
                }

                Say($"Creating app {_app} in {_options.Org}");
                await _client.CreateAppAsync(_app, _options.Org!, null, cancellationToken).ConfigureAwait(false);
                createdApp = true;
            }).ConfigureAwait(false);

            result.NotManaged.AddRange(notManaged.Select(m => m.Id));
            SayNotManaged(notManaged);
            // What the deploy will do, checked before Fly records anything (flyctl validates the volumes first too).
            var outside = machines.Where(m => !InDeployRegions(m)).ToList();
            var deployed = machines.Where(InDeployRegions).ToList();
            CheckMountedVolumes(deployed);
            var creates = NewMachines(machines);

            // Fly's release, before anything else changes (addresses, volumes, secrets, the release command, machines):
            // its version is the number every machine carries, whoever deployed before (flyctl or this SDK).
            release = await OpenReleaseAsync(what, image, Strategy, result, cancellationToken, createdApp).ConfigureAwait(false);
            Say($"Deploying {image} to {_app} as release v{release.Version} ({Strategy}; Fly release {release.Id}); {machines.Count} machine(s) now");

            if (machines.Count == 0 && _config.HasPublicServices)
            {
                await run.Phase("ips", async () =>
                {
                    var ips = await _client.ListIpAssignmentsAsync(_app, cancellationToken).ConfigureAwait(false);
                    foreach (var type in new[] { "v6", "shared_v4" })
                    {
                        if (!ips.Any(ip => ip.Kind == type))
                        {
                            var ip = await _client.AssignIpAsync(_app, type, null, cancellationToken).ConfigureAwait(false);
                            Say($"Allocated {type} address {ip.Ip}");
                        }
                    }
                }).ConfigureAwait(false);
            }

            // Machines outside FlyRegions / inside FlyExcludeRegions are left as they are, as flyctl's --regions leaves them.
            if (outside.Count > 0)
            {
                Say($"Leaving {outside.Count} machine(s) outside the deploy's regions as they are: {string.Join(", ", outside.Select(m => $"{m.Id} [{m.Region}]"))}");
            }

            if (creates.Any(c => _config.MountFor(c.Group) is not null))
            {
                await run.Phase("volumes", () => AssignVolumesAsync(creates, image, true, true, cancellationToken)).ConfigureAwait(false);
            }

            long? secretsVersion = null;
            _ledger = SecretsLedger.Read(machines);
            if (_options.Secrets.Count > 0)
            {
                await run.Phase("secrets", async () => secretsVersion = await run.SetSecretsAsync(cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
            }

            run.SecretsVersion = secretsVersion;
            if (!string.IsNullOrWhiteSpace(_config.ReleaseCommand))
            {
                await run.Phase("release_command", () => RunReleaseCommandAsync(image, machines, result, secretsVersion, cancellationToken)).ConfigureAwait(false);
            }

            var targets = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
            foreach (var m in deployed.Where(m => _config.Groups.Contains(m.ProcessGroup)))
            {
                targets[m.Id] = TargetConfig(m.ProcessGroup, image, release, m.Config);
            }

            if (Strategy == "canary" && targets.Count > 0)
            {
                await run.Phase("canary", () => run.CanaryAsync(deployed.First(m => targets.ContainsKey(m.Id)), targets, cancellationToken)).ConfigureAwait(false);
            }

            await run.Phase("machines", async () =>
            {
                foreach (var removed in deployed.Where(m => !_config.Groups.Contains(m.ProcessGroup)))
                {
                    Say($"Destroying {removed.Id}: process group '{removed.ProcessGroup}' is no longer in fly.toml");
                    await _client.DeleteMachineAsync(_app, removed.Id, null, true, cancellationToken).ConfigureAwait(false);
                    result.Destroyed.Add(removed.Id);
                }

                // Standbys after the machines they stand by for: a standby names its machine's id.
                foreach (var wave in new[] { creates.Where(c => c.StandbyFor is null), creates.Where(c => c.StandbyFor is not null) })
                {
                    await run.ForEachAsync(wave.ToList(), async c =>
                    {
                        var config = TargetConfig(c.Group, image, release, null, c.Volume?.Id, c.StandbyFor?.Id);
                        var created = await run.CreateAsync(config, c.Region, false, cancellationToken, skipLaunch: c.StandbyFor is not null).ConfigureAwait(false);
                        c.Id = created.Id;
                        Say($"Created {created.Id} [{c.Group}, {created.Region}]" + (c.StandbyFor is null ? "" : $": a stopped standby for {c.StandbyFor.Id}") +
                            (c.Volume is null ? "" : $" with volume {c.Volume.Id}"));
                    }, cancellationToken).ConfigureAwait(false);
                }
            }).ConfigureAwait(false);

            var toUpdate = deployed.Where(m => targets.ContainsKey(m.Id)).ToList();
            if (toUpdate.Count > 0)
            {
                await run.Phase("update", () => Strategy switch
                {
                    "immediate" => run.ImmediateAsync(toUpdate, targets, cancellationToken),
                    "bluegreen" => run.BlueGreenAsync(toUpdate, targets, cancellationToken),
                    _ => run.RollingAsync(toUpdate, targets, cancellationToken),
                }).ConfigureAwait(false);
            }

            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            await CompleteReleaseAsync(release, $"The deploy of {image} to {_app}", result).ConfigureAwait(false);
            // A detail: hosts print their own summary of the result, and this line would say the same again.
            _options.Log.Detail($"Deployed release v{result.ReleaseVersion}: {result.Summary()}");
            return result;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            var where = string.Join("; ", result.Machines.Select(m => m.ToString()));
            Say("Deploy cancelled; machines now: " + where);
            throw await FailReleaseAsync(release, new DeployException(FlyCodes.DeployCancelled, $"The deploy of {image} to {_app} was cancelled; every lease was released. Machines now: {where}", result), interrupted: true).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not DeployException)
        {
            var failure = e is MachinesApiException or AmbiguousFailureException or LeaseHeldException ? e : e;
            var code = e is LeaseHeldException ? FlyCodes.LeaseHeld : FlyCodes.DeployApiFailed;
            var rollback = await run.RollbackAfterFailureAsync(e.Message).ConfigureAwait(false);
            var secrets = await run.RevertSecretsAsync().ConfigureAwait(false);
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            // Failed also when the rollback put every machine back: that release never ran, as flyctl records it.
            throw await FailReleaseAsync(release, new DeployException(rollback.Code ?? code, $"Deploy of {image} to {_app} failed: {failure.Message} {rollback.Report} {secrets}".TrimEnd(), result, e)).ConfigureAwait(false);
        }
        catch (DeployException e) when (e.Descriptor == FlyCodes.MachineUnhealthy || e.Descriptor == FlyCodes.MachineWrongVersion || e.Descriptor == FlyCodes.ChecksNotReported || e.Descriptor == FlyCodes.MachineCheckFailed)
        {
            var rollback = await run.RollbackAfterFailureAsync(e.Message).ConfigureAwait(false);
            var secrets = await run.RevertSecretsAsync().ConfigureAwait(false);
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw await FailReleaseAsync(release, new DeployException(rollback.Code ?? e.Descriptor, $"Deploy of {image} to {_app} failed: {e.Message} {rollback.Report} {secrets}".TrimEnd(), result, e)).ConfigureAwait(false);
        }
        catch (DeployException e) when (e.Result is null)
        {
            // Before any app machine changed (a release command that failed, say): the secrets this deploy added go too.
            var secrets = await run.RevertSecretsAsync().ConfigureAwait(false);
            await FinishAsync(result, requestsAtStart).ConfigureAwait(false);
            throw await FailReleaseAsync(release, new DeployException(e.Descriptor, $"{e.Message} {secrets}".TrimEnd(), result, e.InnerException, e.LogTail)).ConfigureAwait(false);
        }
    }

    private void Validate()
    {
        if (Strategy is not ("rolling" or "immediate" or "canary" or "bluegreen"))
        {
            throw new DeployException(FlyCodes.DeploySettingsInvalid, $"Unknown deploy strategy '{Strategy}': use rolling, immediate, canary or bluegreen.");
        }

        if (Strategy == "canary" && _config.HasMounts)
        {
            throw new DeployException(FlyCodes.DeploySettingsInvalid, "The canary strategy cannot be used with [mounts]: a volume belongs to one machine. Use rolling.");
        }

        // Fly's docs: bluegreen boots a green machine beside each blue one, and a blue machine's volume cannot be mounted by both.
        if (Strategy == "bluegreen" && _config.HasMounts)
        {
            throw new DeployException(FlyCodes.DeploySettingsInvalid, "The bluegreen strategy cannot be used with [mounts]: each green machine would need the volume its blue machine holds. Use rolling or immediate.");
        }

        // The same rule as the validator's BlueGreenWithoutChecks, for a strategy chosen with FlyStrategy instead of fly.toml.
        if (Strategy == "bluegreen" && !_config.HasHealthChecks)
        {
            throw new DeployException(FlyCodes.DeploySettingsInvalid, "The bluegreen strategy needs at least one health check ([checks] or service checks) to know when green machines are ready.");
        }
    }

    private async Task FinishAsync(DeployResult result, long requestsAtStart)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            result.Machines.Clear();
            result.Machines.AddRange((await AppMachinesAsync(cts.Token).ConfigureAwait(false)).Select(Version));
        }
        catch (Exception)
        {
            // The summary then lacks the final machine list; the error says what happened.
        }

        result.ApiRequests = _client.RequestCount - requestsAtStart;
    }

    internal static MachineVersion Version(Machine m) => new(m.Id, m.ProcessGroup, m.Region, m.State, m.InstanceId, m.Image, m.Metadata("fly_release_version"));

    /// <summary>The app's machines that deploys manage, without release-command and canary machines.</summary>
    private async Task<List<Machine>> AppMachinesAsync(CancellationToken ct) => (await MachineSetAsync(ct).ConfigureAwait(false)).Managed;

    /// <summary>
    /// The app's live machines, split as flyctl splits them: those deploys manage (<c>fly_platform_version = "v2"</c>),
    /// minus release-command and canary machines; and those no deploy may touch (no such metadata).
    /// </summary>
    private async Task<(List<Machine> Managed, List<Machine> NotManaged)> MachineSetAsync(CancellationToken ct)
    {
        var live = (await _client.ListMachinesAsync(_app, null, ct).ConfigureAwait(false))
            .Where(m => m.State is not ("destroyed" or "destroying"))
            .OrderBy(m => m.Id, StringComparer.Ordinal).ToList();
        var managed = live.Where(m => m.IsManagedByDeploys && m.ProcessGroup != ReleaseCommandGroup && m.ProcessGroup != TestMachineGroup && m.Metadata("fly_canary") != "true").ToList();
        return (managed, live.Where(m => !m.IsManagedByDeploys).ToList());
    }

    private void SayNotManaged(IReadOnlyCollection<Machine> notManaged)
    {
        if (notManaged.Count > 0)
        {
            Say($"Leaving {notManaged.Count} machine(s) alone, not managed by deploys (no fly_platform_version = \"v2\" metadata, as flyctl decides): {string.Join(", ", notManaged.Select(m => m.Id))}");
        }
    }

    /// <summary>
    /// The config a group's machines get: fly.toml's, plus the release (Fly's id and version; a plan, which records
    /// none, shows placeholders its diff leaves out) and the previous config (for rollback).
    /// </summary>
    private JsonObject TargetConfig(string group, string image, FlyRelease? release, JsonObject? previous, string? volumeId = null, string? standbyFor = null)
    {
        var config = _config.Build(group, image);
        KeepScaledGuest(config, group, previous);
        // The volume: a new machine's was picked for it; a machine being updated keeps the one it has (flyctl: only
        // the mount path may change in place).
        if (config.Mounts.Count > 0)
        {
            config.Mounts[0] = config.Mounts[0] with { Volume = volumeId ?? MountOf(previous)?.Volume };
        }

        config.Metadata["fly_release_id"] = release?.Id ?? "(new)";
        config.Metadata["fly_release_version"] = release?.Version.ToString(CultureInfo.InvariantCulture) ?? "(next)";
        // Only when it records something: an app whose deploys set no secrets carries no ledger.
        if (_ledger is { IsEmpty: false })
        {
            config.Metadata[SecretsLedger.MetadataKey] = _ledger.Encode();
        }

        if (previous is not null)
        {
            config.Metadata[PreviousConfigKey] = EncodePrevious(previous);
        }

        var json = config.ToJson();
        // A standby stays one across deploys while its group has no services, as flyctl keeps it (it updates from the machine's own config).
        var standbys = standbyFor is not null ? new List<string> { standbyFor }
            : config.Services.Count == 0 ? (previous?["standbys"] as JsonArray)?.Items.OfType<JsonString>().Select(s => s.Value).ToList() : null;
        if (standbys is { Count: > 0 })
        {
            json.Set("standbys", Js.Arr(standbys.Select(s => (JsonNode)Js.Str(s))));
            var env = json.GetObject("env");
            if (env is null)
            {
                json.Set("env", env = Js.Obj());
            }

            env.Set("FLY_STANDBY_FOR", string.Join(",", standbys));
        }

        return json;
    }

    internal static string EncodePrevious(JsonObject previous)
    {
        var copy = Js.Clone(previous);
        copy.GetObject("metadata")?.Members.RemoveAll(m => m.Key == PreviousConfigKey);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(Js.Write(copy)));
    }

    internal static JsonObject? DecodePrevious(string? encoded)
    {
        if (string.IsNullOrEmpty(encoded))
        {
            return null;
        }

        try
        {
            return JsonReader.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(encoded!))) as JsonObject;
        }
        catch (Exception)
        {
            return null;
        }
    }
}
