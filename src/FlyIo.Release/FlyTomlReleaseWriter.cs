using System;
using System.Collections.Generic;
using FlyIo.AppModel;
using FlyIo.Diagnostics;
using FlyIo.Toml;
using FlyIo.Toml.Editing;

namespace FlyIo.Release;

/// <summary>Writes a <see cref="ReleasePlan"/> into fly.toml, changing only the release lines, atomically and only when needed.</summary>
public static class FlyTomlReleaseWriter
{
    public static readonly TomlPath ReleaseCommandPath = TomlPath.Parse("deploy.release_command");
    public static readonly TomlPath TimeoutPath = TomlPath.Parse("deploy.release_command_timeout");

    /// <summary>A plan with errors, or nothing to set, writes nothing.</summary>
    public static ReleaseWriteResult Apply(string flyTomlPath, ReleasePlan plan) =>
        Apply(FlyConfig.Load(flyTomlPath ?? throw new ArgumentNullException(nameof(flyTomlPath))), plan);

    /// <summary>Edits the bytes <paramref name="config"/> was read from, so the edit needs no second read of fly.toml.</summary>
    public static ReleaseWriteResult Apply(FlyConfig config, ReleasePlan plan)
    {
        if (config is null)
        {
            throw new ArgumentNullException(nameof(config));
        }

        if (plan is null)
        {
            throw new ArgumentNullException(nameof(plan));
        }

        var flyTomlPath = config.Path;
        if (plan.HasErrors || (plan.Command is null && plan.Timeout is null))
        {
            return new ReleaseWriteResult(false, Array.Empty<FlyDiagnostic>());
        }

        try
        {
            var editor = config.Bytes is { } bytes ? TomlEditor.FromBytes(bytes) : TomlEditor.Load(flyTomlPath);
            if (plan.Command is not null)
            {
                editor.SetString(ReleaseCommandPath, plan.Command);
            }

            if (plan.Timeout is not null)
            {
                editor.SetString(TimeoutPath, plan.Timeout);
            }

            return new ReleaseWriteResult(editor.SaveIfChanged(flyTomlPath), Array.Empty<FlyDiagnostic>());
        }
        catch (Exception e) when (e is TomlParseException || e is InvalidOperationException || e is System.IO.IOException || e is UnauthorizedAccessException)
        {
            return new ReleaseWriteResult(false, new[]
            {
                FlyCodes.FlyTomlEditFailed.Create(
                    $"Could not write [deploy] release_command into {System.IO.Path.GetFileName(flyTomlPath)}: " + e.Message, flyTomlPath, (e as TomlParseException)?.Line ?? 0, (e as TomlParseException)?.Column ?? 0),
            });
        }
    }
}

/// <summary>What <see cref="FlyTomlReleaseWriter.Apply(FlyConfig, ReleasePlan)"/> did: whether fly.toml was rewritten, and why not when it could not be.</summary>
public sealed record ReleaseWriteResult(bool Changed, IReadOnlyList<FlyDiagnostic> Diagnostics);
