using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using FlyIo.Diagnostics;
using FlyIo.Json;
using FlyIo.Machines;

namespace FlyIo.Deploy;

/// <summary>
/// Fly's releases, recorded as flyctl records a Machines deploy's (internal/command/deploy/machines.go and
/// machines_deploymachinesapp.go): created before any machine changes, its id and version written into every
/// machine's <c>fly_release_id</c> / <c>fly_release_version</c>, marked "running", then "complete", "failed" or
/// "interrupted". A deploy, a secrets apply (flyctl's `fly secrets set`, a restart-only deploy) and a rollback each
/// record one, so `fly releases` and the dashboard list them, numbered with flyctl's deploys in one sequence.
/// </summary>
public sealed partial class DeployEngine
{
    /// <summary>How long the final status may take to record, whatever became of the deploy's own cancellation.</summary>
    private static readonly TimeSpan FinalStatusTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The app's releases, newest first (at most <paramref name="limit"/>; 0 for all Fly gives): `fly releases`.</summary>
    public async Task<IReadOnlyList<FlyRelease>> ReleasesAsync(int limit, CancellationToken cancellationToken = default)
    {
        try
        {
            var releases = await _client.ListReleasesAsync(_app, limit, cancellationToken).ConfigureAwait(false);
            // Newest first whatever order Fly answers in, as `fly releases` sorts them.
            return releases.OrderByDescending(r => r.Version).Take(limit > 0 ? limit : int.MaxValue).ToArray();
        }
        catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException)
        {
            throw new DeployException(FlyCodes.ReleasesNotRead, $"The releases of {_app} could not be read: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// Records the release of <paramref name="what"/> and marks it running, before anything changes on a machine.
    /// Either failing is <see cref="FlyCodes.ReleaseNotRecorded"/>: the work does not start, so no machine runs a
    /// version Fly has no release for. <paramref name="createdApp"/> adds that the app this run created stays.
    /// </summary>
    private async Task<FlyRelease> OpenReleaseAsync(string what, string image, string strategy, DeployResult result, CancellationToken ct, bool createdApp = false)
    {
        var nothingChanged = "Nothing was deployed: no machine was changed" + (createdApp ? $" (the app {_app}, created by this run, stays, with no machine)." : ".");
        FlyRelease release;
        try
        {
            release = await _client.CreateReleaseAsync(new CreateReleaseRequest(_app, image, strategy.ToUpperInvariant(), ReleaseDefinition()), ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException)
        {
            var maybe = e is AmbiguousFailureException ? " Fly may have recorded it all the same: `fly releases` would then list it as pending." : "";
            throw new DeployException(FlyCodes.ReleaseNotRecorded, $"Fly did not record a release for {what}: {e.Message}{maybe} {nothingChanged}", inner: e);
        }

        result.ReleaseVersion = release.Version;
        result.ReleaseId = release.Id;
        try
        {
            await _client.UpdateReleaseAsync(release.Id, "running", null, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            await CloseReleaseAsync(release, "interrupted", "cancelled before any machine changed", "pending").ConfigureAwait(false);
            throw;
        }
        catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException)
        {
            var closed = await CloseReleaseAsync(release, "failed", e.Message, "pending").ConfigureAwait(false);
            throw new DeployException(FlyCodes.ReleaseNotRecorded,
                $"Fly recorded release v{release.Version} ({release.Id}) for {what} but did not mark it running: {e.Message} {nothingChanged}{(closed is null ? " The release is marked failed." : " " + closed)}",
                inner: e);
        }

        return release;
    }

    /// <summary>
    /// Marks the release complete, failed or interrupted, with flyctl's metadata (the error for a failure). Retried on
    /// 5xx and broken connections, on a clock of its own: a cancelled build still records "interrupted". Null when
    /// recorded, else the sentence that says it was not.
    /// </summary>
    private async Task<string?> CloseReleaseAsync(FlyRelease release, string status, string? error, string shownAs = "running")
    {
        // fly-go's ReleaseMetadata: {"post_deployment_info": {"flyctl_version", "error"}}. This is not flyctl, so no
        // flyctl version; the User-Agent (FlyIo.Sdk) says who deployed.
        var metadata = Js.Obj().Set("post_deployment_info", Js.Obj().Set("flyctl_version", "").Set("error", error ?? ""));
        try
        {
            using var cts = new CancellationTokenSource(FinalStatusTimeout);
            await _client.UpdateReleaseAsync(release.Id, status, metadata, cts.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is MachinesApiException or AmbiguousFailureException or OperationCanceledException)
        {
            return $"Fly's release v{release.Version} ({release.Id}) could not be marked {status}: {e.Message} `fly releases` and the dashboard still show it as {shownAs}.";
        }
    }

    /// <summary>
    /// The end of a successful run: the release marked complete, or <see cref="FlyCodes.ReleaseStatusNotRecorded"/>:
    /// the machines run the new version, but the build does not pass as if Fly knew it.
    /// </summary>
    private async Task CompleteReleaseAsync(FlyRelease release, string what, DeployResult result)
    {
        if (await CloseReleaseAsync(release, "complete", null).ConfigureAwait(false) is { } notRecorded)
        {
            throw new DeployException(FlyCodes.ReleaseStatusNotRecorded,
                $"{what} succeeded (the machines run release v{release.Version}), but {notRecorded} Run it again once api.fly.io answers: it records a new release.", result);
        }
    }

    /// <summary>The failure <paramref name="e"/> (its message and code kept) with the release marked failed, or interrupted when cancelled.</summary>
    private async Task<DeployException> FailReleaseAsync(FlyRelease? release, DeployException e, bool interrupted = false)
    {
        if (release is null)
        {
            return e;
        }

        var notRecorded = await CloseReleaseAsync(release, interrupted ? "interrupted" : "failed", e.Message).ConfigureAwait(false);
        return notRecorded is null ? e : new DeployException(e.Descriptor, $"{e.Message} {notRecorded}", e.Result, e.InnerException, e.LogTail);
    }

    /// <summary>
    /// fly.toml as the release's definition, with what this run overrides as flyctl applies it: the app name and the
    /// strategy (FlyApp, FlyStrategy: flyctl's --app and --strategy).
    /// </summary>
    private JsonObject ReleaseDefinition()
    {
        var definition = Js.Clone(_config.Definition);
        definition.Set("app", _app);
        if (!string.IsNullOrWhiteSpace(_options.Strategy))
        {
            var deploy = definition.GetObject("deploy") ?? Js.Obj();
            definition.Set("deploy", deploy.Set("strategy", _options.Strategy!.Trim().ToLowerInvariant()));
        }

        return definition;
    }

    /// <summary><paramref name="config"/> carrying <paramref name="release"/>, as flyctl's setMachineReleaseData writes it.</summary>
    private static JsonObject WithRelease(JsonObject config, FlyRelease release)
    {
        var metadata = config.GetObject("metadata") ?? Js.Obj();
        config.Set("metadata", metadata);
        metadata.Set("fly_release_id", release.Id).Set("fly_release_version", release.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return config;
    }
}
