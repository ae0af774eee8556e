using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace FlyIo.Dependencies.Python;

/// <summary>One distribution that can provide a module, e.g. "psycopg" with extra "binary".</summary>
internal sealed record PyDistributionChoice(string Name, string? Extra)
{
    public string Normalized => PythonPackageNames.Normalize(Name);

    public override string ToString() => Extra is null ? Name : Name + "[" + Extra + "]";
}

/// <summary>PEP 503 names, the standard-library module list and the import-to-distribution map (embedded data).</summary>
internal static class PythonPackageNames
{
    private static readonly Lazy<HashSet<string>> StdlibSet = new(LoadStdlib);
    private static readonly Lazy<Dictionary<string, IReadOnlyList<PyDistributionChoice>>> MapTable = new(LoadMap);

    /// <summary>Distributions that are used without being imported (servers, drivers loaded by URL, binary wheels).</summary>
    private static readonly HashSet<string> RuntimeOnly = new(StringComparer.Ordinal)
    {
        "uvicorn", "gunicorn", "hypercorn", "daphne", "waitress", "granian", "gevent", "eventlet", "uvloop", "httptools",
        "watchfiles", "websockets", "psycopg-binary", "psycopg2-binary", "psycopg-c", "psycopg2", "psycopg", "psycopg-pool",
        "asyncpg", "aiosqlite", "pymysql", "mysqlclient", "aiomysql", "python-multipart", "email-validator",
        "pip", "setuptools", "wheel", "tzdata", "certifi", "gunicorn-worker", "whitenoise", "greenlet",
        "supervisor", "honcho", "python-dotenv", "pydantic-settings", "cryptography", "bcrypt", "brotli", "orjson", "ujson",
    };

    /// <summary>Normalizes a distribution name as PEP 503 does: lowercase, runs of -, _ and . become one -.</summary>
    public static string Normalize(string name)
    {
        var builder = new StringBuilder(name.Length);
        var pendingDash = false;
        foreach (var c in name.Trim())
        {
            if (c == '-' || c == '_' || c == '.')
            {
                pendingDash = builder.Length > 0;
                continue;
            }

            if (pendingDash)
            {
                builder.Append('-');
                pendingDash = false;
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    public static IReadOnlyCollection<string> StandardLibrary => StdlibSet.Value;

    public static int MapEntryCount => MapTable.Value.Count;

    public static bool IsStandardLibrary(string topLevelModule) => StdlibSet.Value.Contains(topLevelModule);

    /// <summary>A requirement that is fine to list without importing it.</summary>
    public static bool IsRuntimeOnly(string normalizedName, bool hasAlembicIni) =>
        RuntimeOnly.Contains(normalizedName) || (hasAlembicIni && normalizedName == "alembic")
        || normalizedName.StartsWith("types-", StringComparison.Ordinal) || normalizedName.EndsWith("-stubs", StringComparison.Ordinal);

    /// <summary>
    /// The distributions that can provide <paramref name="module"/> (dotted: longest prefix in the map wins),
    /// the first being the one to suggest. Unknown modules fall back to the distribution named like the module.
    /// </summary>
    public static IReadOnlyList<PyDistributionChoice> DistributionsFor(string module)
    {
        var map = MapTable.Value;
        var candidate = module;
        while (true)
        {
            if (map.TryGetValue(candidate, out var choices))
            {
                return choices;
            }

            var dot = candidate.LastIndexOf('.');
            if (dot < 0)
            {
                break;
            }

            candidate = candidate.Substring(0, dot);
        }

        var parts = module.Split('.');

        // Namespace packages whose distributions spell the path: google.cloud.x -> google-cloud-x, azure.x.y -> azure-x-y.
        if (parts.Length >= 3 && parts[0] == "google" && parts[1] == "cloud")
        {
            return new[] { new PyDistributionChoice("google-cloud-" + parts[2].Replace('_', '-'), null) };
        }

        if (parts.Length >= 2 && (parts[0] == "azure" || parts[0] == "opentelemetry"))
        {
            return new[] { new PyDistributionChoice(string.Join("-", parts).Replace('_', '-'), null) };
        }

        return new[] { new PyDistributionChoice(parts[0], null) };
    }

    private static Stream Open(string fileName)
    {
        var name = "FlyIo.Dependencies.Data." + fileName;
        return typeof(PythonPackageNames).Assembly.GetManifestResourceStream(name)
               ?? throw new InvalidOperationException("Embedded resource " + name + " is missing.");
    }

    internal static IEnumerable<string> DataLines(string fileName)
    {
        using var reader = new StreamReader(Open(fileName), Encoding.UTF8);
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            line = line.Trim();
            if (line.Length > 0 && line[0] != '#')
            {
                yield return line;
            }
        }
    }

    private static HashSet<string> LoadStdlib() => new(DataLines("python-stdlib.txt"), StringComparer.Ordinal);

    private static Dictionary<string, IReadOnlyList<PyDistributionChoice>> LoadMap()
    {
        var map = new Dictionary<string, IReadOnlyList<PyDistributionChoice>>(StringComparer.Ordinal);
        foreach (var line in DataLines("python-import-map.txt"))
        {
            var colon = line.IndexOf(':');
            if (colon <= 0)
            {
                continue;
            }

            var module = line.Substring(0, colon).Trim();
            var choices = new List<PyDistributionChoice>();
            foreach (var raw in line.Substring(colon + 1).Split(','))
            {
                var item = raw.Trim();
                if (item.Length == 0)
                {
                    continue;
                }

                var bracket = item.IndexOf('[');
                choices.Add(bracket > 0
                    ? new PyDistributionChoice(item.Substring(0, bracket), item.Substring(bracket + 1).TrimEnd(']'))
                    : new PyDistributionChoice(item, null));
            }

            map[module] = choices;
        }

        return map;
    }
}
