using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.Machines;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

namespace FlyIo.Sdk.Tasks;

/// <summary>
/// The app's releases as Fly records them (like `fly releases --image`), newest first: a table in the log, and
/// FlyRelease items for CI (`-getItem:FlyRelease`) with Version, Status, Strategy, Image, CreatedAt, User and Id
/// metadata. Deploys made with flyctl and with this SDK share one numbering.
/// </summary>
public sealed class FlyReleases : FlyDeployTaskBase
{
    /// <summary>The number `fly releases` shows.</summary>
    public const int DefaultLimit = 25;

    /// <summary>FlyReleasesLimit: how many of the newest releases to show.</summary>
    public string? Limit { get; set; }

    [Output]
    public ITaskItem[] Releases { get; private set; } = new ITaskItem[0];

    protected override bool Run()
    {
        var settings = Prepare(withSecrets: false);
        if (settings is null)
        {
            return false;
        }

        var limit = DefaultLimit;
        if (!string.IsNullOrWhiteSpace(Limit) && !(int.TryParse(Limit!.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out limit) && limit >= 1))
        {
            FlyLog.Report(FlyCodes.DeployPropertyInvalid.Create($"FlyReleasesLimit is '{Limit}': use a whole number of releases, 1 or more.", System.IO.Path.GetFullPath(ProjectPath)));
            return false;
        }

        IReadOnlyList<FlyRelease>? releases = null;
        if (!RunEngine(settings, async (engine, ct) => releases = await engine.ReleasesAsync(limit, ct).ConfigureAwait(false)) || releases is null)
        {
            return false;
        }

        LogResult(TextTable.Render($"{settings.App}: {releases.Count} release(s), newest first",
            new[] { "VERSION", "STATUS", "STRATEGY", "IMAGE", "CREATED" },
            releases.Select(r => new[] { "v" + r.Version.ToString(CultureInfo.InvariantCulture), Cell(r.Status), Cell(r.Strategy), Cell(r.ImageRef), Cell(Created(r.CreatedAt)) })));
        Releases = releases.Select(r =>
        {
            var item = new TaskItem(r.Id);
            // The number alone, as FlyReleaseVersion gives it.
            item.SetMetadata("Version", r.Version.ToString(CultureInfo.InvariantCulture));
            item.SetMetadata("Status", r.Status);
            item.SetMetadata("Strategy", r.Strategy);
            item.SetMetadata("Image", r.ImageRef);
            item.SetMetadata("CreatedAt", Created(r.CreatedAt));
            item.SetMetadata("User", r.User);
            item.SetMetadata("Id", r.Id);
            return (ITaskItem)item;
        }).ToArray();
        return !Log.HasLoggedErrors;
    }

    /// <summary>Fly's created_at in UTC to the second ("2026-08-21T14:02:11Z"); as Fly gave it when it does not parse.</summary>
    private static string Created(string createdAt) =>
        DateTimeOffset.TryParse(createdAt, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : createdAt;

    private static string Cell(string value) => value.Length == 0 ? "-" : value;
}
