using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Docker;
using FlyIo.AppModel.Project;
using FlyIo.Dependencies.CSharp;

namespace FlyIo.Dependencies.DotNet;

/// <summary>
/// The configuration and environment reads an app makes with no fallback that nothing provides: not fly.toml [env],
/// the app's secrets, the deploy's FlySecret items, Fly's own variables, the image's ENV, nor appsettings.json. The
/// dependency check reports each as an error; FlyLaunch names each in the fly.toml it writes.
/// </summary>
public static class RequiredVariables
{
    /// <summary>The first unprovided read of each environment name, in file, line, column order.</summary>
    public static IReadOnlyList<ConfigRead> Unprovided(DotNetAppFacts app, FlyEnvironment env, Dockerfile? dockerfile, SourceScanResult scan)
    {
        var required = scan.Reads.Where(r => r.IsRequired).ToList();
        var unprovided = new List<ConfigRead>();
        if (required.Count == 0)
        {
            return unprovided;
        }

        var provided = new HashSet<string>(StringComparer.Ordinal);
        provided.UnionWith(env.Env.Keys);
        if (env.SecretNames is not null)
        {
            provided.UnionWith(env.SecretNames);
        }

        provided.UnionWith(env.DeploySecretNames);
        provided.UnionWith(DotNetDependencyChecker.FlyProvidedVariables);
        if (dockerfile?.FinalStage is { } final)
        {
            provided.UnionWith(final.EffectiveEnv.Keys);
        }

        if (app.DatabaseUrlConnectionName is { Length: > 0 } connectionName && provided.Contains("DATABASE_URL"))
        {
            provided.Add("ConnectionStrings__" + connectionName);
        }

        // Configuration keys the environment provides: A__B -> A:B, with the ASPNETCORE_/DOTNET_ prefixes also stripped.
        var configKeys = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in provided)
        {
            var key = name.Replace("__", ":");
            configKeys.Add(key);
            foreach (var prefix in new[] { "ASPNETCORE_", "DOTNET_" })
            {
                if (key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                {
                    configKeys.Add(key.Substring(prefix.Length));
                }
            }
        }

        foreach (var file in ConfigurationFiles(app))
        {
            configKeys.UnionWith(JsonConfigurationKeys.ReadFile(file));
        }

        var reported = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var read in required.OrderBy(r => r.Location.File, StringComparer.Ordinal).ThenBy(r => r.Location.Line).ThenBy(r => r.Location.Column))
        {
            if (!IsProvided(read, provided, configKeys) && reported.Add(read.EnvironmentName))
            {
                unprovided.Add(read);
            }
        }

        return unprovided;
    }

    private static bool IsProvided(ConfigRead read, HashSet<string> provided, HashSet<string> configKeys)
    {
        if (!read.IsConfiguration)
        {
            var name = read.Key;
            return provided.Contains(name) || name.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || name.StartsWith("DOTNET_", StringComparison.Ordinal);
        }

        var key = read.Key;
        if (key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("DOTNET_", StringComparison.OrdinalIgnoreCase) ||
            configKeys.Contains(key))
        {
            return true;
        }

        if (read.Kind == ConfigReadKind.Section)
        {
            var prefix = key + ":";
            return configKeys.Any(k => k.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
        }

        return false;
    }

    private static IEnumerable<string> ConfigurationFiles(DotNetAppFacts app)
    {
        if (app.ConfigurationFiles is not null)
        {
            return app.ConfigurationFiles.Where(File.Exists);
        }

        var dir = app.ProjectDirectory;
        return new[] { Path.Combine(dir, "appsettings.json"), Path.Combine(dir, "appsettings.Production.json") }.Where(File.Exists);
    }
}
