using System.Linq;
using FlyIo.Diagnostics;
using FlyIo.FlyToml.Text;
using FlyIo.Toml;

namespace FlyIo.FlyToml.Schema;

/// <summary>
/// Walks the document against <see cref="FlyTomlSchema"/>: unknown keys (with a "did you mean"), legacy key names,
/// keys without effect, then each value's shape through <see cref="ValueChecker"/>.
/// </summary>
internal sealed class SchemaWalker
{
    private readonly DiagnosticSink _sink;
    private readonly bool _strict;
    private readonly ValueChecker _values;

    public SchemaWalker(DiagnosticSink sink, bool strict)
    {
        _sink = sink;
        _strict = strict;
        _values = new ValueChecker(sink, this);
    }

    public void WalkDocument(TomlTable root) => WalkTable(FlyTomlSchema.Root, root, "");

    public void WalkTable(KeySpec tableSpec, TomlTable table, string path)
    {
        foreach (var entry in table)
        {
            var keyPath = path.Length == 0 ? entry.Key : path + "." + entry.Key;
            var spec = tableSpec.Child(entry.Key);
            if (spec is null)
            {
                ReportUnknown(tableSpec, entry, keyPath);
                continue;
            }

            if (spec.ModernSpelling is not null)
            {
                _sink.Warning(FlyCodes.LegacyKey, entry.KeyPosition,
                    $"'{keyPath}' is a legacy spelling that flyctl still migrates; write it as {spec.ModernSpelling} instead.");
            }

            // An empty placeholder (script_checks = []) gets its own warning; one is enough.
            if (spec.NoEffectReason is not null && entry.Value is not TomlArray { Count: 0 })
            {
                _sink.Warning(FlyCodes.NoEffectOnMachines, entry.KeyPosition,
                    $"'{keyPath}' has no effect on Fly Machines apps: {spec.NoEffectReason}.");
            }

            if (spec.NotDeployed is { } instead)
            {
                ReportInstead(instead.Code, instead.Reason, entry, keyPath);
            }

            _values.Check(spec, entry.Value, keyPath);
        }
    }

    /// <summary>Each [[table]] of an array is reported on its own header, so every key in it is explained where it stands.</summary>
    private void ReportInstead(DiagnosticDescriptor code, string reason, TomlEntry entry, string keyPath)
    {
        if (entry.Value is TomlArray array && array.Count > 0 && array.All(v => v is TomlTable))
        {
            foreach (var table in array.OfType<TomlTable>())
            {
                _sink.Add(code, code.DefaultSeverity, table.Position, $"'{keyPath}': {reason}.");
            }

            return;
        }

        _sink.Add(code, code.DefaultSeverity, entry.KeyPosition, $"'{keyPath}': {reason}.");
    }

    private void ReportUnknown(KeySpec tableSpec, TomlEntry entry, string keyPath)
    {
        var candidates = tableSpec.Children.Where(c => c.ModernSpelling is null).Select(c => c.Name);
        var suggestion = EditDistance.Closest(entry.Key, candidates);
        var where = tableSpec.Name.Length == 0 ? "at the top level" : $"in this section";
        var hint = suggestion is not null
            ? $" Did you mean '{suggestion}'?"
            : " Remove it, or check the spelling against https://fly.io/docs/reference/configuration/.";
        var severity = _strict ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning;
        _sink.Add(FlyCodes.UnknownKey, severity, entry.KeyPosition,
            $"Unknown key '{keyPath}' {where}; flyctl ignores it.{hint}");
    }
}
