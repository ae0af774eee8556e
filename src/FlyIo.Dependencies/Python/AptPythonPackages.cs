using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlyIo.AppModel.Docker;

namespace FlyIo.Dependencies.Python;

/// <summary>One Debian Python package a Dockerfile installs, e.g. python3-yaml, and the PyPI distribution it packages (PyYAML).</summary>
internal sealed record AptPythonPackage(string DebianName, string Distribution, int Line)
{
    public string Normalized => PythonPackageNames.Normalize(Distribution);
}

/// <summary>
/// The Python distributions an image gets from Debian: <c>apt-get install python3-fastapi ...</c> (or apt, aptitude)
/// in a RUN of the final stage or a stage it is built on. Debian names such a package python3-&lt;name&gt;; where the
/// name differs from the distribution's (python3-yaml is PyYAML), Data/debian-python-packages.txt says so.
/// </summary>
internal static class AptPythonPackages
{
    private static readonly Lazy<Dictionary<string, string>> Renames = new(LoadRenames);

    private static readonly HashSet<string> Installers = new(StringComparer.Ordinal) { "apt-get", "apt", "aptitude" };

    /// <summary>apt options whose value is the next word.</summary>
    private static readonly HashSet<string> OptionsWithValue = new(StringComparer.Ordinal) { "-o", "-t", "-c", "--option", "--target-release", "--config-file" };

    /// <summary>Packages of the Python 3 interpreter and tooling, not distributions an app imports.</summary>
    private static readonly HashSet<string> NotDistributions = new(StringComparer.Ordinal)
    {
        "python3-minimal", "python3-full", "python3-dev", "python3-venv", "python3-all", "python3-all-dev", "python3-dbg",
        "python3-doc", "python3-examples", "python3-tk", "python3-distutils", "python3-lib2to3", "python3-stdlib-extensions",
    };

    /// <summary>The packages the Dockerfile at <paramref name="dockerfilePath"/> installs; none when it is missing or unreadable.</summary>
    public static IReadOnlyList<AptPythonPackage> Read(string? dockerfilePath)
    {
        if (dockerfilePath is null || !File.Exists(dockerfilePath))
        {
            return Array.Empty<AptPythonPackage>();
        }

        try
        {
            return Read(Dockerfile.Load(dockerfilePath));
        }
        catch (IOException)
        {
            return Array.Empty<AptPythonPackage>();
        }
    }

    public static IReadOnlyList<AptPythonPackage> Read(Dockerfile dockerfile)
    {
        var result = new List<AptPythonPackage>();
        var final = dockerfile.FinalStage;
        if (final is null)
        {
            return result;
        }

        // The final stage and every stage it is built FROM: what their RUNs install is in the image that runs.
        foreach (var stage in final.Chain)
        {
            foreach (var instruction in stage.Instructions.Where(i => i.Keyword == "RUN"))
            {
                foreach (var package in InstalledPackages(instruction.SimpleCommands))
                {
                    var distribution = DistributionFor(package);
                    if (distribution is not null && !result.Any(p => p.DebianName == package))
                    {
                        result.Add(new AptPythonPackage(package, distribution, instruction.Line));
                    }
                }
            }
        }

        return result;
    }

    /// <summary>The PyPI distribution a Debian package holds: python3-requests is requests, python3-yaml is PyYAML.</summary>
    public static string? DistributionFor(string debianPackage)
    {
        const string prefix = "python3-";
        if (!debianPackage.StartsWith(prefix, StringComparison.Ordinal) || debianPackage.Length == prefix.Length || NotDistributions.Contains(debianPackage))
        {
            return null;
        }

        return Renames.Value.TryGetValue(debianPackage, out var renamed) ? renamed : debianPackage.Substring(prefix.Length);
    }

    /// <summary>Package names after "install" in each apt-get/apt/aptitude command of a shell script.</summary>
    internal static IEnumerable<string> InstalledPackages(string script) => InstalledPackages(ShellCommands.Split(script));

    private static IEnumerable<string> InstalledPackages(IEnumerable<List<string>> commands)
    {
        foreach (var words in commands)
        {
            var at = words.FindIndex(w => Installers.Contains(Path.GetFileName(w)));
            if (at < 0)
            {
                continue;
            }

            var installing = false;
            for (var i = at + 1; i < words.Count; i++)
            {
                var word = words[i];
                if (word.StartsWith("-", StringComparison.Ordinal))
                {
                    if (OptionsWithValue.Contains(word))
                    {
                        i++;
                    }

                    continue;
                }

                if (!installing)
                {
                    if (word != "install")
                    {
                        break; // update, remove, ...: nothing installed by this command
                    }

                    installing = true;
                    continue;
                }

                if (word.IndexOf('$') >= 0)
                {
                    continue; // a variable: not knowable here
                }

                yield return PackageName(word);
            }
        }
    }

    /// <summary>python3-yaml=6.0-3, python3-yaml/bookworm and python3-yaml:amd64 all name python3-yaml.</summary>
    private static string PackageName(string word)
    {
        var end = word.IndexOfAny(new[] { '=', '/', ':' });
        return (end < 0 ? word : word.Substring(0, end)).ToLowerInvariant();
    }

    private static Dictionary<string, string> LoadRenames()
    {
        var table = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in PythonPackageNames.DataLines("debian-python-packages.txt"))
        {
            var colon = line.IndexOf(':');
            if (colon > 0)
            {
                table[line.Substring(0, colon).Trim()] = line.Substring(colon + 1).Trim();
            }
        }

        return table;
    }
}
