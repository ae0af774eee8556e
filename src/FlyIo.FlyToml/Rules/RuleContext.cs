using FlyIo.AppModel;
using System.Collections.Generic;
using System.Linq;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Rules;

/// <summary>What every rule reads: the document, where to report, the caller's options and the process groups.</summary>
internal sealed class RuleContext
{
    public RuleContext(FlyConfig config, DiagnosticSink sink, FlyTomlValidationOptions options)
    {
        Config = config;
        var root = config.Root;
        Root = root;
        Sink = sink;
        Options = options;
        DefinedGroups = ReadGroups(root);
    }

    /// <summary>fly.toml as every target reads it: facts such as VM sizes and the internal port come from here.</summary>
    public FlyConfig Config { get; }

    public TomlTable Root { get; }

    public DiagnosticSink Sink { get; }

    public FlyTomlValidationOptions Options { get; }

    /// <summary>The [processes] group names; empty when the app has no [processes] (its one group is then "app").</summary>
    public IReadOnlyList<string> DefinedGroups { get; }

    /// <summary>The groups a processes list may name: the [processes] keys, or just "app" (flyctl's ProcessNames).</summary>
    public IReadOnlyList<string> ValidGroups => DefinedGroups.Count > 0 ? DefinedGroups : new[] { "app" };

    /// <summary>The group a section without processes applies to: "app" if defined, else the first name in order.</summary>
    public string DefaultGroup => ValidGroups.Contains("app") ? "app" : ValidGroups.OrderBy(n => n, System.StringComparer.Ordinal).First();

    /// <summary>[http_service] (as a service) followed by every [[services]] entry that is not an empty placeholder.</summary>
    public IEnumerable<TomlTable> AllServices() => Config.Services;

    private static IReadOnlyList<string> ReadGroups(TomlTable root) => TomlRead.Get(root, "processes") switch
    {
        TomlTable table => table.Select(e => e.Key).ToList(),
        TomlArray array => array.OfType<TomlTable>().Select(t => TomlRead.String(t, "name")).Where(n => n is not null).Select(n => n!).ToList(),
        _ => new string[0],
    };
}
