using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using FlyIo.Dependencies;
using FlyIo.Toml;

namespace FlyIo.Sdk.Tasks;

/// <summary>Reads what the platform gives the app from fly.toml: the app name, the [env] table and the release command.</summary>
internal static class FlyEnvironmentReader
{
    /// <summary>
    /// fly.toml's [env] as strings (flyctl converts integers and booleans the same way) and its app name, or the
    /// FlyApp property when set. A missing or malformed fly.toml yields an empty environment: FlyValidate reports it.
    /// </summary>
    public static FlyEnvironment Read(string flyTomlPath, string? appProperty)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        string? app = string.IsNullOrWhiteSpace(appProperty) ? null : appProperty;
        string? releaseCommand = null;
        if (File.Exists(flyTomlPath))
        {
            try
            {
                var root = TomlParser.ParseFile(flyTomlPath).Root;
                if (app is null && root.TryGetValue("app", out var appValue) && appValue is TomlString appName)
                {
                    app = appName.Value;
                }

                if (root.TryGetValue("deploy", out var deploy) && deploy is TomlTable deployTable
                    && deployTable.TryGetValue("release_command", out var command) && command is TomlString commandText)
                {
                    releaseCommand = commandText.Value;
                }

                if (root.TryGetValue("env", out var envValue) && envValue is TomlTable table)
                {
                    foreach (var entry in table.Entries)
                    {
                        env[entry.Key] = AsEnvironmentString(entry.Value);
                    }
                }
            }
            catch (TomlParseException)
            {
                // Reported, located, by FlyValidate; the dependency checks go on with what they know.
            }
        }

        return new FlyEnvironment { FlyTomlPath = flyTomlPath, Env = env, AppName = app, ReleaseCommand = releaseCommand };
    }

    private static string AsEnvironmentString(TomlValue value) => value switch
    {
        TomlString s => s.Value,
        TomlInteger i => i.Value.ToString(CultureInfo.InvariantCulture),
        TomlBoolean b => b.Value ? "true" : "false",
        _ => value.ToString() ?? "",
    };
}
